import { parseArgs } from 'node:util';
import { HarnessError } from '../errors.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import type { CommandIo } from './run-command.js';

/**
 * `interop-harness worker [--concurrency N]`: executes queued runs from the
 * PostgreSQL server of DATABASE_URL until SIGINT/SIGTERM. Any number of
 * workers, on any machines, share the one queue.
 *
 * @example
 *   DATABASE_URL=postgres://… INTEROP_SECRET_KEY=… interop-harness worker --concurrency 2
 */
export async function workerCommand(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, allowPositionals: false, options: { concurrency: { type: 'string' } } }));
  } catch (error) {
    throw new HarnessError('USAGE', error instanceof Error ? error.message : String(error));
  }
  if (!io.env.DATABASE_URL) throw new HarnessError('USAGE', 'worker needs DATABASE_URL (postgres://…): the embedded database of `serve` has its own in-process worker');
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) throw new HarnessError('USAGE', '--concurrency must be a whole number from 1 to 64');
  const note = (line: string) => io.stderr.write(`interop-harness: ${sanitizeTerminalText(line)}\n`);
  const { openService } = await import('../service/open-service.js');
  const service = await openService({ env: io.env, worker: concurrency === undefined ? true : { concurrency }, note });
  io.stdout.write(`worker ${service.worker!.id} ready\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await service.close();
  return 0;
}
