import { lstat, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { packageRoot } from '../../harness/package-root.js';
import { createUniqueSlugs, MAX_SLUG_LENGTH, safeSlug } from '../../harness/report/safe-name.js';
import { writeReportFile } from '../../harness/report/write-report-file.js';
import { runCli } from '../support/run-cli.js';

t.test('safeSlug: traversal, separators, control characters, reserved and long names become one safe segment', async (t) => {
  const table: Array<[string, string]> = [
    ['pole-exchange', 'pole-exchange'],
    ['../../x', 'x'],
    ['a/b', 'a-b'],
    ['a\\b', 'a-b'],
    ['..', 'profile'],
    ['.', 'profile'],
    ['', 'profile'],
    ['\u0000', 'profile'],
    ['a\u0000b', 'a-b'],
    ['con', 'con_'],
    ['CON.txt', 'CON.txt_'],
    ['lpt1', 'lpt1_'],
    ['.hidden', 'hidden'],
    ['x\u202egnp.exe', 'x-gnp.exe'],
    ['a..b', 'a.b'],
    ['\u2025', 'profile'], // the two-dot leader: NFKC makes it '..'
    ['／etc／passwd', 'etc-passwd'], // fullwidth solidus: NFKC makes it '/'
  ];
  for (const [input, expected] of table) t.equal(safeSlug(input), expected, JSON.stringify(input));
  t.equal(safeSlug('x'.repeat(10_000)).length, MAX_SLUG_LENGTH, 'very long: cut');
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      const slug = safeSlug(text);
      const base = resolve('/reports/run');
      return (
        /^[A-Za-z0-9._-]+$/.test(slug) && slug.length <= MAX_SLUG_LENGTH + 1 && slug !== '.' && slug !== '..' && !slug.startsWith('.') &&
        dirname(join(base, slug)) === base
      );
    }),
    { numRuns: 2000 },
  );
});

t.test('createUniqueSlugs: the same id twice in one run gets -2, -3, case-insensitively', async (t) => {
  const names = createUniqueSlugs();
  t.same(['x', 'x', 'X', 'x-2', '../x'].map((id) => names.next(id)), ['x', 'x-2', 'X-3', 'x-2-2', 'x-4']);
});

t.test('writeReportFile never writes through a symlink planted at the report path', async (t) => {
  const dir = t.testdir({ out: {}, outside: { 'secret.txt': 'do not touch' } });
  const outside = join(dir, 'outside', 'secret.txt');
  await symlink(outside, join(dir, 'out', 'report.json'));
  // The old fixed temporary name, planted too: nothing may be written through it either.
  await symlink(outside, join(dir, 'out', `.report.json.${process.pid}.tmp`));
  const written = await writeReportFile(join(dir, 'out'), 'report.json', '{"ok":true}\n');
  t.equal(await readFile(outside, 'utf8'), 'do not touch', 'the symlink target is unchanged');
  t.ok((await lstat(written)).isFile(), 'report.json is now a regular file, not the symlink');
  t.equal(await readFile(written, 'utf8'), '{"ok":true}\n');
  t.same((await readdir(join(dir, 'out'))).filter((f) => f.endsWith('.tmp') && !f.includes(String(process.pid))), [], 'no temporary file left');
  await t.rejects(writeReportFile(join(dir, 'out'), '../escape.json', 'x'), /not a plain file name/);
  await t.rejects(writeReportFile(join(dir, 'missing', 'deeper'), 'report.json', 'x'), { code: 'OUTPUT_UNWRITABLE' });
});

t.test('run: profile ids with traversal, and the same id twice, each get their own folder inside the run folder', async (t) => {
  const dir = t.testdir({ reports: {} });
  const baseline = await readFile(join(packageRoot(), 'profiles', 'baseline', 'openapi.yaml'), 'utf8');
  const profiles: string[] = [];
  for (const [name, id] of [['a', '"../../escaped"'], ['b', '"../../escaped"'], ['c', '"con"'], ['d', '"a/b\\u0000c"']] as const) {
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, baseline.replace(/^  id: baseline$/m, `  id: ${id}`));
    profiles.push('--profile', file);
  }
  const supplier = await startReferenceSupplier();
  t.teardown(() => supplier.close());
  const outcome = await runCli(['run', ...profiles, '--target', supplier.url, '--format', 'json', '-q', '--client-id', supplier.clientId, '--client-secret-env', 'S'], { env: { S: supplier.clientSecret }, cwd: dir });
  t.equal(outcome.code, 0, outcome.stderr);
  const [runFolder, ...others] = await readdir(join(dir, 'reports'));
  t.same(others, [], 'one run folder');
  t.same((await readdir(join(dir, 'reports', runFolder!))).sort(), ['a-b-c', 'con_', 'escaped', 'escaped-2']);
  t.same((await readdir(dir)).sort(), ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'reports'], 'nothing written outside reports/');
  const written = outcome.stdout.split('\n').filter((l) => l.startsWith('report written: '));
  t.equal(written.length, 4, 'four reports, none overwritten');
});
