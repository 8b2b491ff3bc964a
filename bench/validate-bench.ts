/**
 * Validation cost alone, without HTTP: a 100-item list body validated against
 * the probe benchmark's item schema (a pattern, a format, a closed object), and
 * export-sized single records, many times. A diagnostic for the validation
 * budget's per-node tick and the linear-time pattern engine; never part of the tests.
 *   npx tsx bench/validate-bench.ts
 */
import { compileValidators } from '../harness/schema/compile-validators.js';
import type { LoadedProfile } from '../harness/profile/profile-types.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3000);
const item = {
  type: 'object',
  required: ['id', 'name', 'createdAt', 'count'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^R[0-9]+-[0-9]+$' },
    name: { type: 'string', minLength: 1 },
    createdAt: { type: 'string', format: 'date-time' },
    count: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' } },
    score: { type: ['number', 'null'] },
  },
};
const pointer = '/paths/~1items/get/responses/200/content/application~1json/schema';
const document = {
  openapi: '3.1.0',
  info: { title: 'bench', version: '1' },
  paths: { '/items': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'array', items: item } } } } } } } } } },
};
const profile: LoadedProfile = {
  info: { id: 'bench', title: 'bench', version: '1', sha256: '0'.repeat(64), source: 'bench', openapi: '3.1.0', mode: 'generic', servers: [] },
  document,
  operations: [{ operationId: 'items', syntheticId: false, method: 'GET', path: '/items', parameters: [], responses: [{ key: '200', pointer: '/paths/~1items/get/responses/200', headers: [], content: [{ mediaRange: 'application/json', schemaPointer: pointer }] }], secured: false, pointer: '/paths/~1items/get' }],
  requirements: [],
  warnings: [],
} as unknown as LoadedProfile;

const validators = compileValidators(profile);
const body = { data: Array.from({ length: 100 }, (_, i) => ({ id: `R${i}-${i * 7}`, name: `item ${i}`, createdAt: '2024-05-01T10:00:00Z', count: i, tags: ['a', 'b'], score: i % 2 ? 1.5 : null })) };
if (validators.validate(pointer, body).length !== 0) throw new Error('the bench body should be valid');
for (let i = 0; i < 200; i++) validators.validate(pointer, body);
const started = performance.now();
for (let i = 0; i < ROUNDS; i++) validators.validate(pointer, body);
const ms = performance.now() - started;
console.log(`100-item body: ${((ms * 1000) / ROUNDS).toFixed(1)} µs per validation (${ROUNDS} rounds)`);
