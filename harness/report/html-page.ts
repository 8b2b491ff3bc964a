/**
 * The shell every HTML page the harness writes shares (the run report and
 * the vendor comparison): document head, security policy, inline styles.
 */
import { escapeHtml, htmlText } from './html-text.js';
import { REPORT_CSS } from './html-styles.js';

/**
 * The page forbids every script, plugin, frame, font and connection: it needs
 * only its own inline stylesheet. Even if escaping ever failed, injected
 * markup could not run script or send anything off an air-gapped machine.
 */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * A complete, self-contained HTML document: `title` is untrusted text (it is
 * escaped here), `body` is markup already built from escaped parts.
 *
 * @example
 *   renderHtmlPage('Report: <x>', ['<main>…</main>']); // '<!DOCTYPE html>\n<html lang="en-GB">…<title>Report: &lt;x&gt;</title>…'
 */
export function renderHtmlPage(title: string, body: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    // First in <head>, before anything the policy must govern.
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(HTML_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlText(title, 400)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
