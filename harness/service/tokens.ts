import { createHash, randomBytes } from 'node:crypto';

/**
 * Random bearer secrets (API tokens, session ids): 256 bits, base64url, with a
 * prefix that says what they are (so a leaked one is recognisable in a scan).
 * Only their SHA-256 is stored: a database dump holds no usable token, and a
 * 256-bit random value needs no salt or slow hash.
 *
 * @example
 *   const token = newSecretToken('ih_'); // 'ih_…' (shown once)
 *   const stored = sha256Hex(token);
 */
export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Prefix of API tokens. */
export const API_TOKEN_PREFIX = 'ih_';
