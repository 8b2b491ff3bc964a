/**
 * Review of 4b0532b: every write refused 403 because the token lacks write permission
 * (no WWW-Authenticate, as most APIs answer a 403). Every write's body is made by the
 * harness, so each refusal is a warning in status-code; the run must still not be
 * conformant, since no write was judged (the writes-refused caveat).
 */
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const TOKEN = 'read-only-token-0123456789';
const json = (schema: unknown) => ({ 'application/json': { schema } });
const thing = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };
const ok = (schema: unknown) => ({ '200': { description: 'ok', content: json(schema) } });

function documentWith(collections: string[]) {
  const paths: Record<string, unknown> = {};
  for (const c of collections) {
    paths[`/${c}`] = {
      get: { operationId: `list-${c}`, responses: ok({ type: 'array', items: thing }) },
      post: { operationId: `create-${c}`, requestBody: { required: true, content: json({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }) }, responses: { '201': { description: 'made', content: json(thing) } } },
    };
    paths[`/${c}/{id}`] = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      put: { operationId: `replace-${c}`, requestBody: { required: true, content: json({ type: 'object', properties: { name: { type: 'string' } } }) }, responses: ok(thing) },
      delete: { operationId: `delete-${c}`, responses: { '204': { description: 'gone' } } },
    };
  }
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'read-only token', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  });
}

async function supplier(t: Test) {
  const app = Fastify();
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return reply.code(401).header('www-authenticate', 'Bearer').send({ message: 'no token' });
    // The token may read, not write: every write is refused, whatever its body.
    if (request.method !== 'GET') return reply.code(403).send({ message: 'this token has no write permission' });
  });
  app.get('/:c', async () => []);
  return listen(t, app);
}

t.test('--allow-writes with a token that may not write: no write was judged, so the run is not "conformant"', async (t) => {
  const target = await supplier(t);
  const dir = t.testdir({ 'openapi.json': documentWith(['things', 'tags', 'notes']) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, token: TOKEN });
  const creates = report.results.filter((r) => r.check === 'status-code' && r.method === 'POST');
  t.equal(creates.length, 3, 'three creates were sent');
  t.ok(creates.every((r) => r.status === 'warn'), `each 403 is only a warning: ${creates.map((r) => r.status).join(', ')}`);
  t.equal(report.cleanup?.created ?? 0, 0, 'nothing was created, nothing updated or deleted');
  t.equal(report.summary.verdict, 'inconclusive');
  t.match(report.summary.caveats, [{ code: 'writes-refused', message: 'every write was refused: all 3 writes sent with credentials answered 401 or 403, so no write was judged' }]);
});

t.test('the same refusals outnumbering the reads: the credentials caveat counts those to bodies the harness made', async (t) => {
  const target = await supplier(t);
  // One collection read, three created: 3 of 4 answers are 403.
  const doc = JSON.parse(documentWith(['things', 'tags', 'notes']));
  for (const c of ['tags', 'notes']) delete doc.paths[`/${c}`].get;
  const dir = t.testdir({ 'openapi.json': JSON.stringify(doc) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, token: TOKEN });
  const caveat = report.summary.caveats?.find((c) => c.code === 'credentials-rejected');
  t.equal(caveat?.message, 'credentials missing or rejected: 3 of 4 responses were 401 or 403 (3 of them to a request body the harness made)');
  t.notOk(report.summary.caveats?.some((c) => c.code === 'writes-refused'), 'said once');
});
