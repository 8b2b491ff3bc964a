import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * Found on n8n 1.70: an invite of an address already pending answers 201 with
 * that user, someone else's. The harness sent the same made-up address on
 * every run, and a list whose first page did not show the user could not
 * warn it: the user was read, then DELETEd. Addresses are now unique to the
 * run, in nested objects and array items too (n8n's POST /users takes an array).
 */

const member = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string', format: 'email' } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });
const document = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'members', version: '1' },
  paths: {
    '/members': {
      post: { operationId: 'inviteMember', requestBody: { required: true, content: json({ ...member, required: ['name', 'email'] }) }, responses: { '201': { description: 'invited', content: json(member) } } },
    },
    '/members/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getMember', responses: { '200': { description: 'ok', content: json(member) }, '404': { description: 'gone' } } },
      delete: { operationId: 'removeMember', responses: { '204': { description: 'removed' }, '404': { description: 'gone' } } },
    },
  },
});

/** A supplier holding member m3; each invite answers with `answer(body)`. */
async function supplier(t: Test, answer: (body: Record<string, string>, members: Map<string, Record<string, string>>) => Record<string, string>) {
  const members = new Map<string, Record<string, string>>([['m3', { id: 'm3', name: 'Real Person', email: 'real@police.example' }]]);
  const invites: Array<Record<string, string>> = [];
  const deletes: string[] = [];
  const app = Fastify();
  app.post<{ Body: Record<string, string> }>('/members', async (request, reply) => {
    invites.push(request.body);
    return reply.code(201).send(answer(request.body, members));
  });
  app.get<{ Params: { id: string } }>('/members/:id', async (request, reply) => members.get(request.params.id) ?? reply.code(404).send({}));
  app.delete<{ Params: { id: string } }>('/members/:id', async (request, reply) => {
    deletes.push(request.params.id);
    return reply.code(members.delete(request.params.id) ? 204 : 404).send();
  });
  return { target: await listen(t, app), members, invites, deletes };
}

async function runWrites(t: Test, target: string) {
  const dir = t.testdir({ 'openapi.json': document });
  return run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
}

t.test("an email address in a generated body is the run's own", async (t) => {
  const { target, invites, deletes } = await supplier(t, (body, members) => {
    const made = { id: 'm9', ...body };
    members.set('m9', made);
    return made;
  });
  await runWrites(t, target);
  t.match(invites[0], { name: /^interop-probe-[0-9a-f]+$/, email: /^interop-probe-[0-9a-f]+@example\.org$/ });
  t.same(deletes, ['m9'], 'its own record is deleted as before');
});

t.test('a create answered with an array none of whose items is the one sent: the reason says so, and nothing is deleted', async (t) => {
  // n8n answers POST /users with [{ user: { id } }]: the old reason said the body named no id.
  const { target, deletes } = await supplier(t, (body, members) => {
    members.set('m9', { id: 'm9', ...body });
    return [{ member: { id: 'm9' } }] as unknown as Record<string, string>;
  });
  const report = await runWrites(t, target);
  t.same(deletes, []);
  t.match(report.cleanup?.leftBehind, [{ reason: /answered 201, but neither its links nor a Location header named the record's \{id\}, and its body is an array, in which no single item both carries the values the run sent and names an id, so the run could not delete it$/ }]);
});

t.test("the record under its resource's own name is the one made, and is deleted", async (t) => {
  // Found on n8n 1.123: POST /users takes a list and answers [{user: {id, email, inviteAcceptUrl}, error: ""}]. No id was
  // taken, so every write run left a pending user behind, and the report kept the link that claims the account.
  const { target, deletes } = await supplier(t, (body, members) => {
    members.set('m9', { id: 'm9', ...body });
    return { member: { id: 'm9', ...body }, error: '' } as unknown as Record<string, string>;
  });
  const report = await runWrites(t, target);
  t.same(deletes, ['m9']);
  t.same(report.cleanup?.leftBehind ?? [], []);
  // Review: a member under that name that carries nothing the run sent may be anyone's (here the one it matched): never deleted.
  const foreign = await supplier(t, () => ({ status: 'invitation queued', member: { id: 'm3', name: 'Real Person' } }) as unknown as Record<string, string>);
  const queued = await runWrites(t, foreign.target);
  t.same(foreign.deletes, [], 'm3, someone else, is not deleted');
  t.match(queued.cleanup?.leftBehind, [{ reason: /named the record's \{id\}/ }]);
  const batch = JSON.parse(document) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> };
  batch.paths['/members']!.post!.requestBody!.content['application/json']!.schema = { type: 'array', items: { ...member, required: ['name', 'email'] } };
  const app = Fastify();
  const removed: string[] = [];
  const held = new Map<string, unknown>([['m3', { id: 'm3', name: 'Real Person' }]]);
  app.post<{ Body: Array<Record<string, string>> }>('/members', async (request, reply) => {
    held.set('m9', { id: 'm9', ...request.body[0] });
    // The run's own address in the one item, under the resource's name; another member under another name beside it.
    return reply.code(201).send([{ member: { id: 'm9', email: request.body[0]!.email }, invitedBy: { id: 'm3' }, error: '' }]);
  });
  app.get<{ Params: { id: string } }>('/members/:id', async (request, reply) => held.get(request.params.id) ?? reply.code(404).send({}));
  app.delete<{ Params: { id: string } }>('/members/:id', async (request, reply) => {
    removed.push(request.params.id);
    return reply.code(held.delete(request.params.id) ? 204 : 404).send();
  });
  const dir = t.testdir({ 'openapi.json': JSON.stringify(batch) });
  const batched = await run({ profile: `${dir}/openapi.json`, target: await listen(t, app), allowWrites: true });
  t.same(removed, ['m9'], 'a batch of one, answered as n8n does: its own record deleted, never m3');
  t.same(batched.cleanup?.leftBehind ?? [], []);
});
