/**
 * The CLI as installed: `dist/cli/bin.js`, the esbuild bundle of the compiled
 * sources that `npm start`, `npx interop-harness` and the Docker image run.
 * Every other test runs the TypeScript sources; this one shows the bundle
 * finds the package root (bundled profiles, package.json), loads its lazily
 * imported chunks (run, report writers, reference supplier) and keeps the
 * CLI's contract (exit 2, one line, no stack trace). `npm test` builds
 * `dist/` first (pretest); run alone after an edit, it says to build rather
 * than test a stale bundle.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { builtIsCurrent, ROOT } from '../../bench/built-harness.js';
import { loadedFilesHook } from '../support/loaded-files.js';

const bundle = join(ROOT, 'dist', 'cli', 'bin.js');

function spawnBuilt(args: string[], nodeOptions: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeOptions, bundle, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Not built from here: under tap, every child process gets tap's loader hooks, which the compiler cannot run under.
if (!builtIsCurrent()) throw new Error('dist/ is missing or older than the sources: run `npm run build` (npm test does it first)');

t.test('package.json names the bundle as the binary and npm start runs it', async (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
  t.equal(pkg.bin['interop-harness'], 'dist/cli/bin.js');
  t.match(pkg.scripts['start'], /^node dist\/cli\/bin\.js demo\b/);
  t.match(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), /\/app\/dist\/cli\/bin\.js/);
});

t.test('the bundled CLI answers --version, lists the bundled profiles and dry-runs one', async (t) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const version = await spawnBuilt(['--version']);
  t.equal(version.code, 0);
  t.equal(version.stdout, `${pkg.version}\n`);

  const profiles = await spawnBuilt(['profiles']);
  t.equal(profiles.code, 0, profiles.stderr);
  for (const id of readdirSync(join(ROOT, 'profiles'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
    t.match(profiles.stdout, new RegExp(`^${id}\\s`, 'm'), `lists ${id}`);
  }

  const dry = await spawnBuilt(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--dry-run', '--no-cache']);
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, /GET http:\/\/127\.0\.0\.1:9\//);
});

t.test('the bundled CLI checks a document against the OpenAPI schema with the code compiled at build time', async (t) => {
  // The check's own code, written by `npm run build` (see harness/profile/openapi-schema-code.ts), found from the bundle.
  t.ok(readdirSync(join(ROOT, 'dist', 'openapi-schema-code')).includes('manifest.json'));
  const dir = t.testdir({
    'bad.yaml': [
      'openapi: 3.0.3',
      'info: {title: t, version: "1"}',
      'paths:',
      '  /x: {get: {responses: {"200": {description: ok, content: {application/json: {schema: {type: object, properties: 5}}}}}}}',
      '',
    ].join('\n'),
  });
  const loadedFiles = loadedFilesHook(dir);
  const lint = await spawnBuilt(['lint-profile', join(dir, 'bad.yaml')], loadedFiles.nodeOptions);
  t.equal(lint.code, 1, lint.stderr);
  t.match(lint.stdout, /openapi-invalid\s+\/paths\/~1x\/get\/responses\/200\/content\/application~1json\/schema\/properties\s+OpenAPI schema: .* must be object/);
  const loaded = loadedFiles.files();
  t.ok(loaded.some((file) => file.includes('/@apidevtools/swagger-parser/')), 'swagger-parser checked it');
  t.notOk(loaded.some((file) => file.endsWith('/swagger-parser/lib/validators/schema.js') || file.includes('/ajv-draft-04/')), 'with the precompiled check, not by compiling the schema');
});

t.test('a rebuild of the same version never reads what the older build concluded about a document', async (t) => {
  // A copy of the installed package, whose dist/build-id (written last by `npm run build`) can be changed as a rebuild would.
  const copy = t.testdir({ 'package.json': readFileSync(join(ROOT, 'package.json'), 'utf8') });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
  t.match(readFileSync(join(copy, 'dist', 'build-id'), 'utf8'), /^[0-9a-f]{64}\n$/, 'the build wrote its id');
  const small = join(ROOT, 'test', 'documents', 'small', 'openapi.yaml');
  const dryRun = async (name: string) => {
    mkdirSync(join(copy, name));
    const hook = loadedFilesHook(join(copy, name));
    const outcome = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [...hook.nodeOptions, join(copy, 'dist', 'cli', 'bin.js'), 'run', '--profile', small, '--target', 'http://127.0.0.1:9', '--dry-run'], {
        cwd: copy,
        env: { ...process.env, INTEROP_CACHE_DIR: join(copy, 'cache') },
        stdio: 'ignore',
      });
      child.on('close', resolve);
    });
    t.equal(outcome, 0);
    return hook.files().some((file) => file.includes('/@apidevtools/swagger-parser/'));
  };
  t.ok(await dryRun('first'), 'the first run checks the document');
  t.notOk(await dryRun('second'), 'the second takes the check from the cache');
  writeFileSync(join(copy, 'dist', 'build-id'), `${'0'.repeat(64)}\n`);
  t.ok(await dryRun('rebuilt'), 'after a rebuild the document is checked again');
});

t.test('bad input to the bundled CLI exits 2 with one line and no stack trace', async (t) => {
  const outcome = await spawnBuilt(['run', '--profile', join(ROOT, 'nope.yaml'), '--target', 'http://127.0.0.1:1']);
  t.equal(outcome.code, 2);
  t.equal(outcome.stderr.trim().split('\n').length, 1);
  t.notMatch(outcome.stderr, /\s+at /);
});

t.test('the bundled demo probes the reference supplier with every profile and writes its reports', async (t) => {
  const out = t.testdir();
  const demo = await spawnBuilt(['demo', '--out', out]);
  t.equal(demo.code, 0, demo.stderr);
  const reports = readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('report.json'));
  t.ok(reports.length >= 1, 'report.json written');
  for (const file of reports) {
    const report = JSON.parse(readFileSync(join(out, file), 'utf8')) as { summary: { verdict: string } };
    t.equal(report.summary.verdict, 'conformant', file);
  }
});
