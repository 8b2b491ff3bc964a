/**
 * Session and CSRF secrets. The browser holds a random session id; the
 * database holds only its SHA-256, so a copy of the database (a backup, a
 * leaked dump) holds no live session. The CSRF token is a second random value
 * stored with the session (a synchronizer token): a form post must carry it,
 * and another site can neither read it nor guess it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: a session id or a CSRF token. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the server stores for a session id: its SHA-256, hex. A fast hash is
 * enough here (unlike a password) because the id has 256 bits of entropy.
 *
 * @example
 *   hashSessionId('abc'); // 'ba7816bf…'
 */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/**
 * Compares a submitted token with the stored one in constant time; false for
 * any missing or differently sized value.
 */
export function sameSecret(submitted: unknown, stored: string): boolean {
  if (typeof submitted !== 'string' || submitted.length === 0 || submitted.length > 256) return false;
  const a = Buffer.from(submitted, 'utf8');
  const b = Buffer.from(stored, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
