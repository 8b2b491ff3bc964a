import t from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { preparePlan } from '../../harness/run/prepare-run.js';
import { planDryRun } from '../../harness/run/dry-run.js';
import { listen } from '../support/listen.js';

/**
 * Found on Homebridge's UI (homebridge-config-ui-x 4.76): --allow-writes
 * created {"admin": true, "password": "example"}, a real administrator with a
 * known password for as long as the run lasted, written in clear in the report.
 */

const user = { type: 'object', required: ['username', 'password', 'admin', 'owner'], properties: { username: { type: 'string' }, password: { type: 'string', minLength: 8 }, admin: { type: 'boolean' }, owner: { type: 'boolean', example: true }, pin: { type: 'string', format: 'password' } } };
const json = (schema: unknown) => ({ 'application/json': { schema } });
const document = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'users', version: '1' },
  paths: {
    '/users': { post: { operationId: 'createUser', requestBody: { required: true, content: json({ ...user, required: [...user.required, 'pin'] }) }, responses: { '201': { description: 'made', content: json({ type: 'object', properties: { id: { type: 'string' } } }) } } } },
    '/users/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getUser', responses: { '200': { description: 'ok', content: json({ type: 'object' }) }, '404': { description: 'gone' } } },
      delete: { operationId: 'deleteUser', responses: { '204': { description: 'gone' }, '404': { description: 'gone' } } },
    },
  },
});

t.test('a created user is no administrator, and its password is random and redacted everywhere', async (t) => {
  const made: Array<Record<string, unknown>> = [];
  const app = Fastify();
  app.post<{ Body: Record<string, unknown> }>('/users', async (request, reply) => {
    made.push(request.body);
    // A careless supplier echoes the password back, in its body and form-encoded in a Location.
    return reply.code(201).header('location', `/welcome?${new URLSearchParams({ pw: String(request.body.password) })}`).send({ id: 'u1', ...request.body, note: new URLSearchParams({ p: String(request.body.password) }).toString() });
  });
  app.get('/users/:id', async () => ({ id: 'u1' }));
  app.delete('/users/:id', async (_request, reply) => reply.code(204).send());
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': document });
  const report = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  const sent = made[0]!;
  t.equal(sent.admin, false, 'a generated boolean in a write is false');
  t.equal(sent.owner, false, 'a declared example: true too');
  t.not(sent.password, 'example');
  t.match(sent.password, /^Ip1_.{16}$/, 'the run secret');
  t.equal(sent.pin, sent.password, 'format: password too');
  const text = JSON.stringify(report);
  t.notOk(text.includes(sent.password as string), 'the secret is nowhere in the report');
  t.notOk(text.includes(new URLSearchParams({ p: sent.password as string }).toString().slice(2)), 'not even form-encoded, as the supplier echoed it');
  t.match(text, /\\"password\\":\\"\[redacted\]\\"/, 'its place is marked');

  const again = await run({ profile: `${dir}/openapi.json`, target, allowWrites: true });
  t.ok(again.summary.probes > 0);
  t.not(made[1]!.password, sent.password, 'a new secret each run');

  const plan = planDryRun(await preparePlan({ profile: `${dir}/openapi.json`, target, allowWrites: true }));
  const body = plan.find((line) => line.operationId === 'createUser')?.body ?? '';
  t.match(body, /"password":"\[redacted\]"/, 'the dry run shows it redacted');
});

t.test('unique names, addresses and secrets reach nested objects and array items', async (t) => {
  // Review: n8n's POST /users takes [{email, role}], and still got probe@example.org.
  const invite = { type: 'object', required: ['email', 'role'], properties: { email: { type: 'string', format: 'email' }, role: { type: 'string', enum: ['global:member'] } } };
  const nested = { type: 'object', required: ['user'], properties: { user: { type: 'object', required: ['email', 'name', 'password'], properties: { email: { type: 'string', format: 'email' }, name: { type: 'string' }, password: { type: 'string' } } } } };
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'invites', version: '1' },
      paths: {
        '/users': { post: { operationId: 'inviteUsers', requestBody: { required: true, content: json({ type: 'array', items: invite }) }, responses: { '201': { description: 'invited' } } } },
        '/accounts': { post: { operationId: 'createAccount', requestBody: { required: true, content: json(nested) }, responses: { '201': { description: 'made' } } } },
      },
    }),
  });
  const plan = planDryRun(await preparePlan({ profile: `${dir}/openapi.json`, target: 'http://127.0.0.1:9', allowWrites: true, selection: { operations: ['inviteUsers', 'createAccount'] } }));
  const invites = JSON.parse(plan.find((line) => line.operationId === 'inviteUsers')!.body!) as Array<Record<string, string>>;
  t.match(invites, [{ email: /^interop-probe-[0-9a-f]+@example\.org$/, role: 'global:member' }]);
  const account = JSON.parse(plan.find((line) => line.operationId === 'createAccount')!.body!) as { user: Record<string, string> };
  t.match(account.user, { email: /^interop-probe-[0-9a-f]+@example\.org$/, name: /^interop-probe-[0-9a-f]+$/, password: '[redacted]' });
});

t.test('the secret follows the oneOf branch the body example fits, and an additionalProperties schema constrains a field too', async (t) => {
  // Review: the first branch's rule was applied to an example of the second, so its known password was sent.
  const login = {
    oneOf: [
      { type: 'object', required: ['password', 'otp'], properties: { password: { type: 'string', maxLength: 8 }, otp: { type: 'string' } } },
      { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string', minLength: 12 } } },
    ],
  };
  const keyed = { type: 'object', required: ['apiKey'], additionalProperties: { type: 'string', maxLength: 8 } };
  // Review: additionalProperties judges only members neither properties nor patternProperties names.
  const patterned = { type: 'object', properties: { username: { type: 'string' } }, patternProperties: { '^pass': { type: 'string', minLength: 12 } }, additionalProperties: { type: 'string', maxLength: 8 } };
  const made: Array<{ path: string; body: Record<string, unknown> }> = [];
  const app = Fastify();
  for (const path of ['/operators', '/keys', '/accounts']) app.post<{ Body: Record<string, unknown> }>(path, async (request, reply) => {
    made.push({ path, body: request.body });
    return reply.code(201).send({ id: 'x1' });
  });
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'operators', version: '1' },
      paths: {
        '/operators': { post: { operationId: 'createOperator', requestBody: { required: true, content: { 'application/json': { schema: login, example: { username: 'ops', password: 'changeme-please' } } } }, responses: { '201': { description: 'made' } } } },
        '/keys': { post: { operationId: 'createKey', requestBody: { required: true, content: { 'application/json': { schema: keyed, example: { apiKey: 'k-123456' } } } }, responses: { '201': { description: 'made' } } } },
        '/accounts': { post: { operationId: 'createAccount', requestBody: { required: true, content: { 'application/json': { schema: patterned, example: { username: 'ops', password: 'changeme-please' } } } }, responses: { '201': { description: 'made' } } } },
      },
    }),
  });
  await run({ profile: `${dir}/openapi.json`, target, allowWrites: true, selection: { operations: ['createOperator', 'createKey', 'createAccount'] } });
  const operator = made.find((m) => m.path === '/operators')?.body;
  t.match(operator, { username: 'ops', password: /^Ip1_.{16}$/ }, 'the second branch, which the example fits, takes the run secret');
  const key = made.find((m) => m.path === '/keys')?.body;
  t.same(key, { apiKey: 'k-123456' }, 'a secret longer than additionalProperties allows is not sent: the body stays valid');
  t.match(made.find((m) => m.path === '/accounts')?.body, { username: 'ops', password: /^Ip1_.{16}$/ }, 'a field a patternProperties pattern names is judged by that schema, not additionalProperties');
});
