import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { planDryRun, preparePlan, replay, run } from '../../harness/index.js';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';

/** False findings of the negative phase, each shown on a tiny server that does nothing wrong. */

const failures = (report: Report) => report.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.status} ${r.check} ${r.operationId}: ${r.message}`);
const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '401': { description: 'no' } };

async function serve(t: Test, document: object, routes: (app: FastifyInstance, seen: string[]) => void) {
  const app = Fastify({ logger: false });
  const seen: string[] = [];
  app.addHook('onRequest', async (request) => {
    seen.push(`${request.method} ${request.url} ${JSON.stringify(request.headers)}`);
  });
  routes(app, seen);
  const url = await listen(t, app);
  const profile = join(t.testdir({}), 'openapi.json');
  writeFileSync(profile, JSON.stringify(document));
  return { url, profile, seen };
}

t.test('ignored-auth takes away an API key of an ordinary header name, and TRACE never carries it', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'keyed', version: '1' },
    components: { securitySchemes: { clientId: { type: 'apiKey', in: 'header', name: 'X-Client-Id' } } },
    security: [{ clientId: [] }],
    paths: { '/keyed': { get: { operationId: 'keyed', responses: ok } } },
  };
  const server = await serve(t, document, (app) => {
    app.get('/keyed', async (request, reply) => (request.headers['x-client-id'] === 'abcdefgh12345' ? { ok: true } : reply.code(401).send({ error: 'no key' })));
  });
  const report = await run({ profile: server.profile, target: server.url, apiKey: 'abcdefgh12345', negative: { seed: 1 } });
  t.same(failures(report), [], 'no false failures');
  t.equal(report.results.find((r) => r.check === 'ignored-auth')?.status, 'pass', 'the request without the key was refused');
  const traces = server.seen.filter((line) => line.startsWith('TRACE '));
  t.ok(traces.length > 0, 'a TRACE was sent');
  t.notOk(traces.some((line) => line.includes('abcdefgh12345')), 'no TRACE carried the key');
});

t.test('no ignored-auth case where the document makes credentials optional', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'optional', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: { '/optional': { get: { operationId: 'optional', security: [{}, { bearer: [] }], responses: ok } } },
  };
  const server = await serve(t, document, (app) => {
    app.get('/optional', async () => ({ items: [] }));
  });
  const report = await run({ profile: server.profile, target: server.url, token: 'a-token-of-sorts', negative: { seed: 1 } });
  t.same(failures(report), [], 'no false failures');
  t.equal(report.results.filter((r) => r.check === 'ignored-auth').length, 0, 'no ignored-auth case');
});

t.test('header parameters OpenAPI ignores, or the HTTP stack writes, are never changed', async (t) => {
  const header = (name: string, schema: object) => ({ in: 'header', name, required: true, schema });
  const document = {
    openapi: '3.0.3',
    info: { title: 'headers', version: '1' },
    paths: {
      '/accepting': {
        get: {
          operationId: 'accepting',
          parameters: [header('Accept', { type: 'string', enum: ['application/json'] }), header('Content-Type', { type: 'string', enum: ['application/json'] }), header('Connection', { type: 'string', enum: ['keep-alive'] }), header('Host', { type: 'string', maxLength: 40 })],
          responses: { '200': ok['200'], '400': { description: 'bad' } },
        },
      },
    },
  };
  const server = await serve(t, document, (app) => {
    app.get('/accepting', async () => ({ ok: true }));
  });
  const report = await run({ profile: server.profile, target: server.url, negative: { seed: 1, maxPerOperation: 50 } });
  t.same(failures(report), [], 'no false failures');
  t.same(report.results.filter((r) => r.negative?.location === 'header').map((r) => r.negative!.name), [], 'no header case');
});

t.test('read-only by default: no undocumented method goes to a path whose only documented methods change data', async (t) => {
  const idParam = { in: 'path', name: 'noteId', required: true, schema: { type: 'integer' } };
  const document = {
    openapi: '3.0.3',
    info: { title: 'actions', version: '1' },
    paths: {
      '/notes': { get: { operationId: 'listNotes', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } } } } },
      '/notes/{noteId}/archive': { parameters: [idParam], post: { operationId: 'archiveNote', responses: { '204': { description: 'archived' } } } },
    },
  };
  const server = await serve(t, document, (app) => {
    app.get('/notes', async () => [{ id: 1, title: 'one' }]);
    // A GET here would archive a real record: the kind of API a read-only run must never touch.
    app.all('/notes/:noteId/archive', async (_request, reply) => reply.code(204).send());
  });
  const report = await run({ profile: server.profile, target: server.url, negative: { seed: 1 } });
  t.same(failures(report), [], 'no failures');
  t.same(server.seen.filter((line) => line.includes('/archive')), [], 'nothing was sent to the action path');
});

t.test('a huge maxLength gets no length boundary, and the run finishes', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'search', version: '1' },
    paths: {
      '/search': {
        get: {
          operationId: 'search',
          parameters: [{ in: 'query', name: 'q', required: true, schema: { type: 'string', minLength: 2, maxLength: 2147483647 }, example: 'abc' }],
          responses: { '200': ok['200'], '400': { description: 'bad' } },
        },
      },
    },
  };
  const server = await serve(t, document, (app) => {
    app.get<{ Querystring: { q?: string } }>('/search', async (request, reply) => ((request.query.q ?? '').length < 2 ? reply.code(400).send({ error: 'short' }) : { items: [] }));
  });
  const report = await run({ profile: server.profile, target: server.url, negative: { seed: 1, maxPerOperation: 50 } });
  t.same(failures(report), [], 'no failures, no errors');
  const lengths = report.results.filter((r) => r.negative?.name === 'q').map((r) => r.negative!.mutation);
  t.same(lengths.filter((m) => m === 'too-long'), [], 'no too-long case');
  t.ok(lengths.includes('too-short'), `the minLength boundary is still asked: ${lengths.join(', ')}`);
});

t.test('a value breaking only its format, accepted, is a warning', async (t) => {
  const document = {
    openapi: '3.1.0',
    info: { title: 'things', version: '1' },
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          parameters: [{ in: 'query', name: 'owner', required: true, schema: { type: 'string', format: 'uuid' }, example: '0b6f3f9e-3c1a-4a52-9a57-6f1f6f0e2b11' }],
          responses: { '200': ok['200'], '400': { description: 'bad' } },
        },
      },
    },
  };
  const server = await serve(t, document, (app) => {
    // Checks that owner is there, not that it is a uuid.
    app.get<{ Querystring: { owner?: string } }>('/things', async (request, reply) => (request.query.owner ? { items: [] } : reply.code(400).send({ error: 'owner' })));
  });
  const report = await run({ profile: server.profile, target: server.url, negative: { seed: 1, maxPerOperation: 50 } });
  t.same(failures(report), [], 'no failures');
  const format = report.results.find((r) => r.negative?.mutation === 'format');
  t.equal(format?.status, 'warn', 'the format case warns');
  t.match(format?.message, /breaks only its format/);
});

t.test('TRACE answered as RFC 9110 defines it (200 message/http) is a warning', async (t) => {
  const document = { openapi: '3.0.3', info: { title: 'traced', version: '1' }, paths: { '/items': { get: { operationId: 'listItems', responses: ok } } } };
  const server = await serve(t, document, (app) => {
    app.get('/items', async () => ({ items: [] }));
    app.route({ method: 'TRACE', url: '/items', handler: async (request, reply) => reply.type('message/http').send(`TRACE ${request.url} HTTP/1.1\r\nhost: ${request.headers.host}\r\n\r\n`) });
  });
  const report = await run({ profile: server.profile, target: server.url, negative: { seed: 1 } });
  t.same(failures(report), [], 'no failures');
  const trace = report.results.find((r) => r.check === 'unsupported-method');
  t.equal(trace?.status, 'warn');
  t.match(trace?.message, /implements TRACE/);
});

t.test('a soft delete the document describes (200 {"deleted": true}) warns in use-after-delete', async (t) => {
  const note = { type: 'object', required: ['id', 'title'], properties: { id: { type: 'integer', readOnly: true }, title: { type: 'string' } } };
  const gone = { type: 'object', required: ['id', 'deleted'], properties: { id: { type: 'integer' }, deleted: { type: 'boolean' } } };
  const document = {
    openapi: '3.0.3',
    info: { title: 'soft', version: '1' },
    components: { schemas: { Note: note, DeletedNote: gone } },
    paths: {
      '/notes': {
        get: { operationId: 'listNotes', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Note' } } } } } } },
        post: { operationId: 'createNote', requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' }, example: { title: 'hello' } } } }, responses: { '201': { description: 'created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } } } },
      },
      '/notes/{noteId}': {
        parameters: [{ in: 'path', name: 'noteId', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getNote', responses: { '200': { description: 'the note, or its tombstone', content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Note' }, { $ref: '#/components/schemas/DeletedNote' }] } } } }, '404': { description: 'nf' } } },
        delete: { operationId: 'deleteNote', responses: { '200': { description: 'deleted', content: { 'application/json': { schema: { $ref: '#/components/schemas/DeletedNote' } } } } } },
      },
    },
  };
  const notes = new Map<number, { id: number; title: string; deleted?: boolean }>();
  let next = 1;
  const server = await serve(t, document, (app) => {
    app.get('/notes', async () => [...notes.values()].filter((n) => !n.deleted));
    app.post<{ Body: { title: string } }>('/notes', async (request, reply) => {
      const id = next++;
      notes.set(id, { id, title: request.body.title });
      return reply.code(201).send(notes.get(id));
    });
    app.get<{ Params: { noteId: string } }>('/notes/:noteId', async (request, reply) => {
      const found = notes.get(Number(request.params.noteId));
      if (!found) return reply.code(404).send({ error: 'nf' });
      return found.deleted ? { id: found.id, deleted: true } : found;
    });
    app.delete<{ Params: { noteId: string } }>('/notes/:noteId', async (request, reply) => {
      const found = notes.get(Number(request.params.noteId));
      if (!found) return reply.code(404).send({ error: 'nf' });
      found.deleted = true;
      return { id: found.id, deleted: true };
    });
  });
  const report = await run({ profile: server.profile, target: server.url, allowWrites: true });
  const result = report.results.find((r) => r.check === 'use-after-delete');
  t.equal(result?.status, 'warn', `use-after-delete warns: ${result?.message}`);
  t.match(result?.message, /soft delete the document describes/);
  t.same(failures(report), [], 'no failures');
});

t.test('cases judged against a 2xx the valid request did not get are reported as not sent, one skip each', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'missing', version: '1' },
    paths: {
      '/things/{thingId}': {
        get: {
          operationId: 'getThing',
          parameters: [
            { name: 'thingId', in: 'path', required: true, schema: { type: 'string' }, example: 't1' },
            { name: 'limit', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 100 } },
          ],
          responses: { ...ok, '404': { description: 'no such thing' } },
        },
      },
    },
  };
  let found = false;
  const server = await serve(t, document, (app) => {
    app.get('/things/:thingId', async (_request, reply) => (found ? { id: 't1' } : reply.code(404).send({ error: 'no such thing' })));
  });
  const options = { profile: server.profile, target: server.url, negative: { seed: 3, maxPerOperation: 20 } };
  const conditional = planDryRun(await preparePlan(options)).filter((line) => line.note === 'sent only if the valid request gets a 2xx');
  t.ok(conditional.length >= 2, `the dry run lists conditional cases (${conditional.length})`);
  const report = await run(options);
  const notSent = report.results.filter((r) => r.status === 'skip' && /^not sent: /.test(r.message ?? ''));
  // Each as the dry run described it: `negative (unknown-id, expect reject): path thingId unknown-id "…": …`.
  const described = conditional.map((line) => `${/^negative \(([a-z-]+),/.exec(line.reason)?.[1]} not sent: ${line.reason.replace(/^negative \([^)]*\): /, '')}; it is judged against a 2xx to the valid request, which was answered 404`);
  t.same(notSent.map((r) => `${r.check} ${r.message}`).sort(), described.sort(), 'each conditional case the dry run listed is a skip in the report, under its check, saying why');
  t.ok(notSent.every((r) => !r.evidence), 'nothing was sent for them');
  t.same(notSent.map((r) => r.negative?.expect).sort(), conditional.map((line) => /expect (accept|reject)/.exec(line.reason)?.[1]).sort(), 'each names the change it would have made');
  const replayed = await replay({ report, profile: server.profile, cwd: process.cwd(), resultIds: [notSent[0]!.id!] });
  t.match(replayed.replayed, [{ status: 'not-replayed', reason: /the run did not send this case/ }], 'replay says it was never sent');
  // Named by the change, not by its place in the list: each has the id the same case gets when it is sent.
  found = true;
  const sent = await run(options);
  const sentIds = new Set(sent.results.filter((r) => r.negative && r.evidence).map((r) => r.id));
  t.ok(notSent.every((r) => sentIds.has(r.id)), `the same ids once sent: ${notSent.map((r) => r.id).join(', ')}`);
});

t.test('a valid request answered 403 gets no negative cases, and the skip says so in plain words', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'relations', version: '1' },
    paths: { '/relations': { get: { operationId: 'getRelations', parameters: [{ in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1 } }], responses: { ...ok, '403': { description: 'forbidden' } } } } },
  };
  const server = await serve(t, document, (app) => {
    app.get('/relations', async (_request, reply) => reply.code(403).send({ error: 'forbidden' }));
  });
  const report = await run({ profile: server.profile, target: server.url, negative: { seed: 1, maxPerOperation: 8 } });
  t.match(report.results.find((r) => r.check.startsWith('negative-') && r.status === 'skip'), {
    message: /^no negative requests: the valid request was answered 403, so a changed one would show nothing about validation/,
  });
});
