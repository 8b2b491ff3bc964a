import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { HarnessError } from '../../harness/errors.js';
import { listen } from '../support/listen.js';

const SECRET = 'cs-7a1d-client-secret';
const PROFILE = `
openapi: 3.1.0
info: {title: protected, version: "1"}
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /oauth/token, scopes: {}}}}
security: [{oauth: []}]
paths:
  /v1/things:
    get:
      operationId: listThings
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, required: [data]}}}}
`;

function tokenServer() {
  const issued: string[] = [];
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/oauth/token', (request, reply) => {
    const basic = Buffer.from(String(request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    if (basic !== `demo-client:${SECRET}` || request.body !== 'grant_type=client_credentials') {
      return reply.code(401).send({ error: 'invalid_client' });
    }
    const token = `tok-${issued.length}-${Date.now()}`;
    issued.push(token);
    return { access_token: token, token_type: 'Bearer', expires_in: 300 };
  });
  app.get('/v1/things', (request, reply) => {
    if (!issued.some((token) => request.headers.authorization === `Bearer ${token}`)) return reply.code(401).send({ title: 'unauthorised' });
    return reply.send({ data: [], echo: request.headers.authorization });
  });
  return { app, issued };
}

t.test('client credentials: token fetched from the profile tokenUrl, sent as a bearer token, never written', async (t) => {
  const { app, issued } = tokenServer();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.yaml': PROFILE });
  const report = await run({ profile: join(dir, 'openapi.yaml'), target, clientId: 'demo-client', clientSecret: SECRET });
  t.equal(issued.length, 1, 'one token issued');
  t.equal(report.summary.verdict, 'conformant', 'the protected operation answered 200');
  const text = JSON.stringify(report);
  t.notOk(text.includes(issued[0]!), 'the token is redacted, even where the supplier echoes it');
  t.notOk(text.includes(SECRET), 'the client secret is nowhere');
});

t.test('rejected client credentials are bad input naming the token endpoint', async (t) => {
  const { app } = tokenServer();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.yaml': PROFILE });
  await t.rejects(
    run({ profile: join(dir, 'openapi.yaml'), target, clientId: 'demo-client', clientSecret: 'wrong-secret' }),
    new HarnessError('TOKEN_FAILED', `token request to ${target}/oauth/token answered 401: invalid_client; check --client-id and --client-secret-env`),
  );
});

t.test('a token URL on another origin is refused unless named explicitly', async (t) => {
  const dir = t.testdir({ 'openapi.yaml': PROFILE.replace('tokenUrl: /oauth/token', 'tokenUrl: https://login.elsewhere.invalid/token') });
  await t.rejects(
    run({ profile: join(dir, 'openapi.yaml'), target: 'http://127.0.0.1:9', clientId: 'a', clientSecret: 'secret-value' }),
    { code: 'USAGE', message: /not on the target's origin; pass --token-url https:\/\/login\.elsewhere\.invalid\/token/ },
  );
});

t.test('the CLI takes the client id and the secret from the environment, and writes neither secret nor token', async (t) => {
  const { runCli } = await import('../support/run-cli.js');
  const { readdirSync, readFileSync } = await import('node:fs');
  const { app, issued } = tokenServer();
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.yaml': PROFILE });
  const out = join(dir, 'out');
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--client-id', 'demo-client', '--client-secret-env', 'VENDOR_SECRET', '--out', out], {
    env: { VENDOR_SECRET: SECRET },
  });
  t.equal(outcome.code, 0, outcome.stderr);
  t.equal(issued.length, 1);
  const outputs = [outcome.stdout, outcome.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))];
  for (const text of outputs) {
    t.notOk(text.includes(SECRET), 'no client secret');
    t.notOk(text.includes(issued[0]!), 'no token');
  }
  const unset = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--client-id', 'demo-client', '--client-secret-env', 'NOPE']);
  t.equal(unset.code, 2);
  t.match(unset.stderr, /--client-secret-env NOPE/);
});
