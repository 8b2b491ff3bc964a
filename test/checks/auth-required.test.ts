import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const PROFILE = `
openapi: 3.1.0
info: {title: auth, version: "1"}
x-interop:
  id: auth
  version: 0.0.1
  requirements: [{id: AUTH-1, level: MUST, statement: Protected., checks: [auth-required]}]
components: {securitySchemes: {bearer: {type: http, scheme: bearer}}}
security: [{bearer: []}]
paths:
  /v1/no-challenge: {get: {operationId: noChallenge, responses: {'200': {description: ok}, '401': {description: no}}}}
  /v1/broken: {get: {operationId: broken, responses: {'200': {description: ok}, '401': {description: no}}}}
  /v1/optional: {get: {operationId: optional, security: [{}, {bearer: []}], responses: {'200': {description: ok}}}}
`;

t.test('auth-required: a 401 must say how to authenticate; a 5xx is no evidence either way', async (t) => {
  const app = Fastify({ logger: false });
  const authorised = (header: unknown) => header === 'Bearer good';
  app.get('/v1/no-challenge', (request, reply) => (authorised(request.headers.authorization) ? reply.send({}) : reply.code(401).send({})));
  app.get('/v1/broken', (request, reply) => (authorised(request.headers.authorization) ? reply.send({}) : reply.code(503).send({})));
  // Credentials optional: anyone may read it, as its document allows.
  app.get('/v1/optional', (_request, reply) => reply.send({}));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.yaml': PROFILE });
  const report = await run({ profile: join(dir, 'openapi.yaml'), target, token: 'good' });
  const result = (operationId: string) => report.results.find((r) => r.check === 'auth-required' && r.operationId === operationId);
  t.equal(result('noChallenge')?.status, 'fail');
  t.match(result('noChallenge')?.message, /401 without credentials but without a WWW-Authenticate header/);
  t.equal(result('broken')?.status, 'error');
  t.match(result('broken')?.message, /answered 503 without credentials: whether authentication is enforced could not be judged/);
  // Review: `security: [{}, {bearer: []}]` allows anonymous access; a 200 without credentials is right.
  t.match(result('optional'), { status: 'skip', message: /credentials are optional for this operation/ });
});

t.test("auth-required: the request without credentials leaves out the document's apiKey header, whatever it is named", async (t) => {
  // Found with Prism on geodb's document (x-rapidapi-key): the key was sent on the "without credentials" request,
  // the supplier rightly answered 200, and the check said the operation was not protected.
  for (const header of ['x-rapidapi-key', 'Ocp-Apim-Subscription-Key', 'apikey']) {
    const app = Fastify({ logger: false });
    app.get('/v1/things', (request, reply) =>
      request.headers[header.toLowerCase()] === 'k-123' ? reply.send({}) : reply.code(401).header('www-authenticate', `ApiKey header="${header}"`).send({}),
    );
    const target = await listen(t, app);
    const dir = t.testdir({
      'openapi.yaml': `
openapi: 3.0.3
info: {title: keys, version: "1"}
x-interop:
  id: keys
  version: 0.0.1
  requirements: [{id: AUTH-1, level: MUST, statement: Protected., checks: [auth-required]}]
components: {securitySchemes: {key: {type: apiKey, in: header, name: ${header}}}}
security: [{key: []}]
paths:
  /v1/things: {get: {operationId: listThings, responses: {'200': {description: ok}, '401': {description: no}}}}
`,
    });
    const report = await run({ profile: join(dir, 'openapi.yaml'), target, apiKey: 'k-123' });
    const result = report.results.find((r) => r.check === 'auth-required');
    t.match(result, { status: 'pass', message: 'answered 401 without credentials and with an invalid token' }, header);
  }
});
