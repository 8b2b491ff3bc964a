/**
 * What one request may put on the run queue: each profile once, and one
 * self-test per supplier at a time. No worker runs here, so queued runs stay
 * queued and the outcome does not depend on how fast a run finishes.
 */
import t from 'tap';
import { apiClient, startTestService } from '../support/service.js';

t.test('profiles are deduplicated, and a supplier has one self-test queued at a time', async (t) => {
  const service = await startTestService(t, { worker: false });
  const admin = apiClient(service.url, service.adminToken);
  const evaluation = (await admin('POST', '/api/evaluations', { name: 'Queue limits', profiles: ['baseline'] })).body;
  const supplier = (await admin('POST', `/api/evaluations/${evaluation.id}/suppliers`, { name: 'Vendor', target: 'http://127.0.0.1:9' })).body;

  const repeated = await admin('POST', `/api/evaluations/${evaluation.id}/runs`, { profiles: ['baseline', 'baseline', 'baseline'] });
  t.equal(repeated.status, 202, repeated.text);
  t.equal(repeated.body.runs.length, 1, 'a profile named three times queues one run');

  const account = (await admin('POST', '/api/accounts', { email: 'vendor@supplier.example', name: 'Vendor engineer', role: 'supplier', supplier: supplier.id })).body;
  const vendor = apiClient(service.url, (await admin('POST', '/api/tokens', { account: account.id, name: 'vendor-ci' })).body.token);
  const first = await vendor('POST', `/api/evaluations/${evaluation.id}/runs`, {});
  t.equal(first.status, 202, 'the first self-test is queued');
  const second = await vendor('POST', `/api/evaluations/${evaluation.id}/runs`, {});
  t.equal(second.status, 409, 'a second while the first is queued is refused');
  t.match(second.type, /^application\/problem\+json/, 'as a problem');
  t.match(second.body.detail, /already queued or running/);
  const runs = await vendor('GET', `/api/evaluations/${evaluation.id}/runs`);
  t.equal(runs.body.runs.filter((r: { kind: string }) => r.kind === 'self-test').length, 1, 'one self-test on the queue');
});
