import { isAbsolute, relative, sep } from 'node:path';
import { isSensitiveHeader, isSecretFieldName, REDACTED } from '../http/redactor.js';

/**
 * Reports are shared: they must not carry the local file system (home
 * folders, user names, temporary folders) nor a secret typed on the command
 * line. These helpers turn what the run knows into what a report may say.
 */

/**
 * A local path as a report writes it: relative to `cwd` when inside it, else
 * its base name. Anything that is not an absolute path is returned unchanged.
 *
 * @example
 *   displayPath('/home/ana/work/pnc.yaml', '/home/ana/work'); // 'pnc.yaml'
 *   displayPath('/tmp/x/key.pem', '/home/ana/work'); // 'key.pem'
 *   displayPath('bundled:baseline', '/home/ana'); // 'bundled:baseline'
 */
export function displayPath(path: string, cwd: string): string {
  return shownPath(path, cwd).text;
}

/** `displayPath`, and whether it cut the path to its base name. */
function shownPath(path: string, cwd: string): { text: string; cut: boolean } {
  if (!looksAbsolute(path)) return { text: path, cut: false };
  if (path.startsWith('/') && cwd.startsWith('/')) {
    const rel = relative(cwd, path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return { text: rel.split(sep).join('/'), cut: false };
  }
  // Either separator: a Windows path read on POSIX still names no user.
  return { text: path.split(/[\\/]/).filter(Boolean).pop() ?? '.', cut: true };
}

/**
 * A path in the recorded command line: as `displayPath`, but one cut to its
 * base name says so (`…/out`), so that a reader does not take it for a
 * path under the current folder.
 */
function commandLinePath(path: string, cwd: string): string {
  const shown = shownPath(path, cwd);
  return shown.cut ? `…/${shown.text}` : shown.text;
}

function looksAbsolute(value: string): boolean {
  return value.startsWith('/') || value.startsWith('~/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\');
}

/** Flags whose value is always a secret, whatever it looks like (some are not flags of this harness: typed anyway, they still never reach a report). */
const SECRET_FLAGS = new Set(['--client-secret', '--token', '--password', '--api-key', '--secret', '--bearer', '--cookie', '--auth']);

/** Flags whose value is a local file or folder. */
const PATH_FLAGS = new Set(['--profile', '-p', '--out', '-o', '--sign', '--claims', '--key', '--signature']);

/** Flags whose value is a request header or a cookie: the name stays, the value goes. */
const HEADER_FLAGS = new Set(['--header', '-H']);

/**
 * The command line as a report records it: header values, values of secret
 * flags, `--var` values for credential-like names (or for a parameter a
 * security scheme names) replaced by `[redacted]`; absolute paths made
 * relative to `cwd` or cut to their base name, marked `…/`.
 *
 * @example
 *   reportArgv(['run', '-H', 'X-Api-Key: abc', '--var', 'api_key=k', '--profile', '/home/ana/p.yaml'], '/home/ana', ['api_key']);
 *   // ['run', '-H', 'X-Api-Key: [redacted]', '--var', 'api_key=[redacted]', '--profile', 'p.yaml']
 */
export function reportArgv(argv: readonly string[], cwd: string, secretVarNames: readonly string[] = []): string[] {
  const out: string[] = [];
  let pending: 'header' | 'secret' | 'var' | 'path' | undefined;
  const varValue = (raw: string) => {
    const eq = raw.indexOf('=');
    if (eq <= 0) return raw;
    const name = raw.slice(0, eq);
    const bare = name.includes('.') || name.includes(':') ? name.slice(Math.max(name.lastIndexOf('.'), name.lastIndexOf(':')) + 1) : name;
    const secret = secretVarNames.includes(name) || secretVarNames.includes(bare) || isSensitiveHeader(bare) || isSecretFieldName(bare);
    return secret ? `${name}=${REDACTED}` : raw;
  };
  for (const arg of argv) {
    if (pending !== undefined) {
      out.push(pending === 'header' ? redactHeaderArg(arg) : pending === 'secret' ? REDACTED : pending === 'path' ? commandLinePath(arg, cwd) : varValue(arg));
      pending = undefined;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    if (HEADER_FLAGS.has(flag)) {
      if (inline === undefined) {
        out.push(arg);
        pending = 'header';
      } else out.push(`${flag}=${redactHeaderArg(inline)}`);
    } else if (arg.startsWith('-H') && !arg.startsWith('--') && arg.length > 2) {
      out.push(`-H${redactHeaderArg(arg.slice(2))}`);
    } else if (SECRET_FLAGS.has(flag)) {
      if (inline === undefined) {
        out.push(arg);
        pending = 'secret';
      } else out.push(`${flag}=${REDACTED}`);
    } else if (flag === '--var') {
      if (inline === undefined) {
        out.push(arg);
        pending = 'var';
      } else out.push(`--var=${varValue(inline)}`);
    } else if (PATH_FLAGS.has(flag)) {
      if (inline === undefined) {
        out.push(arg);
        pending = 'path';
      } else out.push(`${flag}=${commandLinePath(inline, cwd)}`);
    } else if (/^-[po]./.test(arg)) {
      out.push(`${arg.slice(0, 2)}${commandLinePath(arg.slice(2), cwd)}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

function redactHeaderArg(value: string): string {
  const colon = value.indexOf(':');
  return colon > 0 ? `${value.slice(0, colon)}: ${REDACTED}` : REDACTED;
}
