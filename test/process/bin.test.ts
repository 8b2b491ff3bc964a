import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import t from 'tap';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'harness', 'cli', 'bin.ts');
const small = join(root, 'test', 'documents', 'small', 'openapi.yaml');

/** Run the real binary in its own process, as a shell would. */
function spawnCli(args: string[], pipeTo?: (stdout: Readable) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    if (pipeTo) pipeTo(child.stdout);
    else child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

t.test('--version and --help from the real binary', async (t) => {
  const version = await spawnCli(['--version']);
  t.equal(version.code, 0);
  t.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const help = await spawnCli(['--help']);
  t.match(help.stdout, /Exit codes:/);
});

t.test('bad input exits 2 with one line on stderr and no stack trace', async (t) => {
  const outcome = await spawnCli(['run', '--profile', join(root, 'nope.yaml'), '--target', 'http://127.0.0.1:1']);
  t.equal(outcome.code, 2);
  t.equal(outcome.stderr.trim().split('\n').length, 1);
  t.notMatch(outcome.stderr, /\s+at /);
});

t.test('a dry run piped into a reader that stops early does not crash', async (t) => {
  const outcome = await spawnCli(['run', '--profile', small, '--target', 'http://127.0.0.1:1', '--dry-run'], (stdout) => {
    stdout.once('data', () => stdout.destroy());
  });
  t.equal(outcome.code, 0);
  t.notMatch(outcome.stderr, /EPIPE|\s+at /);
});
