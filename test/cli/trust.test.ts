import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { validateReport } from '../support/report-schema.js';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { redactArgv } from '../../harness/cli/run-command.js';
import { runCli } from '../support/run-cli.js';

const API_KEY = 'k9';

/** One signed run against the reference supplier with a planted defect, shared by the tests below. */
async function signedRun(t: Test) {
  const dir = t.testdir();
  const keygen = await runCli(['keygen', '--out', join(dir, 'vendor')]);
  t.equal(keygen.code, 0, keygen.stderr);
  const supplier = await startReferenceSupplier({ defects: ['schema-violation'] });
  t.teardown(() => supplier.close());
  const out = join(dir, 'out');
  const run = await runCli([
    'run', '--profile', 'baseline', '--target', supplier.url, '--out', out, '--format', 'json,html',
    '--sign', join(dir, 'vendor.key'), '-q', '-H', `X-Api-Key: ${API_KEY}`,
    '--client-id', supplier.clientId, '--client-secret-env', 'SUPPLIER_SECRET',
  ], { env: { SUPPLIER_SECRET: supplier.clientSecret } });
  t.equal(run.code, 1, 'the planted defect fails a MUST');
  const reportPath = join(out, 'report.json');
  return { dir, out, reportPath, publicKey: join(dir, 'vendor.pub'), run, original: await readFile(reportPath) };
}

t.test('keygen writes a PEM key pair, the private key 0600, and refuses to overwrite without --force', async (t) => {
  const dir = t.testdir();
  const prefix = join(dir, 'k');
  const first = await runCli(['keygen', '--out', prefix]);
  t.equal(first.code, 0);
  t.match(first.stdout, /key id: +[0-9a-f]{64}/);
  t.equal((await stat(`${prefix}.key`)).mode & 0o777, 0o600, 'private key is owner-only');
  t.match(await readFile(`${prefix}.key`, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  t.match(await readFile(`${prefix}.pub`, 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  const before = await readFile(`${prefix}.key`, 'utf8');
  const again = await runCli(['keygen', '--out', prefix]);
  t.equal(again.code, 2);
  t.match(again.stderr, /already exists; pass --force/);
  t.equal(await readFile(`${prefix}.key`, 'utf8'), before, 'the key was not touched');
  const forced = await runCli(['keygen', '--out', prefix, '--force']);
  t.equal(forced.code, 0);
  t.not(await readFile(`${prefix}.key`, 'utf8'), before, 'replaced with --force');
  t.equal((await stat(`${prefix}.key`)).mode & 0o777, 0o600, 'still owner-only after a forced overwrite');
  t.equal((await runCli(['keygen'])).code, 2, 'keygen without --out is bad input');
});

t.test('run --sign writes report.json.sig; verify passes the untouched report and catches every one-byte edit', async (t) => {
  const { reportPath, publicKey, run, original, out } = await signedRun(t);
  t.match(run.stdout, /report written: .*report\.json\.sig/);
  const signature = JSON.parse(await readFile(`${reportPath}.sig`, 'utf8')) as { signed: Record<string, unknown>; signature: string };
  t.same(Object.keys(signature).sort(), ['signature', 'signed'], 'the signature file holds what is signed and the signature, nothing else');
  t.equal(signature.signed.algorithm, 'Ed25519');
  t.equal(signature.signed.canonicalization, 'RFC 8785');
  t.match(signature.signed.keyId, /^[0-9a-f]{64}$/);

  const ok = await runCli(['verify', reportPath, '--key', publicKey]);
  t.equal(ok.code, 0, ok.stdout + ok.stderr);
  t.match(ok.stdout, /verified: .*report\.json has the content signed by key [0-9a-f]{16}…/);
  t.match(ok.stdout, /verdict: +non-conformant/);
  t.match(ok.stdout, /command: +interop-harness run --profile baseline/);

  const text = original.toString('utf8');
  const report = JSON.parse(text) as { results: Array<{ status: string }> };
  const failing = report.results.findIndex((r) => r.status === 'fail');
  // Edits a reader would make to flatter a vendor, each one byte (or one token) of the file.
  const edits: Array<[string, string, RegExp]> = [
    ['a fail turned into a pass', replaceNth(text, '"status": "fail"', '"status": "pass"', 0), new RegExp(`/results/${failing} changed \\(now: pass`)],
    ['a count changed', text.replace('"mustFailed": 1', '"mustFailed": 0'), /\/summary\/mustFailed changed/],
    ['the verdict changed', text.replace('"verdict": "non-conformant"', '"verdict": "conformant"'), /\/summary\/verdict changed/],
    ['the target changed by one character', text.replace('"url": "http://127.0.0.1:', '"url": "http://127.0.0.2:'), /\/target\/url changed/],
    ['the start time changed', text.replace(/"startedAt": "(\d)/, (_m, d: string) => `"startedAt": "${(Number(d) + 1) % 10}`), /\/startedAt changed/],
    ['the harness version changed', text.replace('"version": "0.1.0"', '"version": "0.1.1"'), /\/harness\/version changed/],
    ['the command line changed', text.replace('"--format"', '"--formaT"'), /\/invocation\/argv changed/],
    ['a result removed', removeFirstResult(text), /results: \d+ were signed, \d+ are there now/],
    ['a byte made the JSON invalid', text.replace('{', '['), /report\.json is not strict JSON/],
  ];
  for (const [what, edited, expected] of edits) {
    t.not(edited, text, `${what}: the edit applies`);
    await writeFile(reportPath, edited);
    const outcome = await runCli(['verify', reportPath, '--key', publicKey]);
    t.equal(outcome.code, 1, `${what}: exit 1`);
    t.match(outcome.stdout, /^NOT VERIFIED: /, `${what}: says so`);
    t.match(outcome.stdout, expected, `${what}: names what changed`);
  }

  // Every single byte flipped somewhere in the file, sampled across it: none goes unnoticed.
  for (let position = 0; position < original.length; position += Math.ceil(original.length / 40)) {
    const edited = Buffer.from(original);
    edited[position] = edited[position]! ^ 0x01;
    await writeFile(reportPath, edited);
    t.equal((await runCli(['verify', reportPath, '--key', publicKey])).code, 1, `byte ${position} flipped is caught`);
  }

  await writeFile(reportPath, original);
  t.equal((await runCli(['verify', reportPath, '--key', publicKey])).code, 0, 'restored: verifies again');
  // The signature covers the content, not the formatting.
  await writeFile(reportPath, JSON.stringify(JSON.parse(text)));
  t.equal((await runCli(['verify', reportPath, '--key', publicKey])).code, 0, 'reformatted on one line: still verifies');
  await writeFile(reportPath, original);

  // A duplicate key is refused even though JSON.parse (last wins) would read the signed verdict.
  await writeFile(reportPath, text.replace('"verdict": "non-conformant"', '"verdict": "conformant", "verdict": "non-conformant"'));
  const duplicate = await runCli(['verify', reportPath, '--key', publicKey]);
  t.equal(duplicate.code, 1, 'a duplicate key: exit 1');
  t.match(duplicate.stdout, /duplicate key "verdict" at \/summary\/verdict/);
  await writeFile(reportPath, original);

  const sigPath = `${reportPath}.sig`;
  const sigText = await readFile(sigPath, 'utf8');
  const forgedSignatures: Array<[string, string]> = [
    ['an edited signature', sigText.replace(/"signature": "(.)/, (_m, c: string) => `"signature": "${c === 'A' ? 'B' : 'A'}`)],
    ['an extra field', sigText.replace('{', '{"verified": true,')],
    ['a duplicate key', sigText.replace('"signature":', '"signature": "", "signature":')],
    ['truncated', sigText.slice(0, 100)],
    ['not base64', sigText.replace(/"signature": "[^"]+"/, '"signature": "%%%"')],
  ];
  for (const [what, forged] of forgedSignatures) {
    await writeFile(sigPath, forged);
    const outcome = await runCli(['verify', reportPath, '--key', publicKey]);
    t.equal(outcome.code, 1, `${what} signature file: exit 1`);
    t.match(outcome.stdout, /^NOT VERIFIED: /, `${what}: says so`);
  }
  await writeFile(sigPath, sigText);

  const html = await readFile(join(out, 'report.html'), 'utf8');
  t.match(html, /interop-harness verify report\.json --key signer\.pub/, 'the HTML tells the reader how to check it');
});

t.test('verify: wrong key is exit 1; missing files and wrong key kinds are exit 2', async (t) => {
  const { dir, reportPath, publicKey } = await signedRun(t);
  await runCli(['keygen', '--out', join(dir, 'other')]);
  const wrongKey = await runCli(['verify', reportPath, '--key', join(dir, 'other.pub')]);
  t.equal(wrongKey.code, 1);
  t.match(wrongKey.stdout, /the signature was not made with the key given/);

  const privateAsPublic = await runCli(['verify', reportPath, '--key', join(dir, 'vendor.key')]);
  t.equal(privateAsPublic.code, 2);
  t.match(privateAsPublic.stderr, /this is a private key; verify takes the public key/);

  await writeFile(join(dir, 'junk.pub'), 'not a key');
  t.equal((await runCli(['verify', reportPath, '--key', join(dir, 'junk.pub')])).code, 2, 'not a PEM key');
  t.equal((await runCli(['verify', join(dir, 'missing.json'), '--key', publicKey])).code, 2, 'missing report');
  const noSig = await runCli(['verify', reportPath, '--key', publicKey, '--signature', join(dir, 'missing.sig')]);
  t.equal(noSig.code, 2, 'missing signature');
  t.match(noSig.stderr, /^interop-harness: cannot read signature .*missing\.sig: ENOENT \[USAGE\]\n$/, 'one line');
  t.equal((await runCli(['verify', reportPath])).code, 2, 'no --key');
  t.equal((await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--sign', join(dir, 'nope.key')])).code, 2, 'a missing signing key fails before probing');
  t.equal((await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--format', 'junit', '--sign', join(dir, 'vendor.key')])).code, 2, '--sign without json');
});

t.test('the report records the command line with header values redacted, and validates against the schema', async (t) => {
  const { original } = await signedRun(t);
  const report = JSON.parse(original.toString('utf8')) as { invocation: { argv: string[] } };
  t.same(report.invocation.argv.slice(0, 3), ['run', '--profile', 'baseline']);
  t.ok(report.invocation.argv.includes('X-Api-Key: [redacted]'), 'the short API key is redacted by name');
  t.notOk(report.invocation.argv.some((arg) => arg.includes(`: ${API_KEY}`)), 'its value appears nowhere');
  t.same(redactArgv(['run', '--header=Authorization: Bearer x', '-HX-Key:abc', '-H', 'novalue']), ['run', '--header=Authorization: [redacted]', '-HX-Key: [redacted]', '-H', '[redacted]']);

  t.ok(validateReport(report), 'report.json validates against report.schema.json', { errors: validateReport.errors });
});

function replaceNth(text: string, search: string, replacement: string, n: number): string {
  let index = -1;
  for (let i = 0; i <= n; i++) index = text.indexOf(search, index + 1);
  return index < 0 ? text : text.slice(0, index) + replacement + text.slice(index + search.length);
}

function removeFirstResult(text: string): string {
  const report = JSON.parse(text) as { results: unknown[] };
  report.results.shift();
  return `${JSON.stringify(report, null, 2)}\n`;
}
