/**
 * Every page renders what a supplier sent or a user typed as text: names,
 * URLs, progress lines, audit details. A hostile value can neither add markup
 * nor leave an attribute, and every form carries the CSRF token.
 */
import t, { type Test } from 'tap';
import { renderAuditPage } from '../../harness/web/audit-page.js';
import { renderEvaluationPage, renderEvaluationsPage } from '../../harness/web/evaluation-pages.js';
import { renderLoginPage } from '../../harness/web/login-page.js';
import { renderRunPage } from '../../harness/web/run-page.js';
import { renderSupplierPage } from '../../harness/web/supplier-page.js';
import type { PageContext } from '../../harness/web/web-page.js';
import type { EvaluationView, RunView, SupplierView } from '../../harness/web/web-port.js';

const EVIL = `"><script>alert(1)</script><img src=x onerror=alert(2)>\u202e`;
const context: PageContext = { account: { id: 'a1', email: `eve${EVIL}@x`, role: 'evaluator', supplierId: null }, csrfToken: 'tok-123' };
const supplier: SupplierView = { id: `s1${EVIL}`, evaluationId: 'e1', name: `Vendor ${EVIL}`, target: `https://x.example/${EVIL}`, authKind: 'bearerToken', hasClaims: true };
const run: RunView = { id: `r1${EVIL}`, evaluationId: 'e1', supplierId: supplier.id, supplierName: supplier.name, profile: `baseline${EVIL}`, status: 'finished', verdict: `non-conformant${EVIL}`, failed: 2, finishedAt: '2026-12-05T10:00:00Z', error: EVIL };
const evaluation: EvaluationView = { id: 'e1', name: `Tender ${EVIL}`, profiles: [`baseline${EVIL}`], deadline: '2027-01-01', suppliers: [supplier], runs: [run] };

function assertInert(t: Test, html: string, page: string): void {
  t.notMatch(html, /<script>alert/, `${page}: no injected script element`);
  t.notMatch(html, /<img src=x/, `${page}: no injected element`);
  t.notMatch(html, /"><script/, `${page}: no attribute break-out`);
  t.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, `${page}: the text is shown, escaped`);
  // Attribute values (ids in form values) keep their exact characters; the text a reader sees must not.
  t.notMatch(withoutAttributeValues(html), /\u202e/, `${page}: a bidi override is never shown raw`);
  const forms = html.match(/<form\b/g)?.length ?? 0;
  const tokens = html.match(/<input type="hidden" name="_csrf" value="tok-123">/g)?.length ?? 0;
  t.equal(tokens, forms, `${page}: every form (${forms}) carries the CSRF token`);
}

function withoutAttributeValues(html: string): string {
  return html.replace(/="[^"]*"/g, '=""');
}

t.test('hostile text stays text on every page', async (t) => {
  assertInert(t, renderEvaluationsPage(context, [evaluation], ['baseline']), 'evaluations');
  assertInert(t, renderEvaluationPage(context, evaluation, { error: EVIL }), 'evaluation');
  assertInert(t, renderRunPage(context, run, [{ seq: 1, type: 'probe-finished', text: EVIL }]), 'run');
  assertInert(t, renderSupplierPage({ ...context, account: { id: 'a2', email: 's@x', role: 'supplier', supplierId: supplier.id } }, supplier, [run]), 'supplier (own)');
  assertInert(t, renderAuditPage(context, [{ at: '2026-12-05T10:00:00Z', actor: EVIL, action: 'login-failed', subject: EVIL, detail: EVIL }], null), 'audit');
  const login = renderLoginPage({ account: null, csrfToken: 'tok-123' }, { error: EVIL, email: EVIL });
  t.notMatch(login, /<script>alert/);
  t.match(login, /name="_csrf" value="tok-123"/);
});

t.test('pages link only to this service, with ids encoded into one path segment', async (t) => {
  const html = renderEvaluationPage(context, evaluation);
  t.match(html, /href="\/suppliers\/s1%22%3E%3Cscript%3E/, 'the id is percent-encoded');
  t.notMatch(html, /href="(?!\/|#)/, 'no link leaves the service');
  t.notMatch(withoutAttributeValues(html), /<[^>]*\s(?:style|on[a-z]+)=/i, 'no inline style or handler (the CSP would refuse it)');
});

t.test('credentials are never rendered: the supplier shows only how it authenticates', async (t) => {
  const html = renderEvaluationPage(context, evaluation);
  t.match(html, /bearerToken/);
  t.notMatch(html, /value="[^"]*secret/i);
});
