/**
 * The export benchmark's supplier, run as its own process by export-bench.ts:
 * the reference supplier with `persons` generated on demand. Prints
 * `listening <url> <client-id> <client-secret>` and serves until killed.
 */
import { startReferenceSupplier } from '../fixtures/reference-supplier/start-reference-supplier.js';

const persons = Number(process.argv[2] ?? 100_000);
const supplier = await startReferenceSupplier({ persons });
process.stdout.write(`listening ${supplier.url} ${supplier.clientId} ${supplier.clientSecret}\n`);
