import { parseArgs } from 'node:util';
import { DEFECTS } from '../../fixtures/defects/index.js';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { HarnessError } from '../errors.js';
import { parsePositive } from './parse-quantity.js';
import type { CommandIo } from './run-command.js';

/**
 * One line per planted defect: `<name>\t<profile id>\t<requirement id>\t<description>`
 * (one line per trip when a defect trips more than one).
 *
 * @example defectListing()[0] // 'server-error\tbaseline\tBASE-01\tGET /v1/events answers 503 …'
 */
export function defectListing(): string[] {
  // One line per defect: a defect that trips two requirements of its profile lists both, comma-separated.
  // A negative defect trips a generic check no requirement names: the check stands in its place.
  return DEFECTS.map((defect) => {
    const profiles = [...new Set(defect.trips.map((trip) => trip.profile))].join(',');
    const requirements = [...new Set(defect.trips.map((trip) => trip.requirement ?? trip.check))].join(',');
    return [defect.name, profiles, requirements, defect.description].join('\t');
  });
}

/**
 * `interop-harness reference-supplier`: serve the reference supplier until
 * stopped, printing `listening <url>`, `client-id <id>` and `client-secret <secret>`;
 * or, with `--list-defects`, list the defects it can plant and exit.
 *
 * `--persons N` serves N persons (up to 1,000,000), generated on demand beyond `--records`.
 *
 * @example interop-harness reference-supplier --port 8080 --defect no-etag --defect gender-as-word
 * @example interop-harness reference-supplier --persons 1000000
 */
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
        persons: { type: 'string' },
        seed: { type: 'string' },
        defect: { type: 'string', multiple: true, default: [] },
        'list-defects': { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new HarnessError('USAGE', err instanceof Error ? err.message : String(err));
  }
  if (values['list-defects']) {
    io.stdout.write(`${defectListing().join('\n')}\n`);
    return 0;
  }
  const port = values.port === '0' ? 0 : Math.floor(parsePositive('--port', values.port));
  let supplier;
  try {
    supplier = await startReferenceSupplier({
      port,
      host: values.host,
      ...(values.records ? { records: Math.floor(parsePositive('--records', values.records)) } : {}),
      ...(values.persons ? { persons: Math.floor(parsePositive('--persons', values.persons)) } : {}),
      ...(values.seed ? { seed: Math.floor(parsePositive('--seed', values.seed)) } : {}),
      defects: values.defect,
    });
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    throw new HarnessError('USAGE', `reference supplier could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  // The secret is printed on purpose: it is generated for this run of a local test
  // server, and a client needs it to get a token.
  io.stdout.write(`listening ${supplier.url}\nclient-id ${supplier.clientId}\nclient-secret ${supplier.clientSecret}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await supplier.close();
  return 0;
}
