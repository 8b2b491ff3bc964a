import { listBundledProfiles } from '../profile/bundled-profiles.js';
import type { CommandIo } from './run-command.js';

/** `interop-harness profiles`: one line per bundled profile. */
export function profilesCommand(io: CommandIo): number {
  const profiles = listBundledProfiles();
  const width = Math.max(2, ...profiles.map((p) => p.id.length));
  io.stdout.write(`${'id'.padEnd(width)}  version  status  title\n`);
  for (const p of profiles) io.stdout.write(`${p.id.padEnd(width)}  ${p.version.padEnd(7)}  ${(p.status ?? '').padEnd(6)}  ${p.title}\n`);
  return 0;
}
