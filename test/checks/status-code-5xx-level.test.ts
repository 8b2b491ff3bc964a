/**
 * status-code leaves an undocumented 5xx to server-error only where server-error
 * runs at a level no weaker: without it, or with it at SHOULD, the 5xx fails status-code.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const doc = (requirements: unknown[]) => ({
  openapi: '3.0.3',
  info: { title: 'levels', version: '1.0.0' },
  'x-interop': { id: 'levels', version: '0.1.0', status: 'draft', principles: ['interoperability-first'], requirements },
  paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } } }, '/other': { get: { operationId: 'listOther', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } } } },
});

for (const [name, requirements] of [
  ['server-error at SHOULD', [
    { id: 'LV-01', level: 'SHOULD', statement: 'SHOULD NOT answer 5xx.', principle: 'interoperability-first', checks: ['server-error'] },
    { id: 'LV-02', level: 'MUST', statement: 'Every status MUST be documented.', principle: 'interoperability-first', checks: ['status-code'] },
  ]],
  ['no server-error at all', [
    { id: 'LV-02', level: 'MUST', statement: 'Every status MUST be documented.', principle: 'interoperability-first', checks: ['status-code'] },
  ]],
] as const) {
  t.test(`an undocumented 500 breaks a MUST status-code (${name})`, async (t) => {
    const app = Fastify();
    app.get('/things', async (_request, reply) => reply.code(500).send({ boom: true }));
    app.get('/other', async () => []);
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(doc(requirements as unknown as unknown[])) });
    const report = await run({ profile: `${dir}/openapi.json`, target });
    for (const r of report.results) t.comment(`${r.check} ${r.level} ${r.status}: ${r.message}`);
    t.equal(report.summary.verdict, 'non-conformant');
  });
}
