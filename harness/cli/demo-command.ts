import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { runCommand, type CommandIo } from './run-command.js';

/**
 * `npm start`: the bundled reference supplier on an ephemeral loopback port,
 * probed with the baseline profile, reports written under `reports/`.
 * The quickest way to see what a conformant supplier and a report look like.
 */
export async function demoCommand(args: string[], io: CommandIo): Promise<number> {
  const supplier = await startReferenceSupplier();
  io.stdout.write(`reference supplier listening on ${supplier.url}\n`);
  try {
    return await runCommand(['--profile', 'baseline', '--target', supplier.url, ...args], io);
  } finally {
    await supplier.close();
  }
}
