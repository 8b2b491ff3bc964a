import type { RequestEvidence } from '../results.js';

/**
 * A POSIX-shell curl command that repeats a request, for a reader to paste.
 *
 * Every argument is single-quoted: inside single quotes the shell expands
 * nothing (`$()`, backticks, `$VAR`, `!`, newlines are all literal), so a URL or
 * header value a supplier influenced cannot run anything. The only character
 * that cannot appear inside single quotes is `'` itself, written `'\''`.
 * The input is evidence, already redacted; this function adds no secret.
 *
 * @example
 *   toCurl({ method: 'POST', url: 'https://api.example/persons', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
 *   // curl -X POST -H 'content-type: application/json' --data-raw '{"a":1}' 'https://api.example/persons'
 */
export function toCurl(request: RequestEvidence): string {
  const method = request.method.toUpperCase();
  const hasBody = request.body !== undefined && request.body !== '';
  const parts = ['curl'];
  if (method === 'HEAD') {
    parts.push('-I');
  } else if (method !== 'GET' || hasBody) {
    // `--data-raw` alone turns the request into a POST: say GET explicitly when a GET carries a body.
    parts.push('-X', shellQuote(method));
  }
  for (const [name, value] of Object.entries(request.headers)) {
    // curl drops a header given as `Name:`; `Name;` is its syntax for sending it empty.
    parts.push('-H', shellQuote(value === '' ? `${name};` : `${name}: ${value}`));
  }
  if (hasBody) parts.push('--data-raw', shellQuote(request.body ?? ''));
  // A URL starting with '-' would be read as an option; `--url` makes it unambiguous.
  if (request.url.startsWith('-')) parts.push('--url');
  parts.push(shellQuote(request.url));
  return parts.join(' ');
}

/**
 * Quote one argument for a POSIX shell.
 *
 * @example
 *   shellQuote("it's"); // 'it'\''s'
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
