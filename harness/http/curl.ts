import type { RequestEvidence } from '../results.js';
import type { CurlVariables } from './redactor.js';

/**
 * A POSIX-shell curl command that repeats a request, for a reader to paste.
 *
 * Every argument is single-quoted: inside single quotes the shell expands
 * nothing (`$()`, backticks, `$VAR`, `!`, newlines are all literal), so a URL or
 * header value a supplier influenced cannot run anything. The only character
 * that cannot appear inside single quotes is `'` itself, written `'\''`.
 * The input is evidence, already redacted; this function adds no secret.
 * The one exception to single quotes: a `${NAME}` placeholder the redactor
 * wrote for a credential from the environment variable NAME (and only for the
 * names in `variables`) becomes `"${NAME}"`, so the line reproduces the request
 * when pasted where NAME is set. A supplier cannot add a name to that list.
 *
 * @example
 *   toCurl({ method: 'POST', url: 'https://api.example/persons', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
 *   // curl -X POST -H 'content-type: application/json' --data-raw '{"a":1}' 'https://api.example/persons'
 */
export function toCurl(request: RequestEvidence, variables?: CurlVariables): string {
  const word = (value: string) => shellWord(value, variables?.variables);
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
    if (variables?.basic && name.toLowerCase() === 'authorization' && /^basic \[redacted\]$/i.test(value)) {
      // curl builds the same Basic header from the two variables.
      parts.push('-u', `"\${${variables.basic[0]}}:\${${variables.basic[1]}}"`);
      continue;
    }
    // curl drops a header given as `Name:`; `Name;` is its syntax for sending it empty.
    parts.push('-H', value === '' ? shellQuote(`${name};`) : word(`${name}: ${value}`));
  }
  if (hasBody) parts.push('--data-raw', shellQuote(request.body ?? ''));
  // A URL starting with '-' would be read as an option; `--url` makes it unambiguous.
  if (request.url.startsWith('-')) parts.push('--url');
  parts.push(word(request.url));
  return parts.join(' ');
}

/** One shell word: single-quoted text, with known `${NAME}` placeholders double-quoted so the shell expands them. */
function shellWord(value: string, variables: ReadonlySet<string> | undefined): string {
  if (!variables || variables.size === 0 || !value.includes('${')) return shellQuote(value);
  let out = '';
  let literal = '';
  let last = 0;
  for (const match of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    if (!variables.has(match[1]!)) continue;
    literal += value.slice(last, match.index);
    if (literal !== '') out += shellQuote(literal);
    literal = '';
    out += `"\${${match[1]}}"`;
    last = match.index + match[0].length;
  }
  literal += value.slice(last);
  if (literal !== '' || out === '') out += shellQuote(literal);
  return out;
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
