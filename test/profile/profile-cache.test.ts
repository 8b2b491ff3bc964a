import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { cacheFolder, cacheKey, openProfileCache } from '../../harness/profile/profile-cache.js';
import { loadProfile } from '../../harness/profile/load-profile.js';
import { prepareRun } from '../../harness/run/run.js';
import { runCli } from '../support/run-cli.js';

const root = join(import.meta.dirname, '..', '..');
const messy = join(root, 'test', 'profile', 'documents', 'messy.yaml');

/** The entries (not temporary files) in a cache folder. */
const entries = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.json')) : []);

/** A dry run of `profile` through the CLI with the cache in `folder`. */
const dryRun = (profile: string, folder: string, ...extra: string[]) =>
  runCli(['run', '--profile', profile, '--target', 'http://127.0.0.1:9', '--dry-run', ...extra], { env: { INTEROP_CACHE_DIR: folder } });

t.test('the cache folder: INTEROP_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', async (t) => {
  t.equal(cacheFolder({ INTEROP_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }, '/home/u'), '/c');
  t.equal(cacheFolder({ XDG_CACHE_HOME: '/x' }, '/home/u'), '/x/interop-harness');
  t.equal(cacheFolder({}, '/home/u'), '/home/u/.cache/interop-harness');
  t.not(cacheKey({ sha256: 'a', harness: '1' }), cacheKey({ sha256: 'a', harness: '2' }), 'the harness version is part of the key');
  t.equal(cacheKey({ a: '1', b: '2' }), cacheKey({ b: '2', a: '1' }), 'order does not matter');
});

t.test('a second load of the same document gives the same profile from the cache', async (t) => {
  const folder = join(t.testdir(), 'cache');
  const cache = openProfileCache(folder);
  const uncached = await loadProfile(messy);
  const first = await loadProfile(messy, { cache });
  t.equal(entries(folder).length, 1, 'one entry written');
  t.equal(statSync(folder).mode & 0o777, 0o700, 'the folder is private');
  t.equal(statSync(join(folder, entries(folder)[0]!)).mode & 0o777, 0o600, 'the entry is private');
  const second = await loadProfile(messy, { cache });
  t.ok(second.warnings.some((w) => w.code === 'openapi-invalid'), 'the document check is among the warnings');
  t.same(second.warnings, uncached.warnings, 'identical warnings from the cache');
  t.same(first.warnings, uncached.warnings);
  t.same(second.operations, uncached.operations);
});

t.test('a corrupted or truncated entry is ignored, the result is the same, and the entry is rewritten', async (t) => {
  const folder = join(t.testdir(), 'cache');
  const cache = openProfileCache(folder);
  const expected = (await loadProfile(messy, { cache })).warnings;
  const file = join(folder, entries(folder)[0]!);
  const good = readFileSync(file, 'utf8');
  const spoilt = [
    good.slice(0, good.length - 20), // truncated
    good.replace('openapi-invalid', 'openapi-invalie'), // a changed byte: the checksum no longer matches
    `${'0'.repeat(64)}\n[]`, // a checksum that is not of the text
    '', // empty
  ];
  for (const text of spoilt) {
    writeFileSync(file, text, { mode: 0o600 });
    const again = await loadProfile(messy, { cache });
    t.same(again.warnings, expected, `same warnings after ${JSON.stringify(text.slice(0, 30))}…`);
    t.equal(readFileSync(file, 'utf8'), good, 'the entry was written again, whole');
  }
});

t.test('an entry of the right checksum but the wrong shape is not believed', async (t) => {
  const { createHash } = await import('node:crypto');
  const folder = join(t.testdir(), 'cache');
  const cache = openProfileCache(folder);
  const expected = (await loadProfile(messy, { cache })).warnings;
  const file = join(folder, entries(folder)[0]!);
  const key = entries(folder)[0]!.replace(/\.json$/, '');
  const body = JSON.stringify({ format: 1, key, value: [{ code: 'openapi-invalid', message: 'planted', location: '', extra: 'x' }] });
  writeFileSync(file, `${createHash('sha256').update(body).digest('hex')}\n${body}`, { mode: 0o600 });
  t.same((await loadProfile(messy, { cache })).warnings, expected);
});

t.test('a folder or entry others can write to is not trusted', async (t) => {
  const folder = join(t.testdir(), 'cache');
  mkdirSync(folder, { mode: 0o700 });
  chmodSync(folder, 0o777);
  const refused = openProfileCache(folder);
  t.match(refused.refused, /others can write to it \(mode 777\)/);
  const run = await prepareRun({ profile: messy, target: 'http://127.0.0.1:9', cache: folder });
  t.equal(run.cache, 'refused');
  t.ok(run.warnings.some((w) => w.code === 'cache-refused'), 'the run says why it went without');
  t.same(entries(folder), [], 'nothing written there');

  chmodSync(folder, 0o700);
  const cache = openProfileCache(folder);
  const expected = (await loadProfile(messy, { cache })).warnings;
  const file = join(folder, entries(folder)[0]!);
  chmodSync(file, 0o666);
  // A world-writable entry may hold anything: read as a miss, and replaced by a private one.
  t.same((await loadProfile(messy, { cache })).warnings, expected);
  t.equal(statSync(file).mode & 0o777, 0o600);
});

t.test('--no-cache writes nothing and is recorded; the cache gives the same dry run', async (t) => {
  const folder = join(t.testdir(), 'cache');
  const bypassed = await dryRun(messy, folder, '--no-cache');
  t.equal(bypassed.code, 0, bypassed.stderr);
  t.notOk(existsSync(folder), 'the folder was not even created');
  const first = await dryRun(messy, folder);
  const second = await dryRun(messy, folder);
  t.equal(entries(folder).length, 1);
  t.equal(second.stdout, first.stdout);
  t.equal(first.stdout, bypassed.stdout, 'the same plan with or without the cache');
  const off = await prepareRun({ profile: messy, target: 'http://127.0.0.1:9', cache: false });
  t.equal(off.cache, 'off');
});

t.test('two runs sharing a cache at once both finish with the same result, leaving one whole entry', async (t) => {
  const folder = join(t.testdir(), 'cache');
  const spawnDryRun = () =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'harness', 'cli', 'bin.ts'), 'run', '--profile', messy, '--target', 'http://127.0.0.1:9', '--dry-run'], {
        cwd: root,
        env: { ...process.env, INTEROP_CACHE_DIR: folder },
      });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.on('close', (code) => resolve({ code, stdout }));
    });
  const [a, b] = await Promise.all([spawnDryRun(), spawnDryRun()]);
  t.equal(a.code, 0);
  t.equal(b.code, 0);
  t.equal(a.stdout, b.stdout);
  t.same(readdirSync(folder).filter((name) => name.endsWith('.tmp')), [], 'no temporary file left behind');
  t.equal(entries(folder).length, 1);
  const cache = openProfileCache(folder);
  const key = entries(folder)[0]!.replace(/\.json$/, '');
  t.ok(Array.isArray(cache.read(key)), 'the entry they left is whole and trusted');
});
