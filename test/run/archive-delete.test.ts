import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Unleash 6.10: a feature flag's DELETE is `archiveFeature`, "Archive a
 * feature flag", answered 202; the flag then reads 404, but stays in the
 * database, archived. The report said "none left behind" after every write
 * run. A DELETE whose operation says it archives now leaves the record
 * listed, saying so.
 */

const json = (schema: unknown) => ({ 'application/json': { schema } });
const thing = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };

function document(remove: Record<string, unknown>): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'things', version: '1' },
    paths: {
      '/things': { post: { operationId: 'createThing', requestBody: { required: true, content: json(thing) }, responses: { '201': { description: 'made', content: json(thing) } } } },
      '/things/{name}': {
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok', content: json(thing) }, '404': { description: 'none' } } },
        delete: { ...remove, responses: { '202': { description: 'accepted' } } },
      },
    },
  });
}

async function supplier(t: Test) {
  const live = new Set<string>();
  const archived = new Set<string>();
  const app = Fastify();
  app.post<{ Body: { name: string } }>('/things', async (request, reply) => {
    live.add(request.body.name);
    return reply.code(201).send({ name: request.body.name });
  });
  app.get<{ Params: { name: string } }>('/things/:name', async (request, reply) => (live.has(request.params.name) ? { name: request.params.name } : reply.code(404).send({})));
  app.delete<{ Params: { name: string } }>('/things/:name', async (request, reply) => {
    if (live.delete(request.params.name)) archived.add(request.params.name);
    return reply.code(202).send();
  });
  return { target: await listen(t, app), archived };
}

t.test('a DELETE whose operation says it archives leaves the record listed, archived', async (t) => {
  for (const remove of [{ operationId: 'archiveThing' }, { operationId: 'removeThing', summary: 'Archive a thing' }]) {
    const { target, archived } = await supplier(t);
    const dir = t.testdir({ 'openapi.json': document(remove) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.equal(archived.size, 1, 'the supplier keeps it, archived');
    t.same(report.cleanup?.deleted, [], JSON.stringify(remove));
    t.match(report.cleanup?.leftBehind, [{ url: new RegExp(`/things/${[...archived][0]}$`), reason: /^DELETE \/things\/\{name\} \((archiveThing|"Archive a thing")\) answered 202: the document says it archives, so the supplier likely keeps the record, archived/ }]);
    t.match(report.results.find((r) => r.check === 'use-after-delete' && r.status !== 'skip'), { status: 'pass' }, JSON.stringify(report.results.filter((r) => r.check === 'use-after-delete')));
  }
});

t.test('a DELETE named for deleting an archive deletes', async (t) => {
  const { target } = await supplier(t);
  const dir = t.testdir({ 'openapi.json': document({ operationId: 'deleteArchive', summary: 'Delete an archive' }) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.equal(report.cleanup?.deleted.length, 1);
  t.same(report.cleanup?.leftBehind, []);
});
