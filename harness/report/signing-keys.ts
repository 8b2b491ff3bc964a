import { dirname } from 'node:path';
/**
 * Ed25519 key pairs for signing reports, as PEM files: PKCS#8 for the private
 * key, SPKI for the public key, the forms `openssl` and every crypto library
 * read. node:crypto only: no dependency to audit.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, open, rm, type FileHandle, mkdir } from 'node:fs/promises';
import { HarnessError } from '../errors.js';
import { readNamedFile } from '../read-regular-file.js';

export interface SigningKeyPair {
  privatePem: string;
  publicPem: string;
  keyId: string;
}

/**
 * A fresh Ed25519 key pair.
 *
 * @example
 *   const { publicPem, keyId } = generateSigningKeys(); // keyId: 64 hex digits
 */
export function generateSigningKeys(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/**
 * A public key's id: SHA-256 (hex) of its SPKI DER encoding. Recorded in a
 * signature so `verify` can say "signed by a different key" rather than just
 * "invalid".
 *
 * @example
 *   keyIdOf(createPublicKey(pem)); // 'c0ffee…' (64 hex digits)
 */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * Writes `<prefix>.key` (private, mode 0600) and `<prefix>.pub`. Refuses to
 * replace either file unless `force`: overwriting a private key by accident
 * would orphan every signature made with it.
 *
 * @example
 *   await writeKeyPair('/keys/vendor-a', generateSigningKeys(), false); // { privatePath: '/keys/vendor-a.key', publicPath: '/keys/vendor-a.pub' }
 */
export async function writeKeyPair(prefix: string, keys: SigningKeyPair, force: boolean): Promise<{ privatePath: string; publicPath: string }> {
  const privatePath = `${prefix}.key`;
  const publicPath = `${prefix}.pub`;
  // Open both (exclusively, unless forced) before writing either, and remove what
  // this call created if the second is refused: never leave half a key pair.
  const flags = force ? 'w' : 'wx';
  // `keygen --out keys/vendor-a` on a fresh checkout: the folder is part of the name given.
  await mkdir(dirname(privatePath), { recursive: true, mode: 0o700 }).catch(() => undefined);
  const handles: FileHandle[] = [];
  let written = false;
  try {
    handles.push(await openKeyFile(privatePath, flags, 0o600));
    handles.push(await openKeyFile(publicPath, flags, 0o644));
    await handles[0]!.writeFile(keys.privatePem);
    await handles[1]!.writeFile(keys.publicPem);
    written = true;
  } finally {
    await Promise.all(handles.map((h) => h.close()));
    if (!written && !force) await Promise.all([privatePath, publicPath].slice(0, handles.length).map((p) => rm(p, { force: true })));
  }
  // `mode` applies only when a file is created; a forced overwrite must still end up 0600.
  await chmod(privatePath, 0o600);
  return { privatePath, publicPath };
}

async function openKeyFile(path: string, flags: string, mode: number) {
  try {
    return await open(path, flags, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new HarnessError('USAGE', `${path} already exists; pass --force to replace it (signatures made with the old key will no longer verify against it)`);
    throw new HarnessError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${code ?? String(error)}`, { cause: error });
  }
}

/**
 * Reads an Ed25519 private key (PKCS#8 PEM) for `run --sign`.
 *
 * @example
 *   const key = await readPrivateKey('vendor-a.key');
 */
export async function readPrivateKey(path: string): Promise<KeyObject> {
  const text = await readKeyText(path, '--sign');
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new HarnessError('USAGE', `--sign ${path}: not a PEM private key (make one with: interop-harness keygen --out <prefix>)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new HarnessError('USAGE', `--sign ${path}: an ${key.asymmetricKeyType ?? 'unknown'} key; reports are signed with Ed25519 keys`);
  return key;
}

/**
 * Reads an Ed25519 public key (SPKI PEM) for `verify --key`. A private key is
 * refused: whoever checks a report should never need the signer's secret.
 *
 * @example
 *   const key = await readPublicKey('vendor-a.pub');
 */
export async function readPublicKey(path: string): Promise<KeyObject> {
  const text = await readKeyText(path, '--key');
  if (/-----BEGIN (?:ENCRYPTED )?PRIVATE KEY-----/.test(text)) {
    throw new HarnessError('USAGE', `--key ${path}: this is a private key; verify takes the public key (the .pub file)`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw new HarnessError('USAGE', `--key ${path}: not a PEM public key (expected the .pub file from interop-harness keygen)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new HarnessError('USAGE', `--key ${path}: an ${key.asymmetricKeyType ?? 'unknown'} key; reports are signed with Ed25519 keys`);
  return key;
}

/** A PEM Ed25519 key is a few hundred bytes; anything near this is not one. */
const MAX_KEY_BYTES = 64 * 1024;

async function readKeyText(path: string, flag: string): Promise<string> {
  return (await readNamedFile(path, { what: `the key file for ${flag}`, maxBytes: MAX_KEY_BYTES })).toString('utf8');
}
