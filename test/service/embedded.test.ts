import t from 'tap';
import { apiClient, startTestService } from '../support/service.js';
import { evaluationFlow, supplierIsolation } from '../support/service-scenarios.js';

// One embedded (PGlite) service for the whole file: creating its data folder is the slow part.
const service = await startTestService(t, { worker: { concurrency: 2 } });

t.test('an evaluation through the API, on the embedded database', async (t) => {
  const flow = await evaluationFlow(t, service);
  await t.test('a supplier account cannot reach the other supplier', (t) => supplierIsolation(t, service, flow));
});

t.test('without INTEROP_SECRET_KEY the embedded mode generates one into the data folder, and says so', async (t) => {
  t.ok(service.notes.some((line) => /generated one into .*secret\.key \(mode 0600\)/.test(line)), service.notes.join('\n'));
});

t.test('bad requests answer problem details naming the field', async (t) => {
  const admin = apiClient(service.url, service.adminToken);
  const unknown = await admin('POST', '/api/evaluations', { name: 'x', profiles: ['../../etc/passwd'] });
  t.equal(unknown.status, 400);
  t.match(unknown.type, /^application\/problem\+json/);
  t.equal(unknown.body.field, 'profiles');
  const evaluation = (await admin('POST', '/api/evaluations', { name: 'y', profiles: ['baseline'] })).body;
  const withCredentialsInUrl = await admin('POST', `/api/evaluations/${evaluation.id}/suppliers`, { name: 'z', target: 'https://user:pass@sandbox.example' });
  t.equal(withCredentialsInUrl.status, 400);
  t.equal(withCredentialsInUrl.body.field, 'target');
  t.notMatch(withCredentialsInUrl.text, 'pass@', 'the URL is not echoed');
  const badAuth = await admin('POST', `/api/evaluations/${evaluation.id}/suppliers`, { name: 'z', target: 'https://sandbox.example', auth: { bearerToken: 'secret-value-123', extra: 1 } });
  t.equal(badAuth.status, 400);
  t.notMatch(badAuth.text, 'secret-value-123', 'refused credentials are not echoed either');
  t.equal((await admin('GET', '/api/nowhere')).status, 404);
  // Malformed ids are simply not found, never a database error.
  t.equal((await admin('GET', '/api/runs/not-a-uuid')).status, 404);
  t.equal((await admin('GET', `/api/evaluations/${evaluation.id}/runs?supplier=not-a-uuid`)).status, 404);
  t.equal((await admin('POST', '/api/tokens', { account: 'not-a-uuid' })).status, 404);
  t.equal((await admin('POST', `/api/evaluations/${evaluation.id}/members`, { account: 'not-a-uuid' })).status, 400);
});
