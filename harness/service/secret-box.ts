import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../index.js';

/**
 * Seals secrets at rest (sandbox credentials, evaluation signing keys) with
 * AES-256-GCM: a fresh 96-bit nonce per value and the value's purpose as
 * associated data, so a sealed supplier credential pasted into another
 * column does not open. Sealed form: `v1.<nonce>.<tag>.<ciphertext>` (base64url).
 *
 * @example
 *   const box = createSecretBox(randomBytes(32));
 *   box.open(box.seal('s3cret', 'supplier-auth:42'), 'supplier-auth:42'); // 's3cret'
 */
export interface SecretBox {
  seal(plaintext: string, purpose: string): string;
  open(sealed: string, purpose: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new HarnessError('SECRET_KEY_INVALID', 'the secret key must be 32 bytes');
  return {
    seal(plaintext, purpose) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(purpose, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, purpose) {
      const [version, nonce, tag, body] = sealed.split('.');
      if (version !== 'v1' || nonce === undefined || tag === undefined || body === undefined) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        // Never the value: only that this key does not open it.
        throw new HarnessError('SECRET_KEY_INVALID', 'a stored secret does not open with INTEROP_SECRET_KEY (was the key changed?)', { cause: error });
      }
    },
  };
}

/** File in the embedded data folder holding the generated key. */
export const SECRET_KEY_FILE = 'secret.key';

/**
 * The key from `INTEROP_SECRET_KEY` (32 bytes as 64 hex digits or base64).
 * Without it, in embedded mode only, a key is generated once into
 * `<dataDir>/secret.key` (mode 0600) and `note` says so; against a
 * PostgreSQL server the key is required, since every worker needs the same one.
 *
 * @example
 *   const key = await loadSecretKey({ env: process.env, dataDir: './interop-data', note: console.error });
 */
export async function loadSecretKey(options: { env: NodeJS.ProcessEnv; dataDir?: string; note(line: string): void }): Promise<Buffer> {
  const raw = options.env.INTEROP_SECRET_KEY;
  if (raw !== undefined && raw !== '') return parseKey(raw, 'INTEROP_SECRET_KEY');
  if (options.dataDir === undefined) {
    throw new HarnessError('SECRET_KEY_INVALID', 'INTEROP_SECRET_KEY is required with DATABASE_URL (32 bytes: 64 hex digits or base64; e.g. `openssl rand -hex 32`)');
  }
  const path = join(options.dataDir, SECRET_KEY_FILE);
  try {
    return parseKey((await readFile(path, 'utf8')).trim(), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  options.note(`no INTEROP_SECRET_KEY: generated one into ${path} (mode 0600); back it up with the data, or set INTEROP_SECRET_KEY`);
  return key;
}

function parseKey(raw: string, source: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new HarnessError('SECRET_KEY_INVALID', `${source} must hold 32 bytes as 64 hex digits or base64 (e.g. \`openssl rand -hex 32\`)`);
  return key;
}
