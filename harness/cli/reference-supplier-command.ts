import { parseArgs } from 'node:util';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { HarnessError } from '../errors.js';
import { parsePositive } from './parse-quantity.js';
import type { CommandIo } from './run-command.js';

/** `interop-harness reference-supplier`: serve the reference supplier until stopped. */
export async function referenceSupplierCommand(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        records: { type: 'string' },
        seed: { type: 'string' },
        defect: { type: 'string', multiple: true, default: [] },
      },
    }));
  } catch (err) {
    throw new HarnessError('USAGE', err instanceof Error ? err.message : String(err));
  }
  const port = values.port === '0' ? 0 : Math.floor(parsePositive('--port', values.port));
  let supplier;
  try {
    supplier = await startReferenceSupplier({
      port,
      host: values.host,
      ...(values.records ? { records: Math.floor(parsePositive('--records', values.records)) } : {}),
      ...(values.seed ? { seed: Math.floor(parsePositive('--seed', values.seed)) } : {}),
      defects: values.defect,
    });
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    throw new HarnessError('USAGE', `reference supplier could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  io.stdout.write(`listening ${supplier.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await supplier.close();
  return 0;
}
