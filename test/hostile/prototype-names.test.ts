// Names are just names (issue 10, class 3). A property, header, parameter,
// content coding, media type, status code, path, operationId, security scheme,
// requirement id or check id spelled like an Object.prototype member must be
// looked up as data everywhere: `required` enforced, a missing header missing,
// an unknown coding a failure, and never a crash.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import type { Test } from 'tap';
import { loadProfile } from '../../harness/profile/load-profile.js';
import type { Report } from '../../harness/report/report-types.js';
import { generateValue } from '../../harness/plan/sample-value.js';
import { run } from '../../harness/run/run.js';

/** Every name Object.prototype answers to, `__proto__` included. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** Header and parameter values must survive a URL and a header line. */
const VALUE = 'v1';

/** `record[name] = value` would set the prototype for `__proto__`; a computed key in a literal is own. */
function put(record: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
}

function profileFor(names: string[], withRequirements: boolean): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemes: Record<string, unknown> = {};
  const responses: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const [i, name] of names.entries()) {
    const responseFor = (status: string) => ({
      [status]: {
        description: 'ok',
        headers: { [name]: { required: true, schema: { type: 'string', enum: [VALUE] } } },
        content: {
          // `required` alone: with no property schema to trip over, only an own-property check fails `{}`.
          'application/json': { schema: { type: 'object', required: [name] } },
          [`text/${name}`]: { schema: { type: 'string' } },
        },
      },
      // A status key that is no status: ignored or warned about, never a crash.
      [name]: { description: 'not a status code' },
    });
    const parameters = [
      { name, in: 'path', required: true, schema: { type: 'string' }, example: VALUE },
      { name, in: 'query', required: true, schema: { type: 'string' }, example: VALUE },
      { name, in: 'header', required: true, schema: { type: 'string' }, example: VALUE },
    ];
    put(schemes, name, { type: 'apiKey', in: 'header', name: `x-key-${i}` });
    // Reached through components named so: the property's own schema must hold (an integer, not text).
    put(responses, name, { description: 'typed', content: { 'application/json': { schema: { $ref: `#/components/schemas/${encodeURIComponent(name)}` } } } });
    put(schemas, name, { type: 'object', required: [name], properties: { [name]: { type: 'integer' } } });
    paths[`/typed/${name}`] = { get: { operationId: `typed-${name}`, responses: { '200': { $ref: `#/components/responses/${encodeURIComponent(name)}` } } } };
    for (const variant of ['present', 'missing', 'coded']) {
      paths[`/${variant}/${name}/{${name}}`] = {
        get: {
          // The operationId is the bare name once, so results keyed by it meet it too.
          operationId: variant === 'present' ? name : `${variant}-${name}`,
          parameters,
          security: [{ [name]: [] }, {}],
          responses: responseFor('200'),
        },
      };
    }
  }
  const document: Record<string, unknown> = {
    openapi: '3.0.3',
    info: { title: 'Prototype names', version: '1' },
    paths,
    components: { securitySchemes: schemes, responses, schemas },
  };
  if (withRequirements) {
    document['x-interop'] = {
      id: 'prototype-names',
      version: '1.0.0',
      requirements: names.map((name) => ({ id: name, level: 'MUST', statement: `The ${name} requirement.`, checks: ['response-schema', 'response-headers', name] })),
    };
  }
  return document;
}

interface Seen {
  path: string;
  query: URLSearchParams;
  /** From the raw header lines: node's `req.headers` drops a header named `__proto__`. */
  headers: Map<string, string>;
}

async function supplier(t: Test, names: string[]): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers = new Map<string, string>();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.set(req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!);
    seen.push({ path: url.pathname, query: url.searchParams, headers });
    const [, variant, name] = url.pathname.split('/').map((s) => decodeURIComponent(s));
    if (name === undefined || !names.includes(name)) return void res.writeHead(404).end();
    if (variant === 'typed') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ [name]: 'not an integer' }));
    if (variant === 'present') {
      res.setHeader(name, VALUE);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ [name]: VALUE }));
    }
    if (variant === 'coded') {
      // An unknown content coding named like a prototype member.
      res.setHeader(name, VALUE);
      return void res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': name }).end(JSON.stringify({ [name]: VALUE }));
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function runWith(t: Test, names: string[], withRequirements: boolean): Promise<{ report: Report; seen: Seen[] }> {
  const dir = t.testdir({});
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(profileFor(names, withRequirements)));
  const { origin, seen } = await supplier(t, names);
  const checks = withRequirements ? {} : { checks: ['response-schema', 'response-headers', 'content-type', 'status-code'] };
  const report = await run({ profile: file, target: origin, ...checks, limits: { requestTimeoutMs: 5000 } });
  return { report, seen };
}

function assertVerdicts(t: Test, names: string[], report: Report, seen: Seen[]): void {
  t.same(Object.getOwnPropertyNames(Object.prototype).sort(), [...PROTOTYPE_NAMES].sort(), 'Object.prototype gained nothing');
  t.equal(Object.getPrototypeOf({}), Object.prototype);
  const result = (check: string, operationId: string) => report.results.find((r) => r.check === check && r.operationId === operationId);
  for (const name of names) {
    const present = result('response-schema', name);
    t.equal(present?.status, 'pass', `${name}: a body with the required property passes`);
    t.equal(result('response-headers', name)?.status, 'pass', `${name}: a present required header passes`);
    t.equal(result('response-schema', `missing-${name}`)?.status, 'fail', `${name}: a body without the required property fails`);
    const missingHeader = result('response-headers', `missing-${name}`);
    t.equal(missingHeader?.status, 'fail', `${name}: a missing required header fails`);
    t.match(missingHeader?.message, new RegExp(`required header missing: ${name.replace(/[$]/g, '\\$&')}`));
    const coded = report.results.filter((r) => r.operationId === `coded-${name}`);
    t.ok(coded.length > 0, `${name}: the coded probe has results`);
    t.ok(coded.every((r) => r.status !== 'pass' || r.check === 'status-code'), `${name}: nothing about an undecodable body passes`);
    t.ok(
      coded.some((r) => (r.status === 'fail' || r.status === 'error') && /content.?encoding|coding/i.test(r.message)),
      `${name}: the unknown content coding is named`,
    );

    const typed = result('response-schema', `typed-${name}`);
    t.equal(typed?.status, 'fail', `${name}: a property schema reached through components named ${name} is enforced`);
    t.match(typed?.message, /integer/);

    // The plan sent every parameter named so, in its place.
    const request = seen.find((s) => s.path === `/present/${name}/${VALUE}`);
    t.ok(request, `${name}: the path parameter was filled`);
    t.equal(request?.query.get(name), VALUE, `${name}: the query parameter was sent`);
    t.equal(request?.headers.get(name.toLowerCase()), VALUE, `${name}: the header parameter was sent`);
  }
}

t.test('every Object.prototype name, in every place at once, is an ordinary name', async (t) => {
  const names = PROTOTYPE_NAMES;
  t.ok(names.includes('__proto__') && names.includes('constructor') && names.includes('toString'));
  const profile = await loadProfile(join(t.testdir({ 'openapi.json': JSON.stringify(profileFor(names, true)) }), 'openapi.json'));
  t.equal(profile.operations.length, names.length * 4, 'every operation is read');
  t.same(
    profile.requirements.map((r) => r.id),
    names,
    'every requirement is read',
  );
  const present = profile.operations.find((o) => o.operationId === 'constructor');
  t.ok(present, 'an operation whose operationId is constructor');
  const { report, seen } = await runWith(t, names, false);
  assertVerdicts(t, names, report, seen);
});

t.test('an invented request body carries required properties named so', async (t) => {
  for (const name of PROTOTYPE_NAMES) {
    const body = generateValue({}, { type: 'object', required: [name], properties: { [name]: { type: 'string', example: VALUE } } }) as Record<string, unknown>;
    t.ok(Object.hasOwn(body, name), `${name} is an own property of the body`);
    t.match(JSON.stringify(body), JSON.stringify({ [name]: VALUE }).slice(1, -1), `${name} is serialised`);
    t.equal(Object.getPrototypeOf(body), Object.prototype, `${name}: the body keeps its prototype`);
  }
});

t.test('in profile mode, requirements and check ids named so are data', async (t) => {
  const { report } = await runWith(t, ['constructor', '__proto__', 'toString'], true);
  for (const name of ['constructor', '__proto__', 'toString']) {
    t.ok(report.requirements.find((r) => r.id === name), `requirement ${name} is in the report`);
    const failed = report.results.filter((r) => r.requirement === name && r.status === 'fail').map((r) => r.operationId);
    t.ok(failed.includes(`missing-${name}`), `requirement ${name}: the missing-* probe fails it`);
    t.equal(report.claims?.entries.find((e) => e.requirement === name)?.observed, 'refuted', `requirement ${name} is refuted`);
  }
  t.ok(
    report.profile.warnings.some((w) => w.code === 'unknown-check' && /"constructor"/.test(w.message)),
    'a check id named constructor is an unknown check, not a function',
  );
});

t.test('property: any selection of prototype names, in any order', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...PROTOTYPE_NAMES), { minLength: 1, maxLength: 4 }), async (names) => {
      const sub = t.test(`names ${names.join(', ')}`, async (t) => {
        const { report, seen } = await runWith(t, names, false);
        assertVerdicts(t, names, report, seen);
      });
      await sub;
      return true;
    }),
    { numRuns: 4 },
  );
});
