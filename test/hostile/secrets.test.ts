import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { resultsFor, runHostile, type HostileRun } from './support/run-hostile.js';

/**
 * Every hostile behaviour at once, with credentials on every request, and a
 * supplier that echoes them (body, headers, Location, WWW-Authenticate, a 401):
 * no secret, in any encoding the redactor knows, appears in stdout, stderr or
 * any file the run wrote.
 */

const TOKEN = 'tok-7d1e4b9a2c-hostile-bearer';
const API_KEY = 'key-5f3a8e-hostile-api-key';
const USER = 'probe-user';
const PASSWORD = 'pw-c0rrect-horse-battery';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

function everyOutput(run: HostileRun): Record<string, string> {
  return { stdout: run.stdout, stderr: run.stderr, ...run.files };
}

function assertAbsent(t: Test, run: HostileRun, secrets: string[]): void {
  const outputs = everyOutput(run);
  t.ok(outputs['report.json'] && outputs['junit.xml'], 'report.json and junit.xml written');
  for (const [name, text] of Object.entries(outputs)) {
    for (const secret of secrets) {
      const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64').replace(/=+$/, '')];
      t.notOk(forms.some((form) => text.includes(form)), `${JSON.stringify(secret.slice(0, 8))}… absent from ${name}`);
    }
  }
}

t.test('bearer token from --token-env and an X-Api-Key header', async (t) => {
  const run = await runHostile(t, {}, ['--token-env', 'SUPPLIER_TOKEN', '--header', `X-Api-Key: ${API_KEY}`], { SUPPLIER_TOKEN: TOKEN });
  t.equal(run.code, 1);
  const echo = resultsFor(run.report, 'echoCredentials').find((r) => r.check === 'status-code');
  // A 401 to a request that carried credentials is no evidence about the operation: an error, never a pass.
  t.match(echo, { status: 'error', message: /answered 401 to a request that carried credentials/ }, 'the echoing 401 is reported');
  t.match(echo?.evidence?.response?.bodyExcerpt, /\[redacted\]/, 'the echo is visible as redacted');
  assertAbsent(t, run, [TOKEN, API_KEY]);
});

t.test('basic credentials via --header Authorization, decoded user:pass and password included', async (t) => {
  const run = await runHostile(t, {}, ['--header', `Authorization: Basic ${BASIC}`, '--header', `X-Api-Key: ${API_KEY}`]);
  t.equal(run.code, 1);
  t.match(resultsFor(run.report, 'echoCredentials')[0]?.evidence?.request.headers, { authorization: 'Basic [redacted]' });
  assertAbsent(t, run, [BASIC, `${USER}:${PASSWORD}`, PASSWORD, API_KEY]);
});

t.test('a redirect to another origin is not followed: that origin receives nothing, credentials included', async (t) => {
  let reached = 0;
  const elsewhere = createServer((_req, res) => {
    reached++;
    res.end();
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => elsewhere.close(() => resolve())));
  const offOriginUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/steal`;
  const run = await runHostile(t, { behaviours: ['redirect-off-origin'], offOriginUrl }, ['--token-env', 'T'], { T: TOKEN });
  t.equal(reached, 0, 'the other origin was never contacted');
  const result = resultsFor(run.report, 'redirectOffOrigin').find((r) => r.check === 'status-code');
  t.match(result, { status: 'fail', message: new RegExp(`redirect to ${offOriginUrl.replace(/[.]/g, '\\.')} was not followed`) });
  t.match(result?.evidence?.redirects, [{ status: 302, location: offOriginUrl, followed: false }]);
  assertAbsent(t, run, [TOKEN]);
});
