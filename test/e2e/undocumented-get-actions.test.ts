/**
 * NocoBase (helper run, 2.2.15) runs its actions on GET as on POST. With
 * --allow-writes --negative, the undocumented GET asked of its POST-only paths
 * made notes and roles, restarted the app and deleted the key the run was
 * using, and the report said nothing was created. The GET now goes only to a
 * path with no parameter whose names say no change, and replay asks it only
 * as the run does.
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
    '/notes/{id}:publish': { ...post('publish'), parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' }, example: 1 }] },
    '/app:check': post('check'),
  },
};

t.test('--allow-writes --negative asks an undocumented GET only where it cannot be an action on a named thing', async (t) => {
  const done: string[] = [];
  const app = Fastify();
  // Every action runs on GET and POST alike, as NocoBase's do.
  for (const path of ['/notes:create', '/app:restart', '/apiKeys:destroy/:filterByTk', '/notes/:id:publish', '/app:check']) {
    app.route({ method: ['GET', 'POST'], url: path.replace(/:(create|restart|destroy|publish|check)/, '::$1'), handler: async (request) => {
      done.push(`${request.method} ${request.url}`);
      return { data: 'ok' };
    } });
  }
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, negative: { seed: 1 }, checks: ['unsupported-method'] });
  t.same(done.filter((d) => d.startsWith('GET ')), ['GET /app:check'], 'only the path that names no change and has no parameter was asked');
  const asked = report.results.filter((r) => r.check === 'unsupported-method');
  t.same(asked.map((r) => [r.path, r.status]), [['/app:check', 'fail']], 'a 200 to it is a failure: 405 was due');

  // Replay asks it only as the run did: with --allow-writes.
  const before = done.length;
  const readOnly = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, resultIds: asked.map((r) => r.id!) });
  t.equal(done.length, before, 'not sent without --allow-writes');
  t.match(readOnly.replayed[0], { status: 'not-replayed', reason: /asked \/app:check this undocumented GET only with --allow-writes/ });
  const writing = await replay({ report, cwd: dir, profile: `${dir}/openapi.json`, allowWrites: true, resultIds: asked.map((r) => r.id!) });
  t.same(done.slice(before), ['GET /app:check'], 'sent with it');
  t.not(writing.replayed[0]?.status, 'not-replayed');

  // A report made by an older build, which asked GET /notes:create: replay does not ask it again.
  const older = structuredClone(report);
  const result = older.results.find((r) => r.id === asked[0]!.id)!;
  result.path = '/notes:create';
  result.operationId = 'post_notes_create';
  result.evidence!.request.url = `${String(target).replace(/\/$/, "")}/notes:create`;
  const refused = await replay({ report: older, cwd: dir, profile: `${dir}/openapi.json`, allowWrites: true, resultIds: [result.id!] });
  t.equal(done.length, before + 1, 'nothing more was sent');
  t.match(refused.replayed[0], { status: 'not-replayed', reason: /not sent, even with --allow-writes: POST \/notes:create is named as a change/ });
});
