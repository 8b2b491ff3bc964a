import t from 'tap';
import { cleanUp, runLifecycle, type CreatedRecord, type LifecycleDriver } from '../../harness/run/lifecycles.js';
import { planWrites } from '../../harness/plan/write-plan.js';
import { extractOperations } from '../../harness/profile/extract-operations.js';
import { planProbe, type PlanContext } from '../../harness/plan/plan-probe.js';
import { createValueHarvest } from '../../harness/plan/value-harvest.js';
import type { HttpExchange } from '../../harness/http/exchange-types.js';

/**
 * An id the run chose among several id fields of a create's answer (`{id: 9,
 * documentId: "doc9"}`) gets no update, DELETE or nested create until a read
 * of it answered 2xx (`confirmChosenId`). These drive `runLifecycle` and
 * `cleanUp` with a scripted driver, for the paths a real server cannot time:
 * a stop just before the confirming read, and a DELETE that cannot be planned.
 */

const json = { 'application/json': { schema: { type: 'object' } } };

function document(deleteOperation: Record<string, unknown>) {
  return {
    openapi: '3.0.3',
    info: { title: 'chosen ids', version: '1' },
    paths: {
      '/things': { post: { operationId: 'createThing', requestBody: { content: json }, responses: { '201': { description: 'made', content: json } } } },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json }, '404': { description: 'no' } } },
        put: { operationId: 'putThing', requestBody: { required: true, content: json }, responses: { '200': { description: 'ok', content: json } } },
        delete: { operationId: 'deleteThing', ...deleteOperation },
      },
    },
  };
}

/** A driver whose supplier answers the create {id: 9, documentId: "doc9"}, and each read as `readStatus` says. */
function scripted(doc: ReturnType<typeof document>, options: { readStatus: number; stopAfterCreate?: boolean }) {
  const { operations } = extractOperations(doc);
  const plan = planWrites(operations, operations.filter((o) => o.operationId !== 'getThing'), new Set(), doc);
  const context: PlanContext = { document: doc, target: new URL('http://127.0.0.1:9'), vars: {}, headers: {}, allowWrites: true };
  const harvest = createValueHarvest();
  const log: string[] = [];
  let stopped = false;
  const answer = (status: number, body: unknown) => {
    const bytes = Buffer.from(body === undefined ? '' : JSON.stringify(body));
    return { exchange: { response: { status, headers: {}, body: bytes, truncated: false }, evidence: { request: {} } } as unknown as HttpExchange, json: () => body };
  };
  const driver: LifecycleDriver = {
    plan: (operation, bound, scope) => planProbe(operation, context, harvest, true, bound, scope),
    async send(probe, cleanup) {
      const line = `${probe.request.method} ${new URL(probe.request.url).pathname}${cleanup ? ' (clean-up)' : ''}`;
      if (stopped && !cleanup) {
        log.push(`not sent: ${line}`);
        return undefined;
      }
      log.push(line);
      if (probe.request.method === 'POST') {
        stopped = options.stopAfterCreate === true;
        return answer(201, { id: 9, documentId: 'doc9' });
      }
      if (probe.request.method === 'GET') return answer(options.readStatus, options.readStatus < 300 ? { id: 9 } : { error: 'no' });
      return answer(probe.request.method === 'DELETE' ? 204 : 200, probe.request.method === 'DELETE' ? undefined : {});
    },
    judgesDeletion: true,
    skip: (operation, reason) => log.push(`skip ${operation.operationId}: ${reason}`),
    note: () => undefined,
  };
  return { lifecycle: plan.lifecycles[0]!, driver, log };
}

t.test('a stop just before the confirming read refutes nothing: the clean-up reads, then deletes', async (t) => {
  const { lifecycle, driver, log } = scripted(document({ responses: { '204': { description: 'gone' } } }), { readStatus: 200, stopAfterCreate: true });
  const ledger: CreatedRecord[] = [];
  await runLifecycle(lifecycle, driver, ledger);
  t.match(log, ['POST /things', 'not sent: GET /things/9', /^skip putThing: the run stopped first$/]);
  t.notOk(log.some((line) => /^PUT/.test(line)), 'no update');
  await cleanUp(ledger, driver);
  t.same(log.slice(-2), ['GET /things/9 (clean-up)', 'DELETE /things/9 (clean-up)'], 'the clean-up confirms the id with its own deadline, then deletes');
  t.match(ledger, [{ deleted: true }]);
});

t.test('a refuted id gets no update even where no DELETE could be planned', async (t) => {
  // The DELETE takes only an XML body the harness cannot write: recordCreated plans none.
  const xmlOnly = { requestBody: { required: true, content: { 'application/xml': { schema: { type: 'object' } } } }, responses: { '204': { description: 'gone' } } };
  const { lifecycle, driver, log } = scripted(document(xmlOnly), { readStatus: 404 });
  const ledger: CreatedRecord[] = [];
  await runLifecycle(lifecycle, driver, ledger);
  await cleanUp(ledger, driver);
  t.notOk(log.some((line) => /^(PUT|DELETE)/.test(line)), `no write to 9: ${log.join('; ')}`);
  t.ok(log.includes('GET /things/9'), 'the read that refuted it was sent');
  t.match(log.find((line) => line.startsWith('skip putThing')), /the read of the record \(http:\/\/127\.0\.0\.1:9\/things\/9\) answered 404, so the \{id\} "9" the run took from the create's answer may not name the record it made \(the path may take documentId\)/);
  t.match(ledger, [{ deleted: false, reason: /no DELETE could be planned/ }], 'left behind, saying why no DELETE was planned');
});
