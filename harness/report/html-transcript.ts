/**
 * One result's evidence as HTML: what the check expected and saw, schema
 * errors, and the request/response transcript. Every value here came from a
 * supplier or a profile, so every one goes through `htmlText`.
 */
import type { CheckResult, Evidence } from '../results.js';
import { escapeHtml, formatBytes, htmlText } from './html-text.js';
import { partialBodyNote } from './report-facts.js';
import { schemaProblemCount } from '../schema/schema-errors.js';

/** Schema errors listed per result; the rest are in report.json. */
const SCHEMA_ERRORS_SHOWN = 50;
/** Headers listed per request or response; the rest are in report.json. */
const HEADERS_SHOWN = 100;

/**
 * Expected, actual and schema errors of a result, as a `<dl>` and a table.
 *
 * @example
 *   renderFindingDetail(result); // '<dl><dt>Expected</dt><dd>application/json</dd>…</dl>'
 */
export function renderFindingDetail(result: CheckResult): string {
  const rows: string[] = [];
  if (result.expected !== undefined) rows.push(`<dt>Expected</dt><dd>${htmlText(result.expected)}</dd>`);
  if (result.actual !== undefined) rows.push(`<dt>Actual</dt><dd><code>${htmlText(result.actual)}</code></dd>`);
  const transport = result.evidence?.transportError;
  if (transport) rows.push(`<dt>Transport error</dt><dd><code>${htmlText(transport.code)}</code>: ${htmlText(transport.message)}</dd>`);
  const parts = rows.length > 0 ? [`<dl>${rows.join('')}</dl>`] : [];
  const errors = result.schemaErrors ?? [];
  if (errors.length > 0) {
    const shown = errors.slice(0, SCHEMA_ERRORS_SHOWN).map(
      (e) =>
        `<tr><td><code>${e.pointer === '' ? '(root)' : htmlText(e.pointer)}</code></td><td><code>${htmlText(e.keyword)}</code></td>` +
        `<td>${htmlText(e.message)}</td><td>${e.value === undefined ? '<span class="muted">(absent)</span>' : `<code>${htmlText(e.value)}</code>`}</td></tr>`,
    );
    const more = errors.length > SCHEMA_ERRORS_SHOWN ? `<p class="omitted">and ${errors.length - SCHEMA_ERRORS_SHOWN} more schema errors in report.json</p>` : '';
    parts.push(
      `<table class="schema-errors"><caption>Schema errors (${schemaProblemCount(errors)})</caption>` +
        `<thead><tr><th scope="col">Where in the body</th><th scope="col">Rule</th><th scope="col">Problem</th><th scope="col">Value</th></tr></thead>` +
        `<tbody>${shown.join('')}</tbody></table>${more}`,
    );
  }
  return parts.join('');
}

/**
 * The request and response transcript, collapsed in a `<details>` so a long
 * list of failures stays scannable (print expands it), followed by the curl
 * line in a `<pre>` the reader can select and copy, or, for a request not to
 * be sent again (`doNotRepeat` says why), the same line under that warning.
 * No script, no clipboard API.
 *
 * @example
 *   renderTranscript(result.evidence); // '<details class="transcript"><summary>Request and response</summary>…'
 */
export function renderTranscript(evidence: Evidence | undefined, doNotRepeat?: string): string {
  if (evidence === undefined) return '<p class="muted">No request was sent for this result.</p>';
  const { request, response } = evidence;
  const sections = [
    `<h4>Request</h4><pre>${htmlText(`${request.method} ${request.url}`)}\n${headerLines(request.headers)}</pre>`,
  ];
  if (request.body !== undefined) sections.push(`<h4>Request body</h4><pre>${htmlText(request.body)}</pre>`);
  for (const hop of evidence.redirects ?? []) {
    sections.push(
      `<h4>Redirect</h4><p>${escapeHtml(String(hop.status))} from <code>${htmlText(hop.from)}</code> to <code>${htmlText(hop.location)}</code>: ` +
        `${hop.followed ? 'followed' : 'not followed (another origin)'}</p>`,
    );
  }
  for (const retry of evidence.retries ?? []) {
    sections.push(`<h4>Retried</h4><p>${escapeHtml(String(retry.status))} with Retry-After <code>${htmlText(retry.retryAfter, 200)}</code>: waited ${escapeHtml(String(retry.waitedMs))} ms and sent the request again.</p>`);
  }
  if (response) {
    const facts = [`HTTP ${response.status}`, `${formatBytes(response.bodyBytes)}`, `${evidence.durationMs} ms`];
    const partial = partialBodyNote(response);
    if (partial) facts.push(partial);
    sections.push(
      `<h4>Response</h4><p>${escapeHtml(facts.join(' · '))}</p><pre>${headerLines(response.headers)}</pre>`,
      `<h4>Body excerpt</h4>` +
        (response.bodyExcerpt === '' ? '<p class="muted">(empty)</p>' : `<pre>${htmlText(response.bodyExcerpt)}</pre>`) +
        `<p class="muted">SHA-256 of the whole body read: <code>${htmlText(response.bodySha256)}</code></p>`,
    );
  } else {
    sections.push(`<h4>Response</h4><p>No complete response after ${escapeHtml(String(evidence.durationMs))} ms.</p>`);
  }
  return (
    `<details class="transcript"><summary>Request and response transcript</summary>${sections.join('')}</details>` +
    (doNotRepeat === undefined
      ? `<p class="curl-label">Repeat this request (secrets redacted):</p><pre class="curl">${htmlText(evidence.curl)}</pre>`
      : `<p class="curl-label"><strong>${htmlText(doNotRepeat)}</strong> It was sent as (secrets redacted):</p><pre class="curl">${htmlText(evidence.curl)}</pre>`)
  );
}

function headerLines(headers: Record<string, string>): string {
  const entries = Object.entries(headers);
  const lines = entries.slice(0, HEADERS_SHOWN).map(([name, value]) => htmlText(`${name}: ${value}`));
  if (entries.length > HEADERS_SHOWN) lines.push(`<span class="omitted">and ${entries.length - HEADERS_SHOWN} more headers in report.json</span>`);
  return lines.join('\n');
}
