import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote, toCurl } from '../../harness/http/curl.js';

/**
 * Run the command in a real POSIX shell with `curl` replaced by a function that
 * prints its arguments: the argv must come back exactly, and nothing may run.
 */
function shellArgv(command: string, cwd: string): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}\n`;
  const out = execFileSync('sh', ['-c', script], { cwd, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

t.test('simple GET: no -X, headers and URL quoted', async (t) => {
  t.equal(
    toCurl({ method: 'GET', url: 'https://api.example/persons?page=1&size=2', headers: { accept: 'application/json' } }),
    "curl -H 'accept: application/json' 'https://api.example/persons?page=1&size=2'",
  );
});

t.test('HEAD uses -I; other methods use -X; a body uses --data-raw', async (t) => {
  t.equal(toCurl({ method: 'HEAD', url: 'http://h/x', headers: {} }), "curl -I 'http://h/x'");
  t.equal(
    toCurl({ method: 'POST', url: 'http://h/x', headers: { 'content-type': 'application/json' }, body: '{"a":"b"}' }),
    `curl -X 'POST' -H 'content-type: application/json' --data-raw '{"a":"b"}' 'http://h/x'`,
  );
  t.equal(toCurl({ method: 'DELETE', url: 'http://h/x', headers: {} }), "curl -X 'DELETE' 'http://h/x'");
  t.equal(toCurl({ method: 'GET', url: 'http://h/x', headers: {}, body: 'q' }), "curl -X 'GET' --data-raw 'q' 'http://h/x'", 'a GET with a body stays a GET');
  t.equal(toCurl({ method: 'GET', url: 'http://h/x', headers: { 'x-empty': '' } }), "curl -H 'x-empty;' 'http://h/x'");
});

t.test('single quotes are escaped', async (t) => {
  t.equal(shellQuote("it's"), `'it'\\''s'`);
  t.equal(shellQuote(''), "''");
});

t.test('hostile URL, header and body values cannot inject commands', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'interop-curl-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const hostile = [
    "'; touch pwned1; echo '",
    '$(touch pwned2)',
    '`touch pwned3`',
    "a'\n touch pwned4\n'",
    '${IFS}$HOME !! \\ "double" *',
    "''''",
  ];
  for (const [i, value] of hostile.entries()) {
    const request = {
      method: `PO'ST$(TOUCH M${i})`,
      url: `http://h/x?q=${value}`,
      headers: { [`x-${i}`]: value },
      body: value,
    };
    const command = toCurl(request);
    const argv = shellArgv(command, dir);
    t.same(
      argv,
      ['-X', request.method.toUpperCase(), '-H', `x-${i}: ${value}`, '--data-raw', value, request.url],
      `argv comes back exactly for ${JSON.stringify(value)}`,
    );
  }
  for (const name of ['pwned1', 'pwned2', 'pwned3', 'pwned4', 'M0', 'M1', 'M2']) {
    t.notOk(existsSync(join(dir, name)), `${name} was not created`);
  }
});

t.test('a URL starting with a dash is passed with --url', async (t) => {
  t.equal(toCurl({ method: 'GET', url: '-o/etc/passwd', headers: {} }), "curl --url '-o/etc/passwd'");
});
