/**
 * A hostile supplier controls both a path parameter's `pattern` and the ids
 * its list answers: `^(a+)+$` against `aaaa…a!` takes JavaScript's engine
 * about 2^n steps. Every pattern the harness runs outside Ajv (is this
 * harvested id usable? does this --var fit?) goes to the linear engine, so the
 * run finishes; with the native engine this test would run for hours, and fail
 * at tap's time limit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { schemaMismatch } from '../../harness/plan/fits-schema.js';
import { listen } from '../support/listen.js';

const EVIL = '^(a+)+$';
const STALLING = `${'a'.repeat(40)}!`;

t.test('a catastrophic pattern against a hostile id is decided at once', async (t) => {
  t.equal(schemaMismatch({}, { type: 'string', pattern: EVIL }, STALLING), `does not match the pattern ${EVIL}`);
  t.equal(schemaMismatch({}, { type: 'string', pattern: EVIL }, 'aaaa'), undefined);
});

t.test('a run whose list offers such an id to such a pattern finishes, and does not use the id', async (t) => {
  const document = {
    openapi: '3.0.3',
    info: { title: 'stall', version: '1' },
    paths: {
      '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } } } } },
      '/things/{thingId}': {
        get: {
          operationId: 'getThing',
          parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string', pattern: EVIL } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  };
  const asked: string[] = [];
  const app = Fastify({ logger: false });
  app.get('/things', async () => [{ id: STALLING }, { thingId: STALLING }]);
  app.get<{ Params: { thingId: string } }>('/things/:thingId', async (request) => {
    asked.push(request.params.thingId);
    return {};
  });
  const url = await listen(t, app);
  const profile = join(t.testdir({}), 'openapi.json');
  writeFileSync(profile, JSON.stringify(document));
  const report = await run({ profile, target: url });
  t.ok(report.results.length > 0, 'the run finished');
  t.notOk(asked.includes(STALLING), `the id that breaks the pattern was not used: ${asked.join(', ')}`);
});
