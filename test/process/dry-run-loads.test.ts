import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { loadedFilesHook, packagesOf } from '../support/loaded-files.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'harness', 'cli', 'bin.ts');
const small = join(root, 'test', 'documents', 'small', 'openapi.yaml');

/** Run the CLI in its own process and list the packages it loaded (CommonJS ones, as they are in require.cache), and their files. */
function packagesLoaded(t: Test, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; packages: Set<string>; files: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'loaded-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const loaded = loadedFilesHook(dir);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...loaded.nodeOptions, '--import', 'tsx', bin, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('close', (code) => {
      try {
        const files = loaded.files();
        resolve({ code, packages: packagesOf(files), files });
      } catch (error) {
        reject(error);
      }
    });
  });
}

t.test('a dry run loads neither the HTTP client nor the validator it does not use', async (t) => {
  const cache = { INTEROP_CACHE_DIR: join(t.testdir(), 'cache') };
  const first = await packagesLoaded(t, ['run', '--profile', small, '--target', 'http://127.0.0.1:9', '--dry-run'], cache);
  t.equal(first.code, 0);
  t.ok(first.packages.has('@apidevtools/swagger-parser'), 'the first run checks the document');
  for (const name of ['undici', 'ajv-formats', 'swagger2openapi']) t.notOk(first.packages.has(name), `${name} not loaded`);
  const second = await packagesLoaded(t, ['run', '--profile', small, '--target', 'http://127.0.0.1:9', '--dry-run'], cache);
  t.equal(second.code, 0);
  t.notOk(second.packages.has('@apidevtools/swagger-parser'), 'the second run takes the check from the cache and never loads the checker');
});

t.test('a Swagger 2.0 dry run loads the converter without its HTTP client', async (t) => {
  const swagger2 = join(root, 'test', 'documents', 'swagger2', 'swagger.json');
  const { code, packages } = await packagesLoaded(t, ['run', '--profile', swagger2, '--target', 'http://127.0.0.1:9', '--dry-run', '--no-cache']);
  t.equal(code, 0);
  t.ok(packages.has('swagger2openapi'), 'the converter ran');
  for (const name of ['node-fetch-h2', 'http2-client']) t.notOk(packages.has(name), `${name} not loaded`);
});

t.test('--help and --version load none of the engine\'s dependencies', async (t) => {
  for (const args of [['--help'], ['--version']]) {
    const { code, packages } = await packagesLoaded(t, args);
    t.equal(code, 0);
    const heavy = ['undici', 'ajv', 'ajv-formats', 'yaml', '@apidevtools/swagger-parser', 'swagger2openapi', 'fastify'].filter((name) => packages.has(name));
    t.same(heavy, [], `${args[0]} loads none of them`);
  }
});

t.test('a cold check of a document runs the OpenAPI schema check compiled at build time, never compiles it', async (t) => {
  // One file, and a profile split over files (bundled first: it loads swagger-parser earlier).
  const split = join(root, 'test', 'profile', 'documents', 'split', 'openapi.yaml');
  for (const profile of [small, split]) {
    const { code, packages, files } = await packagesLoaded(t, ['run', '--profile', profile, '--target', 'http://127.0.0.1:9', '--dry-run', '--no-cache']);
    t.equal(code, 0);
    t.ok(packages.has('@apidevtools/swagger-parser'), 'the document was checked');
    t.notOk(files.some((file) => file.endsWith('/swagger-parser/lib/validators/schema.js')), `${profile}: swagger-parser's own schema module was not loaded`);
    t.notOk(packages.has('ajv-draft-04'), 'nor the Ajv it would have compiled the schema with');
  }
});
