/**
 * Review of ba99048: the run's own record, read back in another representation of
 * a field the create's answer echoed (a read that masks the e-mail address it was
 * given), was taken for someone else's: no DELETE, and the run's record was left behind.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const contact = { type: 'object', required: ['id', 'name', 'email'], properties: { id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string', format: 'email' } } };
const document = {
  openapi: '3.0.3',
  info: { title: 'contacts', version: '1' },
  paths: {
    '/contacts': {
      post: {
        operationId: 'createContact',
        requestBody: { required: true, content: json({ type: 'object', required: ['name', 'email'], additionalProperties: false, properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } } }) },
        responses: { '201': { description: 'created', content: json(contact) } },
      },
    },
    '/contacts/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { operationId: 'getContact', responses: { '200': { description: 'the contact, its address masked', content: json(contact) }, '404': { description: 'none' } } },
      delete: { operationId: 'deleteContact', responses: { '204': { description: 'deleted' }, '404': { description: 'none' } } },
    },
  },
};

const mask = (email: string) => email.replace(/^(.).*@/, '$1***@');

for (const readName of [true, false]) t.test(`a read that masks the e-mail the create echoed${readName ? '' : ', and shows no name'}: still the run's own record, deleted by the run`, async (t) => {
  const contacts = new Map<number, { id: number; name: string; email: string }>();
  for (let id = 1; id <= 3; id++) contacts.set(id, { id, name: `someone ${id}`, email: `someone${id}@example.org` });
  const app = Fastify();
  app.post<{ Body: { name: string; email: string } }>('/contacts', async (request, reply) => {
    const made = { id: contacts.size + 1, ...request.body };
    contacts.set(made.id, made);
    return reply.code(201).send(made); // the creator sees the address it gave
  });
  app.get<{ Params: { id: string } }>('/contacts/:id', async (request, reply) => {
    const found = contacts.get(Number(request.params.id));
    if (!found) return reply.code(404).send({});
    const { name, ...rest } = found;
    return readName ? { ...found, email: mask(found.email) } : { ...rest, email: mask(found.email) };
  });
  app.delete<{ Params: { id: string } }>('/contacts/:id', async (request, reply) => (contacts.delete(Number(request.params.id)) ? reply.code(204).send() : reply.code(404).send({})));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.notOk(contacts.has(4), "the run's own contact, 4, is deleted");
  t.same(report.cleanup?.leftBehind ?? [], [], 'nothing is left behind');
});

t.test("an address read back as another's is someone else's record: no DELETE (second review of 53ea78a)", async (t) => {
  // An invite whose only value unique to the run is its address, answered with the wrong id (1, the inviter's).
  const user = { type: 'object', required: ['id', 'email'], properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' } } };
  const invites = {
    openapi: '3.0.3',
    info: { title: 'users', version: '1' },
    paths: {
      '/users': { post: { operationId: 'inviteUser', requestBody: { required: true, content: json({ type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string', format: 'email' } } }) }, responses: { '201': { description: 'invited', content: json(user) } } } },
      '/users/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getUser', responses: { '200': { description: 'ok', content: json(user) }, '404': { description: 'none' } } },
        delete: { operationId: 'deleteUser', responses: { '204': { description: 'deleted' }, '404': { description: 'none' } } },
      },
    },
  };
  const users = new Map<number, { id: number; email: string }>([[1, { id: 1, email: 'admin@example.org' }]]);
  const deletes: string[] = [];
  const app = Fastify();
  app.post<{ Body: { email: string } }>('/users', async (request, reply) => {
    users.set(2, { id: 2, email: request.body.email });
    return reply.code(201).send({ id: 1, email: request.body.email });
  });
  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => users.get(Number(request.params.id)) ?? reply.code(404).send({}));
  app.delete<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    deletes.push(request.params.id);
    return reply.code(users.delete(Number(request.params.id)) ? 204 : 404).send();
  });
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(invites) });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.same(deletes, [], 'the inviter is not deleted');
  t.ok(users.has(1));
  t.match(report.cleanup?.leftBehind, [{ url: /\/users$/, reason: /read back "email": "admin@example\.org", where the create's answer held the run's own value/ }]);
});

// Third review: a foreign team whose name merely holds a star, an ellipsis or "xxx" passed as masked, and was deleted.
const team = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };
const teamsDocument = {
  openapi: '3.0.3',
  info: { title: 'teams', version: '1' },
  paths: {
    '/teams': { post: { operationId: 'createTeam', requestBody: { required: true, content: json({ type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' } } }) }, responses: { '201': { description: 'created', content: json(team) } } } },
    '/teams/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { operationId: 'getTeam', responses: { '200': { description: 'ok', content: json(team) }, '404': { description: 'none' } } },
      delete: { operationId: 'deleteTeam', responses: { '204': { description: 'deleted' }, '404': { description: 'none' } } },
    },
  },
};

// 'Max Power' is the control: a plain foreign name was always caught.
for (const foreign of ['Max Power', 'Maxxx Power', 'A*STAR Research', 'Work in progress…']) {
  t.test(`a read back of another's team named ${JSON.stringify(foreign)} is not the run's: no DELETE`, async (t) => {
    const teams = new Map<number, { id: number; name: string }>([[1, { id: 1, name: foreign }]]);
    const deletes: string[] = [];
    const app = Fastify();
    app.post<{ Body: { name: string } }>('/teams', async (request, reply) => {
      teams.set(2, { id: 2, name: request.body.name });
      return reply.code(201).send({ id: 1, name: request.body.name }); // the wrong id, as in a5bdf8c's own test
    });
    app.get<{ Params: { id: string } }>('/teams/:id', async (request, reply) => teams.get(Number(request.params.id)) ?? reply.code(404).send({}));
    app.delete<{ Params: { id: string } }>('/teams/:id', async (request, reply) => {
      deletes.push(request.params.id);
      return reply.code(teams.delete(Number(request.params.id)) ? 204 : 404).send();
    });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(teamsDocument) });
    const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
    t.same(deletes, [], `team 1 (someone else's) gets no DELETE; left behind: ${JSON.stringify(report.cleanup?.leftBehind)}`);
    t.ok(teams.has(1), 'team 1 is still there');
  });
}
