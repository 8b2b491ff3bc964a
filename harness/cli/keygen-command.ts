import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HarnessError } from '../errors.js';
import { generateSigningKeys, writeKeyPair } from '../report/signing-keys.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import type { CommandIo } from './run-command.js';

/**
 * `interop-harness keygen --out <prefix> [--force]`: writes an Ed25519 key
 * pair, `<prefix>.key` (private, mode 0600) and `<prefix>.pub`, for
 * `run --sign` and `verify --key`. Never overwrites a key without `--force`.
 *
 * @example
 *   await keygenCommand(['--out', 'keys/vendor-a'], io); // 0; writes keys/vendor-a.key and keys/vendor-a.pub
 */
export async function keygenCommand(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, allowPositionals: false, options: { out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false } } }));
  } catch (error) {
    throw new HarnessError('USAGE', error instanceof Error ? error.message : String(error));
  }
  if (!values.out) throw new HarnessError('USAGE', 'keygen needs --out <prefix>; it writes <prefix>.key and <prefix>.pub');
  const prefix = resolve(io.cwd, values.out);
  const keys = generateSigningKeys();
  const written = await writeKeyPair(prefix, keys, values.force);
  const privatePath = sanitizeTerminalText(written.privatePath);
  const publicPath = sanitizeTerminalText(written.publicPath);
  io.stdout.write(
    `private key: ${privatePath} (mode 0600; keep it secret, sign with: run --sign ${privatePath})\n` +
      `public key:  ${publicPath} (give it to whoever checks your reports: verify report.json --key ${publicPath})\n` +
      `key id:      ${keys.keyId}\n`,
  );
  return 0;
}
