import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Test } from 'tap';
import { bounded } from './bounded-teardown.js';

const BIN = join(import.meta.dirname, '..', '..', 'harness', 'cli', 'bin.ts');

/** A CLI command in a child process (through tsx, as in development), its output collected. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching, or rejects when the process exits first. */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
}

/**
 * Starts `interop-harness <args>` as a separate process, killed (SIGKILL) when
 * the test ends if it is still running.
 *
 * @example
 *   const worker = startCli(t, ['worker', '--concurrency', '1'], { DATABASE_URL, INTEROP_SECRET_KEY });
 *   await worker.line(/^worker .* ready$/);
 */
export function startCli(t: Test, args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(
    bounded(`\`interop-harness ${args.join(' ')}\` (pid ${child.pid}) to exit after SIGKILL`, async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    line(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = out.split('\n').find((line) => pattern.test(line));
          if (found !== undefined) {
            child.stdout!.off('data', check);
            resolve(found);
          }
        };
        child.stdout!.on('data', check);
        check();
        void exited.then((code) => reject(new Error(`exited ${code} before printing ${pattern}: ${err.trim()}`)));
      });
    },
  };
}
