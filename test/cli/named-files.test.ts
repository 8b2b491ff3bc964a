import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../support/run-cli.js';

/**
 * Files a user names (a report and its signature, a key, a vendor's claims)
 * are read as carefully as a profile: a FIFO with no writer, a device or a
 * folder is refused in one line, never waited on; an oversized file is
 * refused before it is read; a claims document with a duplicate key is
 * refused like a report.
 */

t.test('a FIFO, a device or a folder named as a file is refused, not waited on', async (t) => {
  const dir = t.testdir({ 'report.json': '{}', 'report.json.sig': '{}' });
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  t.equal((await runCli(['keygen', '--out', join(dir, 'force')])).code, 0, 'a real key pair, so verify reaches the files');
  const key = join(dir, 'force.pub');
  const cases: Array<[string, string[], RegExp]> = [
    ['verify: the report', ['verify', fifo, '--key', key, '--signature', join(dir, 'report.json.sig')], /report .*pipe: it is a FIFO \(named pipe\)/],
    ['verify: the signature', ['verify', join(dir, 'report.json'), '--key', key, '--signature', fifo], /signature .*pipe: it is a FIFO/],
    ['verify: the key', ['verify', join(dir, 'report.json'), '--key', '/dev/zero', '--signature', join(dir, 'report.json.sig')], /key file .*\/dev\/zero: it is a character device/],
    ['run: the claims', ['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--claims', fifo, '--dry-run'], /claims file .*pipe: it is a FIFO/],
    ['run: claims that are a folder', ['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--claims', dir, '--dry-run'], /claims file .*: it is a directory/],
    ['compare: a report', ['compare', fifo, join(dir, 'report.json')], /report .*pipe: it is a FIFO/],
  ];
  for (const [name, argv, message] of cases) {
    const outcome = await runCli(argv);
    t.equal(outcome.code, 2, `${name}: exit 2`);
    t.match(outcome.stderr, message, name);
    t.equal(outcome.stderr.trim().split('\n').length, 1, `${name}: one line`);
  }
});

t.test('a claims document with a duplicate key is refused, as a report is', async (t) => {
  const dir = t.testdir({});
  const claims = join(dir, 'claims.json');
  writeFileSync(claims, '{"claimsFormat":"1.0","profiles":{"baseline":{"claimed":true}},"profiles":{}}');
  const outcome = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--claims', claims, '--dry-run']);
  t.equal(outcome.code, 2);
  t.match(outcome.stderr, /claims file .*could not be read as JSON: .*duplicate key "profiles"/);
  t.match(outcome.stderr, /\[CLAIMS_INVALID\]/);
});

t.test('a dry run says it ignores --out and --sign, and writes nothing there', async (t) => {
  const out = join(t.testdir({}), 'reports');
  const outcome = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--dry-run', '--out', out]);
  t.equal(outcome.code, 0);
  t.match(outcome.stderr, /^--out ignored: a dry run sends nothing and writes no report$/m);
  t.notOk(existsSync(out), 'no folder made');
  const signed = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--dry-run', '--sign', join(t.testdir({}), 'missing.key')]);
  t.equal(signed.code, 0, 'the key a dry run would not use is not read');
  t.match(signed.stderr, /^--sign ignored: a dry run sends nothing and writes no report$/m);
});
