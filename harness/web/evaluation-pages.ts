/**
 * The evaluations list and one evaluation: its profiles, deadline,
 * suppliers and runs, with forms to add a supplier (credentials are sent, and
 * never shown back) and to queue runs, and the public key that verifies its
 * signed reports.
 */
import { escapeHtml, htmlText } from '../report/html-text.js';
import { csrfField, renderWebPage, seg, when, type PageContext } from './web-page.js';
import type { EvaluationSummary, EvaluationView, RunView } from './web-port.js';

/**
 * @example
 *   renderEvaluationsPage(context, evaluations, ['baseline', 'open-architecture']);
 */
export function renderEvaluationsPage(context: PageContext, evaluations: readonly EvaluationSummary[], profiles: readonly string[]): string {
  const canCreate = context.account?.role === 'admin' || context.account?.role === 'evaluator';
  const rows = evaluations.map(
    (e) =>
      `<tr><th scope="row"><a href="/evaluations/${seg(e.id)}">${htmlText(e.name, 200)}</a></th><td>${e.profiles.map((p) => htmlText(p, 100)).join(', ')}</td><td>${when(e.deadline)}</td></tr>`,
  );
  return renderWebPage(context, 'Evaluations', [
    '<h1>Evaluations</h1>',
    evaluations.length === 0
      ? '<p>No evaluations yet.</p>'
      : `<table><caption>Evaluations you belong to</caption><thead><tr><th scope="col">Name</th><th scope="col">Profiles</th><th scope="col">Deadline</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    canCreate
      ? [
          '<h2 id="new-evaluation">New evaluation</h2>',
          '<form method="post" action="/evaluations" aria-labelledby="new-evaluation">',
          csrfField(context),
          '<div class="field"><label for="evaluation-name">Name</label><input id="evaluation-name" name="name" type="text" required maxlength="200"></div>',
          '<fieldset><legend>Profiles</legend><ul class="choices">',
          ...profiles.map(
            (p, i) =>
              `<li><input type="checkbox" id="profile-${i}" name="profiles" value="${escapeHtml(p)}"> <label for="profile-${i}">${escapeHtml(p)}</label></li>`,
          ),
          '</ul></fieldset>',
          '<div class="field"><label for="evaluation-deadline">Deadline <span class="muted">(optional)</span></label><input id="evaluation-deadline" name="deadline" type="date"></div>',
          '<button type="submit">Create evaluation</button>',
          '</form>',
        ].join('\n')
      : '',
  ]);
}

const STATUS_LABEL: Readonly<Record<string, string>> = { queued: 'Queued', running: 'Running', finished: 'Finished', failed: 'Failed' };

/** A run's status and verdict in words. */
export function runStatusText(run: RunView): string {
  const status = STATUS_LABEL[run.status] ?? run.status;
  if (run.status !== 'finished' || !run.verdict) return status;
  return `${status}: ${run.verdict}${typeof run.failed === 'number' ? ` (${run.failed} failed)` : ''}`;
}

/** Runs as a table, newest first as given. */
export function renderRunsTable(runs: readonly RunView[], caption: string): string {
  if (runs.length === 0) return '<p>No runs yet.</p>';
  const rows = runs.map(
    (r) =>
      `<tr><th scope="row"><a href="/runs/${seg(r.id)}">Run ${htmlText(r.id.slice(0, 8), 8)}</a>${r.selfTest ? ' <span class="muted">(self-test)</span>' : ''}</th><td>${htmlText(r.supplierName, 200)}</td><td>${htmlText(r.profile, 100)}</td>` +
      `<td class="status-word">${htmlText(runStatusText(r), 200)}</td><td>${when(r.queuedAt)}</td><td>${when(r.finishedAt)}</td></tr>`,
  );
  return `<table><caption>${htmlText(caption, 400)}</caption><thead><tr><th scope="col">Run</th><th scope="col">Supplier</th><th scope="col">Profile</th><th scope="col">Status</th><th scope="col">Queued</th><th scope="col">Finished</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * @example
 *   renderEvaluationPage(context, evaluation, { notice: '2 runs queued.' });
 */
export function renderEvaluationPage(context: PageContext, evaluation: EvaluationView, options: { notice?: string; error?: string } = {}): string {
  const manage = context.account?.role === 'admin' || context.account?.role === 'evaluator';
  const base = `/evaluations/${seg(evaluation.id)}`;
  const suppliers = evaluation.suppliers.map(
    (s) =>
      `<tr><th scope="row"><a href="/suppliers/${seg(s.id)}">${htmlText(s.name, 200)}</a></th><td><code>${htmlText(s.target, 400)}</code></td><td>${s.authKind ? htmlText(s.authKind, 100) : '<span class="muted">none</span>'}</td><td>${s.hasClaims ? 'uploaded' : '<span class="muted">none</span>'}</td></tr>`,
  );
  return renderWebPage(context, evaluation.name, [
    `<p class="kicker">Evaluation</p><h1>${htmlText(evaluation.name, 200)}</h1>`,
    options.notice ? `<div class="notice" role="status"><p>${htmlText(options.notice, 400)}</p></div>` : '',
    options.error ? `<div class="error-summary" role="alert"><p>${htmlText(options.error, 400)}</p></div>` : '',
    '<dl class="facts">',
    `<dt>Profiles</dt><dd>${evaluation.profiles.map((p) => htmlText(p, 100)).join(', ')}</dd>`,
    `<dt>Deadline</dt><dd>${when(evaluation.deadline)}</dd>`,
    `<dt>Public key</dt><dd><a href="${base}/public-key.pub" download>Download the public key (.pub)</a> to verify this evaluation's signed reports</dd>`,
    `<dt>Comparison</dt><dd><a href="${base}/compare">Compare suppliers (requirement by supplier)</a></dd>`,
    `<dt>Audit log</dt><dd><a href="${base}/audit">Who did what in this evaluation</a></dd>`,
    '</dl>',
    '<h2 id="suppliers-heading">Suppliers</h2>',
    evaluation.suppliers.length === 0
      ? '<p>No suppliers yet.</p>'
      : `<table><caption>Suppliers in this evaluation</caption><thead><tr><th scope="col">Supplier</th><th scope="col">Sandbox</th><th scope="col">Authentication</th><th scope="col">Claims</th></tr></thead><tbody>${suppliers.join('')}</tbody></table>`,
    manage && evaluation.suppliers.length > 0
      ? [
          `<form method="post" action="${base}/runs" aria-labelledby="queue-heading">`,
          '<h3 id="queue-heading">Queue runs</h3>',
          csrfField(context),
          '<fieldset><legend>Suppliers to run</legend><ul class="choices">',
          ...evaluation.suppliers.map(
            (s, i) => `<li><input type="checkbox" id="run-supplier-${i}" name="suppliers" value="${escapeHtml(s.id)}" checked> <label for="run-supplier-${i}">${htmlText(s.name, 200)}</label></li>`,
          ),
          '</ul></fieldset>',
          '<button type="submit">Queue runs</button>',
          '</form>',
        ].join('\n')
      : '',
    manage ? renderAddSupplierForm(context, base) : '',
    '<h2>Runs</h2>',
    renderRunsTable(evaluation.runs, 'Runs of this evaluation, newest first'),
  ]);
}

function renderAddSupplierForm(context: PageContext, base: string): string {
  return [
    '<h3 id="add-supplier-heading">Add a supplier</h3>',
    `<form method="post" action="${base}/suppliers" aria-labelledby="add-supplier-heading" autocomplete="off">`,
    csrfField(context),
    '<div class="field"><label for="supplier-name">Supplier name</label><input id="supplier-name" name="name" type="text" required maxlength="200"></div>',
    '<div class="field"><label for="supplier-target">Sandbox URL</label><span class="hint" id="supplier-target-hint">The base URL the profile\'s paths are appended to, e.g. https://sandbox.vendor.example/api</span>',
    '<input id="supplier-target" name="target" type="url" required aria-describedby="supplier-target-hint"></div>',
    '<fieldset><legend>Authentication (stored encrypted, never shown again)</legend>',
    '<div class="field"><label for="auth-kind">Method</label><select id="auth-kind" name="authKind">',
    '<option value="none">None</option><option value="bearer">Bearer token</option><option value="client">OAuth client credentials</option><option value="header">A header</option></select></div>',
    '<div class="field"><label for="auth-token">Bearer token</label><input id="auth-token" name="bearerToken" type="password" autocomplete="off"></div>',
    '<div class="field"><label for="auth-client-id">Client id</label><input id="auth-client-id" name="clientId" type="text" autocomplete="off"></div>',
    '<div class="field"><label for="auth-client-secret">Client secret</label><input id="auth-client-secret" name="clientSecret" type="password" autocomplete="off"></div>',
    '<div class="field"><label for="auth-token-url">Token URL <span class="muted">(optional)</span></label><input id="auth-token-url" name="tokenUrl" type="url"></div>',
    '<div class="field"><label for="auth-header-name">Header name</label><input id="auth-header-name" name="headerName" type="text" autocomplete="off"></div>',
    '<div class="field"><label for="auth-header-value">Header value</label><input id="auth-header-value" name="headerValue" type="password" autocomplete="off"></div>',
    '</fieldset>',
    '<button type="submit">Add supplier</button>',
    '</form>',
  ].join('\n');
}
