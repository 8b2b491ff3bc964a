/**
 * What a trial against Directus 10.10 showed, on a small look-alike: it answers
 * 403 (not 404) for a record that does not exist, to every caller; 403 to a
 * caller without credentials; and `pong`, labelled text/html, to its ping.
 * The harness must not blame the credentials for a 403 to an id it made up,
 * call `pong` a web page, count negative requests as operations, or headline
 * failures its own credentials caveat voids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

const TOKEN = 'directus-look-alike-token';

const byId = (operationId: string, schema: Record<string, unknown>) => ({
  get: {
    operationId,
    parameters: [{ name: 'id', in: 'path', required: true, schema }],
    responses: {
      '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
      '401': { description: 'no credentials' },
      '404': { description: 'no such record' },
    },
  },
});

/** As Directus documents itself: 200, 401 and 404, never 403; no security declared. */
const DOCUMENT = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'directus look-alike', version: '10.10.0' },
  paths: {
    '/server/ping': { get: { operationId: 'ping', responses: { '200': { description: 'pong', content: { 'application/text': { schema: { type: 'string' } } } } } } },
    '/folders': {
      get: {
        operationId: 'getFolders',
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'array' } } } } } }, '401': { description: 'no credentials' } },
      },
      post: { operationId: 'createFolder', requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '200': { description: 'ok' } } },
    },
    '/folders/{id}': byId('getFolder', { type: 'string', format: 'uuid', example: '8cbb43fe-4cdf-4991-8352-c461779cec02' }),
    '/relations/{id}': byId('getRelation', { type: 'integer' }),
    '/roles/{id}': byId('getRole', { type: 'string' }),
    '/utils/random/string': {
      get: {
        operationId: 'random',
        parameters: [{ name: 'length', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 500 }, example: 8 }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'string' } } } } } } },
      },
    },
  },
});

/** `refuseAll`: every request is refused, the public ping's too (a token without any scope, behind a gateway that wants another). */
async function directus(t: Test, options: { refuseAll?: boolean } = {}): Promise<string> {
  const app = Fastify({ logger: false });
  const forbidden = { errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }] };
  const admitted = (authorization: unknown) => !options.refuseAll && authorization === `Bearer ${TOKEN}`;
  app.get('/server/ping', (_request, reply) => (options.refuseAll ? reply.code(403).send(forbidden) : reply.type('text/html; charset=utf-8').send('pong')));
  app.get('/folders', (request, reply) => (admitted(request.headers.authorization) ? reply.send({ data: [] }) : reply.code(403).send(forbidden)));
  // No folder, relation or role exists; and the token has no access to roles at all.
  for (const path of ['/folders/:id', '/relations/:id', '/roles/:id']) app.get(path, (_request, reply) => reply.code(403).send(forbidden));
  app.get('/utils/random/string', (request, reply) => (options.refuseAll ? reply.code(403).send(forbidden) : reply.send({ data: 'x'.repeat(8) })));
  return listen(t, app);
}

function profileFile(t: Test): string {
  return join(t.testdir({ 'openapi.json': DOCUMENT, out: {} }), 'openapi.json');
}

t.test('with working credentials, a 403 to a made-up id is not put down to the credentials alone: a warning with the --var that would judge it', async (t) => {
  const target = await directus(t);
  const report = await run({ profile: profileFile(t), target, token: TOKEN, vars: { 'getRole.id': 'administrator' } });
  const statusCode = (operationId: string) => report.results.find((r) => r.check === 'status-code' && r.operationId === operationId);
  const coverage = (operationId: string) => report.coverage?.find((c) => c.operationId === operationId);

  t.match(coverage('getFolder'), { answers: [403], inputs: { 'path:id': 'schema-example' } });
  t.match(coverage('getRelation'), { answers: [403], inputs: { 'path:id': 'generated' } });
  for (const [operationId, source] of [['getFolder', 'schema-example'], ['getRelation', 'generated']] as const) {
    t.equal(statusCode(operationId)?.status, 'warn', `${operationId}: the undocumented 403 is neither a failure nor an error about the credentials`);
    t.match(statusCode(operationId)?.message, /answered 403 to a request with a placeholder value \(\{id\} from [a-z-]+\): either the credentials lack a scope or the value names no record they may see .*; pass --var id=<value> to judge it/);
    t.notMatch(statusCode(operationId)?.message, /refused this operation/);
    t.match(coverage(operationId), {
      reason: `403 with a placeholder value, which may name no record: the same credentials got a 2xx elsewhere in the run ({id} from ${source})`,
      hint: '--var id=<value>',
    });
  }
  // The id came from the user: the 403 can only be about what the credentials may do.
  t.match(statusCode('getRole'), { status: 'error', message: /answered 403 to a request that carried credentials: the credentials were refused this operation/ });
  t.match(coverage('getRole'), { reason: '403: the credentials sent were refused this operation', hint: "check the token's scopes, and what the account's role, plan or licence allows" });
  t.notOk(report.summary.caveats?.some((c) => c.code === 'credentials-rejected'), 'no run-level blame on the credentials either');
});

t.test('a run whose credentials are refused everywhere is still inconclusive, with the credentials hint', async (t) => {
  const target = await directus(t, { refuseAll: true });
  const report = await run({ profile: profileFile(t), target, token: TOKEN });
  t.equal(report.summary.verdict, 'inconclusive');
  t.match(report.summary.caveats?.[0], { code: 'credentials-rejected', message: /^credentials missing or rejected: 6 of 6 responses were 401 or 403/, hint: /the credentials sent were refused/ });
  // No credentialed request got a 2xx: a 403 to a made-up id may be the credentials' too, and the coverage says both.
  t.match(report.coverage?.find((c) => c.operationId === 'getFolder'), { reason: /^403 with a placeholder value, which may name no record, or credentials that lack a scope/, hint: '--var id=<value>, or check the token and its scopes' });
  t.notOk(report.results.some((r) => r.status === 'fail' && r.evidence?.response?.status === 403), 'no 403 is a failure');
});

t.test('without credentials: the credentials are named first, pong is no web page, and the headline counts only the failures that stand', async (t) => {
  const target = await directus(t);
  const profile = profileFile(t);
  const out = join(profile, '..', 'out');
  const cli = await runCli(['run', '--profile', profile, '--target', target, '--var', 'getRole.id=administrator', '--out', out, '--format', 'json,md,html', '--no-color']);
  t.equal(cli.code, 1, 'non-conformant', { stderr: cli.stderr });
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const statusCode = (operationId: string) => report.results.find((r: { check: string; operationId: string }) => r.check === 'status-code' && r.operationId === operationId);

  // D2, the other way round: with no credentials sent, they are the likelier cause, so the message names them first.
  for (const [operationId, source] of [['getFolder', 'schema-example'], ['getRelation', 'generated']] as const) {
    t.equal(statusCode(operationId)?.status, 'warn', `${operationId}: the harness chose the id, so no failure`);
    t.match(statusCode(operationId)?.message, new RegExp(`no credentials were sent and the request used a placeholder value \\(\\{id\\} from ${source}\\): pass --token-env VAR, --api-key-env VAR, --client-id with --client-secret-env, or --header if the operation needs credentials, and --var id=<value>`));
  }
  t.match(report.coverage.find((c: { operationId: string }) => c.operationId === 'getFolder'), { reason: '403: credentials missing', hint: '--token-env VAR, --api-key-env VAR, --client-id with --client-secret-env, or --header' });

  // D3: `pong` labelled text/html is a content-type failure, not a page that sends the reader to check --target.
  const ping = report.coverage.find((c: { operationId: string }) => c.operationId === 'ping');
  t.equal(ping.reason, '200 did not validate (content-type)');
  t.notOk(report.summary.caveats.some((c: { code: string }) => c.code === 'not-served'));

  // D5: the ping's content-type failure stands; the undocumented 403s of getFolders and getRole are void.
  t.match(report.summary, { verdict: 'non-conformant', mustFailed: 3, mustFailedVoided: 2 });
  t.equal(report.summary.caveats[0].code, 'credentials-rejected');
  const headline = '1 MUST-level result failed; 2 more on answers the credentials caveat voids';
  t.match(cli.stdout, `verdict:  NON-CONFORMANT (${headline})`);
  t.match(readFileSync(join(out, 'report.md'), 'utf8'), `**${headline}.**`);
  t.match(readFileSync(join(out, 'report.html'), 'utf8'), `<span>${headline}</span>`);
});

t.test('with --negative, the summary counts operations as operations and the requests apart', async (t) => {
  const target = await directus(t);
  const profile = profileFile(t);
  const out = join(profile, '..', 'out');
  const cli = await runCli(['run', '--profile', profile, '--target', target, '--token-env', 'LOOK_ALIKE_TOKEN', '--negative', '--seed', '1', '--out', out, '--format', 'json', '--no-color'], {
    env: { LOOK_ALIKE_TOKEN: TOKEN },
  });
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const { probes, coverage } = report.summary;
  t.equal(coverage.operations, 7);
  t.equal(coverage.sent, 6, 'every GET probed; the POST not, in a read-only run');
  t.ok(probes > coverage.sent, `the negative phase sent more requests (${probes}) than there are operations`);
  t.match(cli.stdout, `probes:   6 operations probed (${probes} requests), 1 not probed\n`, 'probed and not probed add up to the 7 operations');
});

t.test("a 403 to a create whose body is made up is a warning about the body, not the credentials (Directus 11.3)", async (t) => {
  // POST /comments sent the example's `"collection": "projects"`; Directus answered 403 ("You don't have permission
  // to read from collection projects or it does not exist") to an admin token that got 200 everywhere else.
  const comment = { type: 'object', required: ['collection', 'comment'], properties: { collection: { type: 'string', example: 'projects' }, comment: { type: 'string', example: 'A new comment' } } };
  const ok = (schema: unknown) => ({ '200': { description: 'ok', content: { 'application/json': { schema } } } });
  const document = JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'comments', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/comments': {
        get: { operationId: 'listComments', responses: ok({ type: 'array' }) },
        post: { operationId: 'createComment', requestBody: { required: true, content: { 'application/json': { schema: comment } } }, responses: ok({ type: 'object' }) },
      },
      '/comments/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getComment', responses: ok({ type: 'object' }) },
        delete: { operationId: 'deleteComment', responses: ok({ type: 'object' }) },
      },
      // Another write the same token may make: it is not a token that may not write (the writes-refused caveat).
      '/folders': { post: { operationId: 'createFolder', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } }, responses: ok({ type: 'object' }) } },
      '/folders/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        delete: { operationId: 'deleteFolder', responses: { '204': { description: 'gone' } } },
      },
    },
  });
  const app = Fastify({ logger: false });
  app.get('/comments', async () => []);
  app.post('/folders', async () => ({ id: 'f1' }));
  app.delete('/folders/:id', async (_request, reply) => reply.code(204).send());
  app.post<{ Body: { collection: string } }>('/comments', async (request, reply) =>
    request.body.collection === 'articles' ? {} : reply.code(403).send({ errors: [{ message: `You don't have permission to "read" from collection "${request.body.collection}" or it does not exist.` }] }),
  );
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': document });
  const report = await run({ profile: join(dir, 'openapi.json'), target, allowWrites: true, token: TOKEN });
  const status = report.results.find((r) => r.check === 'status-code' && r.operationId === 'createComment');
  t.match(status, { status: 'warn', message: /^answered 403 to a request whose body is generated from its schema: either the credentials lack a permission or the body names something they may not use/ });
  t.equal(report.summary.verdict, 'conformant', 'the credentials are not blamed: the run is not made inconclusive by it');
  t.match(report.summary.coverage?.notReached.find((g) => g.operationId === 'createComment'), { reason: /^403 to a request body the harness made, which may name something the credentials may not use \(generated from its schema\)$/ });
});
