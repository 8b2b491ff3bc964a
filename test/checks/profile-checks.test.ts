import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import t, { type Test } from 'tap';
import { stringify } from 'yaml';
import { run } from '../../harness/index.js';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';

// One profile naming every profile check, and one supplier in two variants:
// conformant, and with one defect per check. The conformant variant must pass
// every check; the defective one must fail each check on its operation.

const TOKEN = 'good-token-123';
const CONTENT = Buffer.from('synthetic exhibit bytes');
const CONTENT_SHA = createHash('sha256').update(CONTENT).digest('hex');

const problem = { $ref: '#/components/responses/Problem' };
const json = (schema: unknown, example?: unknown) => ({ 'application/json': { schema, ...(example === undefined ? {} : { example }) } });

const profile = {
  openapi: '3.1.0',
  info: { title: 'all profile checks', version: '1.0.0', description: 'test profile' },
  'x-interop': {
    id: 'all-checks',
    version: '0.0.1',
    discovery: { paths: ['/openapi.json'] },
    codeLists: { GNDR: ['GNDR_0001', 'GNDR_0002'] },
    requirements: [
      ['discovery', 'MUST'],
      ['documentation-quality', 'SHOULD'],
      ['problem-details', 'MUST'],
      ['auth-required', 'MUST'],
      ['pagination', 'MUST'],
      ['versioning', 'MUST'],
      ['iso-dates', 'MUST'],
      ['coded-values', 'MUST'],
      ['hash-integrity', 'MUST'],
      ['transparency-record', 'MUST'],
    ].map(([check, level], i) => ({ id: `ALL-${i + 1}`, level, statement: `verified by ${check}`, checks: [check] })),
  },
  components: {
    securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } } },
    responses: { Problem: { description: 'problem', content: { 'application/problem+json': { schema: { type: 'object' } } } } },
    schemas: {
      Person: {
        type: 'object',
        description: 'a person',
        example: { id: 'P-1', gender: 'GNDR_0001', dateOfBirth: '1990-01-01' },
        properties: { id: { type: 'string' }, gender: { type: 'string', 'x-interop-code-list': 'GNDR' }, dateOfBirth: {} },
      },
      Exhibit: {
        type: 'object',
        description: 'an exhibit',
        example: { id: 'E-1', contentUrl: '/v1/exhibits/E-1/content', hash: { hashMethod: 'SHA-256', hashValue: CONTENT_SHA } },
        'x-interop-hash': { contentUrl: '/contentUrl', method: '/hash/hashMethod', value: '/hash/hashValue' },
      },
    },
  },
  security: [{ oauth: [] }],
  paths: {
    '/v1/persons': {
      get: {
        operationId: 'listPersons',
        description: 'persons',
        'x-interop-pagination': { next: 'link-header', items: '/data', limitParam: 'limit' },
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }],
        responses: { '200': { description: 'ok', content: json({ type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Person' } } } }, { data: [] }) }, '401': problem },
      },
    },
    '/v1/persons/{personId}': {
      get: {
        operationId: 'getPerson',
        description: 'one person',
        parameters: [{ name: 'personId', in: 'path', required: true, example: 'P-1', schema: { type: 'string' } }],
        responses: { '200': { description: 'ok', content: json({ $ref: '#/components/schemas/Person' }) }, '404': problem, '401': problem },
      },
    },
    '/v1/exhibits': {
      get: {
        operationId: 'listExhibits',
        description: 'exhibits',
        responses: { '200': { description: 'ok', content: json({ type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Exhibit' } } } }, { data: [] }) }, '401': problem },
      },
    },
    '/v1/transparency/records': {
      get: {
        operationId: 'listTransparencyRecords',
        description: 'records',
        'x-interop-transparency-records': true,
        responses: { '200': { description: 'ok', content: json({ type: 'object' }, { data: [] }) }, '401': problem },
      },
    },
    '/v1/people': {
      get: {
        operationId: 'listPeopleLegacy',
        description: 'old alias',
        deprecated: true,
        security: [],
        responses: { '200': { description: 'ok', content: json({ type: 'object' }, { data: [] }) } },
      },
    },
  },
};

const persons = Array.from({ length: 12 }, (_, i) => ({ id: `P-${i + 1}`, gender: 'GNDR_0001', dateOfBirth: '1990-01-01' }));
const record = { name: 'Triage model', description: 'ranks reports', organisation: 'Example Force', senior_responsible_owner: 'Role A', external_supplier: 'Supplier B', standard_version: '3.0' };

function supplier(defective: boolean) {
  const app = Fastify({ logger: false });
  const problemReply = (reply: FastifyReply, status: number, title: string) =>
    reply
      .code(status)
      .headers(status === 401 ? { 'www-authenticate': 'Bearer' } : {})
      .type(defective ? 'text/plain' : 'application/problem+json')
      .send(defective ? title : { type: 'about:blank', title, status });
  const authorised = (request: FastifyRequest, reply: FastifyReply) => {
    // The defect: any bearer token is accepted.
    const ok = defective ? String(request.headers.authorization ?? '').startsWith('Bearer ') : request.headers.authorization === `Bearer ${TOKEN}`;
    if (!ok) problemReply(reply, 401, 'unauthorised');
    return ok;
  };
  app.get('/openapi.json', (_request, reply) => {
    if (!defective) return reply.send(profile);
    const undocumented = structuredClone(profile) as { info?: unknown; paths: Record<string, { get: { description?: string } }> };
    delete undocumented.paths['/v1/exhibits']!.get.description;
    delete undocumented.info;
    return reply.send(undocumented);
  });
  app.get('/v1/persons', (request, reply) => {
    if (!authorised(request, reply)) return;
    const query = request.query as { limit?: string; offset?: string };
    const limit = Math.min(Number(query.limit ?? 20), 20);
    const offset = Number(query.offset ?? 0);
    const page = persons.slice(offset, offset + limit);
    const data = page.map((p, i) => (defective && i === 0 ? { ...p, gender: 'male', dateOfBirth: '01/01/1990' } : p));
    // The defect: the last page links back to the first.
    if (offset + limit < persons.length) reply.header('link', `</v1/persons?limit=${limit}&offset=${offset + limit}>; rel="next"`);
    else if (defective) reply.header('link', `</v1/persons?limit=${limit}>; rel="next"`);
    return reply.send({ data });
  });
  app.get('/v1/persons/:personId', (request, reply) => {
    if (!authorised(request, reply)) return;
    const person = persons.find((p) => p.id === (request.params as { personId: string }).personId);
    return person ? reply.send(person) : problemReply(reply, 404, 'no such person');
  });
  app.get('/v1/exhibits', (request, reply) => {
    if (!authorised(request, reply)) return;
    const hashValue = defective ? '0'.repeat(64) : CONTENT_SHA;
    return reply.send({ data: [{ id: 'E-1', contentUrl: '/v1/exhibits/E-1/content', hash: { hashMethod: 'SHA-256', hashValue } }] });
  });
  app.get('/v1/exhibits/E-1/content', (request, reply) => (authorised(request, reply) ? reply.type('application/octet-stream').send(CONTENT) : undefined));
  app.get('/v1/transparency/records', (request, reply) => {
    if (!authorised(request, reply)) return;
    const { senior_responsible_owner: _dropped, ...incomplete } = record;
    return reply.send({ data: [defective ? incomplete : record] });
  });
  app.get('/v1/people', (_request, reply) => {
    if (!defective) reply.header('deprecation', '@1735689600').header('sunset', 'Wed, 31 Dec 2025 00:00:00 GMT');
    return reply.send({ data: [] });
  });
  return app;
}

async function probe(t: Test, defective: boolean): Promise<Report> {
  const target = await listen(t, supplier(defective));
  const dir = t.testdir({ 'openapi.yaml': stringify(profile) });
  return run({ profile: join(dir, 'openapi.yaml'), target, token: TOKEN });
}

const EXPECTED: Array<[check: string, operationId: string, message: RegExp]> = [
  ['discovery', '(service)', /not valid OpenAPI: .*info/],
  ['documentation-quality', '(service)', /\/paths\/~1v1~1exhibits\/get has no description/],
  ['problem-details', 'getPerson', /404 error is text\/plain, not application\/problem\+json/],
  ['auth-required', 'listPersons', /answered 200 with an invalid bearer token: the operation is not protected/],
  ['pagination', 'listPersons', /leads back to page 1: the pages cycle/],
  ['versioning', 'listPeopleLegacy', /deprecated but its response carries no Deprecation header/],
  ['iso-dates', 'listPersons', /\/data\/0\/dateOfBirth: "01\/01\/1990"/],
  ['coded-values', 'listPersons', /\/data\/0\/gender: "male" is not in code list GNDR/],
  ['hash-integrity', 'listExhibits', /content SHA-256 is [0-9a-f]{64}, but the item says 0{64}/],
  ['transparency-record', 'listTransparencyRecords', /lacks senior_responsible_owner/],
];

t.test('the conformant supplier passes every profile check', async (t) => {
  const report = await probe(t, false);
  const notPassing = report.results.filter((r) => r.status === 'fail' || r.status === 'error');
  t.same(notPassing.map((r) => `${r.check} ${r.operationId}: ${r.message}`), []);
  for (const [check] of EXPECTED) t.ok(report.results.some((r) => r.check === check && r.status === 'pass'), `${check} passes somewhere`);
});

t.test('each defect fails its check on its operation, with a message a reader can act on', async (t) => {
  const report = await probe(t, true);
  for (const [check, operationId, message] of EXPECTED) {
    const failed = report.results.find((r) => r.check === check && r.operationId === operationId && r.status === 'fail');
    t.ok(failed, `${check} fails on ${operationId}`);
    t.match(failed?.message, message, `${check} says why`);
  }
  t.equal(report.summary.verdict, 'non-conformant');
});
