import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { bundleDocument, hasExternalRef } from '../../harness/profile/bundle-document.js';
import { preparePlan, prepareRun } from '../../harness/run/run.js';

const internalOnly = () => ({
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {
    '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } } },
    '/b': { get: { responses: { '200': { $ref: '#/components/responses/Gone' } } } },
  },
  components: { schemas: { A: { type: 'object', properties: { b: { $ref: '#/components/schemas/A' } } } } },
});

t.test('a document with no external $ref is not bundled: same object, dangling refs still warned', async (t) => {
  const document = internalOnly();
  t.notOk(hasExternalRef(document));
  const result = await bundleDocument(join(tmpdir(), 'never-read.json'), document);
  t.equal(result.document, document, 'the document itself, untouched by the library');
  t.same(result.warnings.map((w) => `${w.code} ${w.location}`), ['ref-unresolved /paths/~1b/get/responses/200']);
  t.match(result.warnings[0]?.message, /#\/components\/responses\/Gone/);
});

t.test('any $ref to a file or URL, wherever it is, still goes through the bundler', async (t) => {
  t.ok(hasExternalRef({ paths: { '/a': { get: { responses: { '200': { $ref: 'responses.yaml#/Ok' } } } } } }));
  t.ok(hasExternalRef({ components: { examples: { e: { value: [{ $ref: 'https://elsewhere.example/x' }] } } } }));
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ type: 'string' }));
  const document = { ...internalOnly(), paths: { '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: './a.json' } } } } } } } } };
  const result = await bundleDocument(join(dir, 'openapi.json'), document);
  t.same(JSON.parse(JSON.stringify(result.document)).paths['/a'].get.responses['200'].content['application/json'].schema, { type: 'string' }, 'the external file was pulled in');
});

t.test('a dry run prepares no validators; a run does', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify({ ...internalOnly(), paths: { '/a': internalOnly().paths['/a'] } }));
  const plan = await preparePlan({ profile: file, target: 'http://127.0.0.1:9' });
  t.notOk('validators' in plan, 'nothing compiled for a dry run');
  const run = await prepareRun({ profile: file, target: 'http://127.0.0.1:9' });
  t.ok(run.validators.has('/paths/~1a/get/responses/200/content/application~1json/schema'));
  t.same(plan.operations.map((o) => o.operationId), run.operations.map((o) => o.operationId));
});

t.test("3.1: a $ref to a schema's own $id or $anchor is inside the document, and validates as one", async (t) => {
  // Found with Mockoon: the $id reference was refused as remote (exit 2) on a valid document; `#code` was warned as missing.
  const document = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: 'https://example.com/schemas/thing' } } } } } } },
      '/codes': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#code' } } } } } } },
      '/gone': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#nowhere' } } } } } } },
    },
    components: { schemas: { Thing: { $id: 'https://example.com/schemas/thing', type: 'object', properties: { t: { type: 'string' } } }, Code: { $anchor: 'code', type: 'string' } } },
  };
  t.notOk(hasExternalRef(document), 'the $id is the document\'s own');
  t.ok(hasExternalRef({ ...document, components: {} }), 'without the $id it names, the URL is remote');
  // Review: an $id in an example is data, and names nothing a reference can reach.
  t.ok(hasExternalRef({ ...document, components: { examples: { E: { value: { $id: 'https://example.com/schemas/thing' } } } } }), 'an $id written in an example does not make the URL internal');
  // Second review: a property named like data (`value`, `default`) is a schema, and its $id counts.
  const price = { Price: { type: 'object', properties: { value: { $id: 'https://example.com/schemas/thing', type: 'number' }, default: { $anchor: 'code', type: 'string' } } } };
  t.notOk(hasExternalRef({ ...document, components: { schemas: price } }), "a property named value may carry the $id");
  const priced = await bundleDocument(join(tmpdir(), 'never-read.json'), { ...document, components: { schemas: price } });
  t.notOk(priced.warnings.some((w) => w.location.includes('/paths/~1codes')), 'nor is #code, anchored on a property named default, warned as missing');
  // Third review: `responses.default` and a component parameter named `value` were skipped as data.
  const problem = { $id: 'https://example.com/schemas/thing', type: 'object' };
  t.notOk(hasExternalRef({ ...document, components: { responses: { default: { description: 'x', content: { 'application/json': { schema: problem } } } } } }), 'a default response');
  t.notOk(hasExternalRef({ ...document, components: { parameters: { value: { name: 'v', in: 'query', schema: problem } } } }), 'a parameter named value');
  const result = await bundleDocument(join(tmpdir(), 'never-read.json'), document);
  t.same(result.warnings.map((w) => `${w.code} ${w.location}`), ['ref-unresolved /paths/~1gone/get/responses/200/content/application~1json/schema'], 'only the anchor no schema names');
  const dir = mkdtempSync(join(tmpdir(), 'ids-'));
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
  const prepared = await prepareRun({ profile: join(dir, 'openapi.json'), target: 'http://127.0.0.1:9' });
  const things = prepared.profile.operations.find((o) => o.path === '/things')!.responses[0]!.content[0]!.schemaPointer!;
  t.same(prepared.validators.validate(things, { t: 'x' }), []);
  t.match(prepared.validators.validate(things, { t: 5 }), [{ pointer: '/t', keyword: 'type' }]);
  const codes = prepared.profile.operations.find((o) => o.path === '/codes')!.responses[0]!.content[0]!.schemaPointer!;
  t.match(prepared.validators.validate(codes, 5), [{ keyword: 'type' }]);
});
