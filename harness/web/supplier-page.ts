/**
 * A supplier's page: its history (verdict and failures over time, oldest to
 * newest in a table) and, for the supplier's own account, a self-test of its
 * sandbox and the upload of its claims document. Evaluators see the history.
 */
import { htmlText } from '../report/html-text.js';
import { renderRunsTable } from './evaluation-pages.js';
import { csrfField, renderWebPage, seg, when, type PageContext } from './web-page.js';
import type { RunView, SupplierView } from './web-port.js';

/**
 * @example
 *   renderSupplierPage(context, supplier, runs, { notice: 'Claims uploaded.' });
 */
export function renderSupplierPage(context: PageContext, supplier: SupplierView, runs: readonly RunView[], options: { notice?: string; error?: string } = {}): string {
  const own = context.account?.role === 'supplier' && context.account.supplierId === supplier.id;
  const base = `/suppliers/${seg(supplier.id)}`;
  const finished = runs.filter((r) => r.status === 'finished').slice().sort((a, b) => String(a.finishedAt).localeCompare(String(b.finishedAt)));
  const history = finished.map(
    (r) =>
      `<tr><th scope="row">${when(r.finishedAt)}</th><td>${htmlText(r.verdict ?? '', 40)}</td><td class="num">${typeof r.failed === 'number' ? r.failed : '—'}</td><td><a href="/runs/${seg(r.id)}">Run ${htmlText(r.id.slice(0, 8), 8)}</a>${r.selfTest ? ' (self-test)' : ''}</td></tr>`,
  );
  return renderWebPage(context, supplier.name, [
    `<p class="kicker">Supplier</p><h1>${htmlText(supplier.name, 200)}</h1>`,
    options.notice ? `<div class="notice" role="status"><p>${htmlText(options.notice, 400)}</p></div>` : '',
    options.error ? `<div class="error-summary" role="alert"><p>${htmlText(options.error, 400)}</p></div>` : '',
    '<dl class="facts">',
    `<dt>Sandbox</dt><dd><code>${htmlText(supplier.target, 400)}</code></dd>`,
    `<dt>Authentication</dt><dd>${supplier.authKind ? htmlText(supplier.authKind, 100) : 'none'}</dd>`,
    `<dt>Claims document</dt><dd>${supplier.hasClaims ? 'uploaded' : 'none uploaded'}</dd>`,
    own ? '' : `<dt>Evaluation</dt><dd><a href="/evaluations/${seg(supplier.evaluationId)}">Back to the evaluation</a></dd>`,
    '</dl>',
    own
      ? [
          '<h2 id="self-test-heading">Self-test</h2>',
          `<form method="post" action="${base}/self-test" aria-labelledby="self-test-heading">`,
          csrfField(context),
          '<p>Runs the evaluation\'s profiles against your sandbox, as the panel will.</p>',
          '<button type="submit">Run a self-test</button>',
          '</form>',
          '<h2 id="claims-heading">Claims document</h2>',
          `<form method="post" action="${base}/claims" aria-labelledby="claims-heading">`,
          csrfField(context),
          '<label for="claims-file" hidden>Read the claims document from a file</label>',
          '<input id="claims-file" type="file" accept=".json,application/json" data-fills="claims-text" hidden>',
          '<div class="field"><label for="claims-text">Claims document (JSON)</label><textarea id="claims-text" name="claims" required></textarea></div>',
          '<button type="submit">Upload claims</button>',
          '</form>',
        ].join('\n')
      : '',
    '<h2>History</h2>',
    finished.length === 0
      ? '<p>No finished runs yet.</p>'
      : `<table><caption>Verdict and failures over time, oldest first</caption><thead><tr><th scope="col">Finished</th><th scope="col">Verdict</th><th scope="col" class="num">Failed</th><th scope="col">Run</th></tr></thead><tbody>${history.join('')}</tbody></table>`,
    '<h2>All runs</h2>',
    renderRunsTable(runs, `Runs of ${supplier.name}, newest first`),
  ]);
}
