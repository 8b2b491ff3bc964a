import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t, { type Test } from 'tap';
import { createHostileSupplier, HOSTILE_PROFILE_PATH } from '../../fixtures/hostile-supplier/create-hostile-supplier.js';
import { HOSTILE_SEQUENCES } from '../../fixtures/hostile-supplier/handlers/hostile-text.js';
import { main } from '../../harness/cli/main.js';
import { listen } from '../support/listen.js';
import { FAST_LIMITS } from './support/run-hostile.js';

/**
 * Supplier text carrying escape sequences, control characters and bidi
 * overrides (in a body, in a body that is invalid JSON, in a Content-Type the
 * content-type check repeats) reaches the terminal and junit.xml only
 * stripped or escaped, with colour on or off.
 */

const TEXT_BEHAVIOURS = ['hostile-text-body', 'hostile-text-raw', 'hostile-text-header'];
/** Raw characters no output may carry: ESC, BEL, BS, C1 controls (incl. 8-bit CSI/OSC), bidi controls. */
const FORBIDDEN = /[\x07\x08\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]/;
/** The harness's own colour: SGR sequences only. */
const HARNESS_SGR = /\x1b\[[0-9;]*m/g;

async function runWithTerminal(t: Test, tty: boolean, extra: string[]): Promise<{ stdout: string; junit: string; code: number }> {
  const target = await listen(t, createHostileSupplier({ behaviours: TEXT_BEHAVIOURS }));
  const out = t.testdir({});
  const stdout = Object.assign(new PassThrough(), { isTTY: tty, columns: 120 });
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const stderr = new PassThrough();
  const code = await main(['run', '--profile', HOSTILE_PROFILE_PATH, '--target', target, '--out', out, ...FAST_LIMITS, ...extra], {
    stdout,
    stderr,
    env: {},
    cwd: process.cwd(),
  });
  return { stdout: Buffer.concat(chunks).toString('utf8'), junit: readFileSync(join(out, 'junit.xml'), 'utf8'), code };
}

function assertClean(t: Test, text: string, where: string): void {
  const found = FORBIDDEN.exec(text);
  t.equal(found, null, `${where}: no raw escape, control or bidi character`, { near: found ? text.slice(Math.max(0, found.index - 40), found.index + 40) : null });
  for (const sequence of HOSTILE_SEQUENCES.filter((s) => s !== '\r')) {
    t.notOk(text.includes(sequence), `${where}: no ${JSON.stringify(sequence)}`);
  }
}

t.test('colour off (a CI log): no hostile sequence, no raw control character, no carriage return', async (t) => {
  const run = await runWithTerminal(t, false, []);
  t.equal(run.code, 1);
  t.match(run.stdout, /hostileTextHeader/, 'the failure is in the table');
  assertClean(t, run.stdout, 'stdout');
  t.notOk(run.stdout.includes('\r'), 'stdout: no carriage return');
  assertClean(t, run.junit, 'junit.xml');
});

t.test('colour on (a TTY): only the harness own SGR colour codes, nothing of the supplier', async (t) => {
  const run = await runWithTerminal(t, true, []);
  t.match(run.stdout, HARNESS_SGR, 'colour is on');
  assertClean(t, run.stdout.replace(HARNESS_SGR, ''), 'stdout without the harness colours');
  assertClean(t, run.junit, 'junit.xml');
});

t.test('--no-color on a TTY: no escape at all', async (t) => {
  const run = await runWithTerminal(t, true, ['--no-color']);
  assertClean(t, run.stdout, 'stdout');
});
