/**
 * The one cookie the workspace sets, read and written without a plugin: a
 * session id, HTTP-only (no script can read it), SameSite=Strict (no other
 * site's link or form carries it), Secure whenever the service is reached over
 * https (directly or, with `--secure-cookies`, behind a TLS proxy).
 */

/** Cookie name; `__Host-` when Secure, so it is bound to this host and path `/`. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-interop-session' : 'interop-session';
}

/**
 * The sign-in form's CSRF cookie: before sign-in there is no session to bind
 * a token to, so the form's token is also set in this cookie (double submit).
 * Another site can neither read it nor, with `__Host-` and SameSite=Strict,
 * plant it.
 */
export function loginCsrfCookieName(secure: boolean): string {
  return secure ? '__Host-interop-login' : 'interop-login';
}

/**
 * One cookie's value from a `Cookie` header, or undefined. Bounded: a header
 * over 8 KB is ignored.
 *
 * @example
 *   readCookie('a=1; interop-session=xyz', 'interop-session'); // 'xyz'
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * A `Set-Cookie` value for the session; `maxAgeSeconds` 0 deletes it.
 *
 * @example
 *   sessionCookie('xyz', { secure: false, maxAgeSeconds: 3600 }); // 'interop-session=xyz; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600'
 */
export function sessionCookie(value: string, options: { secure: boolean; maxAgeSeconds: number; name?: string }): string {
  const parts = [`${options.name ?? sessionCookieName(options.secure)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
