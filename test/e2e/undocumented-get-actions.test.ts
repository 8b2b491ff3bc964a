/**
 * NocoBase (helper run, 2.2.15) runs its actions on GET as on POST. With
 * --allow-writes --negative, the undocumented GET asked of its POST-only paths
 * made notes and roles, restarted the app and deleted the key the run was
 * using, and the report said nothing was created; once those were named,
 * `GET /workflows:revision` copied a user's workflow. The GET now goes only to
 * a collection the run creates its own records in, at a path with no
 * parameter whose names say no change, and replay asks it only as the run does.
 */
import Fastify from 'fastify';
import t from 'tap';
import { replay, run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const post = (summary: string) => ({ post: { summary, responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } });
// No operationIds, as NocoBase's api-doc plugin writes them: only the path can say what a call does.
const document = {
  openapi: '3.0.3',
  info: { title: 'rpc', version: '1' },
  paths: {
    '/notes:create': post('create a note'),
    '/app:restart': post('restart'),
    '/apiKeys:destroy/{filterByTk}': { ...post('destroy a key'), parameters: [{ name: 'filterByTk', in: 'path', required: true, schema: { type: 'integer' }, example: 1 }] },
    '/posts/{id}:publish': { ...post('publish'), parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' }, example: 1 }] },
    '/app:check': post('check'),
    '/workflows:revision': post('copy a workflow'),
    // A REST collection the run makes its own notes in: the one path asked.
    '/notes': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { title: { type: 'string' } } } } } }, responses: { '201': { description: 'made', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'integer' } } } } } } } } },
    '/notes/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } },
      delete: { responses: { '204': { description: 'gone' } } },
    },
  },
};

t.test('--allow-writes --negative asks an undocumented GET only where it cannot be an action on a named thing', async (t) => {
  const done: string[] = [];
  const app = Fastify();
  // Every action runs on GET and POST alike, as NocoBase's do.
  for (const path of ['/notes:create', '/app:restart', '/apiKeys:destroy/:filterByTk', '/posts/:id:publish', '/app:check', '/workflows:revision']) {
    app.route({ method: ['GET', 'POST'], url: path.replace(/:(create|restart|destroy|publish|check|revision)/, '::$1'), handler: async (request) => {
      done.push(`${request.method} ${request.url}`);
      return { data: 'ok' };
    } });
  }
  const notes = new Map<number, unknown>();
  app.post('/notes', async (request, reply) => {
    const id = notes.size + 1;
    notes.set(id, request.body);
    return reply.code(201).send({ id });
  });
  app.get('/notes', async (request) => {
    done.push(`GET ${request.url}`);
    return [...notes.keys()];
  });
  app.get('/notes/:id', async (request, reply) => (notes.has(Number((request.params as { id: string }).id)) ? { id: 1 } : reply.code(404).send()));
  app.delete('/notes/:id', async (request, reply) => {
    notes.delete(Number((request.params as { id: string }).id));
    return reply.code(204).send();
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, negative: { seed: 1 }, checks: ['unsupported-method'] });
  t.same(done.filter((d) => d.startsWith('GET ')), ['GET /notes'], 'only the collection the run makes its own notes in was asked');
  const asked = report.results.filter((r) => r.check === 'unsupported-method' && r.path === '/notes' && r.method === 'POST');
  t.same(asked.map((r) => r.status), ['fail'], 'a 200 to it is a failure: 405 was due');
  t.equal(notes.size, 0, 'the run deleted the note it made');

  // Replay asks it only as the run did: with --allow-writes.
  const before = done.length;
  const readOnly = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: asked.map((r) => r.id!) });
  t.equal(done.length, before, 'not sent without --allow-writes');
  t.match(readOnly.replayed[0], { status: 'not-replayed', reason: /asked \/notes this undocumented GET only with --allow-writes/ });
  const writing = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, allowWrites: true, resultIds: asked.map((r) => r.id!) });
  t.same(done.slice(before), ['GET /notes'], 'sent with it');
  t.not(writing.replayed[0]?.status, 'not-replayed');

  // A report made by an older build, which asked GET /workflows:revision: replay does not ask it again.
  const older = structuredClone(report);
  const result = older.results.find((r) => r.id === asked[0]!.id)!;
  result.path = '/workflows:revision';
  result.operationId = 'post_workflows_revision';
  result.evidence!.request.url = `${String(target).replace(/\/$/, '')}/workflows:revision`;
  const refused = await replay({ report: older, cwd: dir, profile: `${dir}/openapi.json`, allowWrites: true, resultIds: [result.id!] });
  t.equal(done.length, before + 1, 'nothing more was sent');
  t.match(refused.replayed[0], { status: 'not-replayed', reason: /not sent, even with --allow-writes: POST \/workflows:revision is not a collection the run creates its own records in/ });
});
