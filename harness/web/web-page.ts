/**
 * The shell of every workspace page: the report's look (its stylesheet, its
 * escaping), a skip link, landmarks, the signed-in account and a sign-out
 * form. Pages are served with {@link WEB_CSP}: only this service's own
 * stylesheet and script run, nothing is fetched from elsewhere, forms post
 * only here, and no other site may frame a page.
 */
import { escapeHtml, htmlText } from '../report/html-text.js';
import type { WebAccount } from './web-port.js';

/** Content-Security-Policy of every workspace page: self only, no inline script or style. */
export const WEB_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface PageContext {
  account: WebAccount | null;
  csrfToken: string;
}

/** A hidden CSRF field: every form the workspace renders carries one. */
export function csrfField(context: PageContext): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(context.csrfToken)}">`;
}

const ROLE_LABEL: Readonly<Record<string, string>> = { admin: 'administrator', evaluator: 'evaluator', supplier: 'supplier' };

/**
 * A complete page: `title` is untrusted text, `main` markup already escaped.
 *
 * @example
 *   renderWebPage(context, 'Evaluations', ['<h1>Evaluations</h1>']); // '<!DOCTYPE html>…<main id="main">…'
 */
export function renderWebPage(context: PageContext, title: string, main: readonly string[]): string {
  const account = context.account;
  const nav = account
    ? [
        '<nav aria-label="Workspace">',
        '<ul class="nav">',
        account.role === 'supplier' && account.supplierId
          ? `<li><a href="/suppliers/${encodeURIComponent(account.supplierId)}">Our runs</a></li>`
          : '<li><a href="/evaluations">Evaluations</a></li>',
        account.role === 'admin' ? '<li><a href="/audit">Audit log</a></li>' : '',
        '</ul>',
        `<p class="who">Signed in as ${htmlText(account.email, 320)} (${escapeHtml(ROLE_LABEL[account.role] ?? account.role)})</p>`,
        `<form method="post" action="/logout" class="inline">${csrfField(context)}<button type="submit">Sign out</button></form>`,
        '</nav>',
      ].join('')
    : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlText(title, 400)} · interop-harness workspace</title>`,
    '<link rel="stylesheet" href="/assets/workspace.css">',
    '<script src="/assets/workspace.js" defer></script>',
    '</head>',
    '<body>',
    '<a class="skip-link" href="#main">Skip to main content</a>',
    '<header class="site"><p class="kicker">Interoperability First: evaluation workspace</p>',
    nav,
    '</header>',
    '<main id="main" tabindex="-1">',
    ...main,
    '</main>',
    '<footer><p>interop-harness evaluation workspace. Reports are signed with each evaluation\'s key; verify them with <code>interop-harness verify</code>.</p></footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * A short message page (not found, refused, too many attempts).
 */
export function renderMessagePage(context: PageContext, title: string, message: string): string {
  return renderWebPage(context, title, [`<h1>${htmlText(title, 200)}</h1>`, `<p>${htmlText(message, 2000)}</p>`]);
}

/** A date-time as people read it, UTC, or an em dash. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '<span class="muted">—</span>';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return htmlText(iso, 60);
  return `<time datetime="${escapeHtml(date.toISOString())}">${escapeHtml(date.toISOString().replace('T', ' ').slice(0, 19))} UTC</time>`;
}

/** A path segment for an id: encoded, so an id can never change the URL's shape. */
export function seg(id: string): string {
  return encodeURIComponent(id);
}
