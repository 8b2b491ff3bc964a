// The check stage on one probe: every selected check's finding becomes results in
// registry order, a check that throws or rejects is an `error` naming it (a harness
// bug, never a `fail`), and each result carries the probe's evidence.
import t from 'tap';
import type { Check, LifecycleStep } from '../../harness/checks/check.js';
import type { HttpExchange } from '../../harness/http/exchange-types.js';
import type { OperationSpec } from '../../harness/profile/profile-types.js';
import { checkExchange, type CheckStage } from '../../harness/run/check-exchange.js';
import type { CompiledValidators } from '../../harness/schema/compile-validators.js';

const operation = { operationId: 'getThing', method: 'GET', path: '/things/{id}', responses: [] } as unknown as OperationSpec;
const exchange: HttpExchange = {
  evidence: { request: { method: 'GET', url: 'http://127.0.0.1:9/things/1', headers: {} }, durationMs: 1 } as HttpExchange['evidence'],
  response: { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"id":"1"}'), truncated: false },
};
const step: LifecycleStep = { role: 'read-created', after: { method: 'POST', url: 'http://127.0.0.1:9/things', status: 201 }, idSource: 'location' };
const identity = { scope: 'generic', title: 't', description: 'd' } as const;

const checks: Check[] = [
  { ...identity, kind: 'response', id: 'passes', run: () => ({ status: 'pass', message: 'fine' }) },
  { ...identity, kind: 'response', id: 'throws', run: () => { throw new Error('boom'); } },
  { ...identity, kind: 'lifecycle', step: 'read-created', id: 'lifecycle-throws', run: ({ lifecycle }) => { throw new Error(`no ${lifecycle.role}`); } },
  { ...identity, kind: 'lifecycle', step: 'read-deleted', id: 'other-step', run: () => ({ status: 'pass', message: 'not this step' }) },
  { ...identity, kind: 'probe', id: 'rejects', run: async () => { throw new Error('later'); } },
];

function stage(): CheckStage {
  return {
    checks,
    document: {},
    validators: {} as CompiledValidators,
    maxJsonValues: 1000,
    maxPages: 1,
    requirements: new Map(),
    send: async () => exchange,
  };
}

t.test('a throwing or rejecting check is an error naming it, in registry order, with the evidence', async (t) => {
  const { results } = await checkExchange({ operation, request: { method: 'GET', url: 'http://127.0.0.1:9/things/1', headers: {}, followRedirects: false }, exchange, lifecycle: step }, stage());
  t.same(results.map((r) => [r.check, r.status]), [['passes', 'pass'], ['throws', 'error'], ['lifecycle-throws', 'error'], ['rejects', 'error']]);
  t.match(results[1]!.message, /check throws crashed \(a harness bug, please report it\): boom/);
  t.match(results[2]!.message, /check lifecycle-throws crashed .*: no read-created/);
  t.match(results[3]!.message, /check rejects crashed .*: later/);
  for (const result of results) t.equal(result.evidence, exchange.evidence, `${result.check} carries the probe's evidence`);
});

t.test('without a response every per-operation check is an error naming the cause', async (t) => {
  const failed: HttpExchange = { evidence: exchange.evidence, transportError: { code: 'connection-refused', message: 'connection refused' } as HttpExchange['transportError'] };
  const { results } = await checkExchange({ operation, request: { method: 'GET', url: 'http://127.0.0.1:9/things/1', headers: {}, followRedirects: false }, exchange: failed }, stage());
  t.same(results.map((r) => r.check), ['passes', 'throws', 'rejects'], 'lifecycle checks only for their own step');
  for (const result of results) t.same([result.status, result.message], ['error', 'not checked: connection refused']);
});
