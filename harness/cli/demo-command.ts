import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { listBundledProfiles } from '../profile/bundled-profiles.js';
import { runCommand, type CommandIo } from './run-command.js';

/** The variable the demo passes the reference supplier's client secret in. */
const DEMO_SECRET_VARIABLE = 'INTEROP_DEMO_CLIENT_SECRET';

/**
 * `npm start`: the bundled reference supplier on an ephemeral loopback port,
 * probed with every bundled profile (the whole catalogue), using the demo
 * OAuth client the supplier prints; reports written under `reports/`. The
 * quickest way to see what a conformant supplier and a report look like.
 */
export async function demoCommand(args: string[], io: CommandIo): Promise<number> {
  const supplier = await startReferenceSupplier();
  io.stdout.write(`reference supplier listening on ${supplier.url}\n`);
  try {
    const profiles = listBundledProfiles().flatMap((p) => ['--profile', p.id]);
    const credentials = ['--client-id', supplier.clientId, '--client-secret-env', DEMO_SECRET_VARIABLE];
    return await runCommand([...profiles, '--target', supplier.url, ...credentials, ...args], {
      ...io,
      env: { ...io.env, [DEMO_SECRET_VARIABLE]: supplier.clientSecret },
    });
  } finally {
    await supplier.close();
  }
}
