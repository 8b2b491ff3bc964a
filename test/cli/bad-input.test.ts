import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { closedPort } from '../http/test-server.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

const documents = join(import.meta.dirname, '..', 'documents');
const small = join(documents, 'small', 'openapi.yaml');

function assertBadInput(t: Test, outcome: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  t.equal(outcome.code, 2, 'exit code 2');
  t.match(outcome.stderr, pattern, 'names the problem');
  t.equal(outcome.stderr.trim().split('\n').length, 1, 'one line');
  t.notMatch(outcome.stderr, /\n\s+at /, 'no stack trace');
}

t.test('missing profile file', async (t) => {
  const outcome = await runCli(['run', '--profile', join(documents, 'nope.yaml'), '--target', 'http://127.0.0.1:1']);
  assertBadInput(t, outcome, /nope\.yaml/);
});

t.test('invalid YAML names file, line and column', async (t) => {
  const outcome = await runCli(['run', '--profile', join(documents, 'bad', 'invalid-yaml.yaml'), '--target', 'http://127.0.0.1:1']);
  assertBadInput(t, outcome, /invalid-yaml\.yaml.*line \d+/i);
});

t.test('an OpenAPI version the harness does not know', async (t) => {
  const outcome = await runCli(['run', '--profile', join(documents, 'bad', 'openapi-4.yaml'), '--target', 'http://127.0.0.1:1']);
  assertBadInput(t, outcome, /4\.0\.0/);
});

t.test('$ref escaping the profile folder is refused', async (t) => {
  const outcome = await runCli(['run', '--profile', join(documents, 'bad', 'escape', 'openapi.yaml'), '--target', 'http://127.0.0.1:1']);
  assertBadInput(t, outcome, /oas30-traps|outside/i);
});

t.test('target that is not a URL', async (t) => {
  assertBadInput(t, await runCli(['run', '--profile', small, '--target', 'not a url']), /target/);
  assertBadInput(t, await runCli(['run', '--profile', small, '--target', 'ftp://127.0.0.1/']), /http or https/);
});

t.test('unreachable target', async (t) => {
  const port = await closedPort();
  const outcome = await runCli(['run', '--profile', small, '--target', `http://127.0.0.1:${port}`, '--out', t.testdir()]);
  assertBadInput(t, outcome, new RegExp(`unreachable.*127\\.0\\.0\\.1:${port}`));
});

t.test('unknown flag and unknown check are usage errors', async (t) => {
  assertBadInput(t, await runCli(['run', '--profile', small, '--target', 'http://127.0.0.1:1', '--frobnicate']), /frobnicate/);
  assertBadInput(t, await runCli(['run', '--profile', small, '--target', 'http://127.0.0.1:1', '--checks', 'no-such-*']), /no-such-\*/);
  assertBadInput(t, await runCli(['run', '--profile', small, '--target', 'http://127.0.0.1:1', '--timeout', 'soon']), /--timeout/);
});

t.test('--token-env naming an unset variable', async (t) => {
  assertBadInput(t, await runCli(['run', '--profile', small, '--target', 'http://127.0.0.1:1', '--token-env', 'NOT_SET']), /NOT_SET/);
});

t.test('a target that hangs: each probe errors within the timeout, the run ends with exit 1', async (t) => {
  const app = Fastify({ logger: false });
  app.get('/items', () => new Promise(() => {})); // never answers
  const target = await listen(t, app);
  const started = Date.now();
  const outcome = await runCli(['run', '--profile', small, '--target', target, '--timeout', '300ms', '--out', t.testdir(), '--quiet']);
  t.equal(outcome.code, 1, 'exit 1: inconclusive, not bad input');
  t.ok(Date.now() - started < 5000, 'bounded by the timeout');
  t.match(outcome.stdout, /inconclusive/i);
});

t.test('an oversized body is cut off and reported, not validated', async (t) => {
  const app = Fastify({ logger: false });
  app.get('/items', (_req, reply) => reply.type('application/json').send(`{"data":[${'{},'.repeat(400_000)}{}]}`));
  const target = await listen(t, app);
  const out = t.testdir();
  const outcome = await runCli(['run', '--profile', small, '--target', target, '--max-body', '64kb', '--out', out, '--quiet']);
  t.equal(outcome.code, 1);
  const { readFileSync } = await import('node:fs');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const schema = report.results.find((r: { check: string }) => r.check === 'response-schema');
  t.equal(schema.status, 'error');
  t.match(schema.message, /cut off/);
  t.equal(schema.evidence.response.truncated, true);
});

t.test('a profile with only write operations, in a read-only run, is inconclusive with the hint, not bad input', async (t) => {
  const dir = t.testdir({
    'openapi.yaml': 'openapi: 3.1.0\ninfo: {title: writes, version: "1"}\npaths:\n  /things:\n    post:\n      responses:\n        "201": {description: created}\n',
  });
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', 'http://127.0.0.1:1', '--out', join(dir, 'out'), '--format', 'json']);
  t.equal(outcome.code, 1, 'exit 1: a valid document, nothing shown');
  t.equal(outcome.stderr, '');
  t.match(outcome.stdout, /INCONCLUSIVE/);
  t.match(outcome.stdout.replace(/\s+/g, ' '), /nothing was probed: every operation of the document changes data.*--allow-writes/);
});

t.test('--checks and --skip-checks that leave nothing to run', async (t) => {
  const outcome = await runCli(['run', '--profile', small, '--target', 'http://127.0.0.1:1', '--checks', 'status-code', '--skip-checks', 'status-*']);
  assertBadInput(t, outcome, /no checks left/);
});

t.test('a target with a query string is refused rather than silently dropped', async (t) => {
  assertBadInput(t, await runCli(['run', '--profile', small, '--target', 'http://127.0.0.1:1/?api_key=abcd']), /query string.*--header/);
});

t.test('operations the run time limit left unprobed make the run inconclusive, not conformant', async (t) => {
  const app = Fastify({ logger: false });
  app.get('/:name', () => ({}));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.yaml': [
      'openapi: 3.1.0',
      'info: {title: many, version: "1"}',
      'paths:',
      ...['a', 'b', 'c', 'd'].map((p) => `  /${p}: {get: {responses: {'200': {description: ok}}}}`),
    ].join('\n'),
  });
  const out = join(dir, 'out');
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.yaml'), '--target', target, '--concurrency', '1', '--rate', '2', '--run-timeout', '700ms', '--out', out, '--quiet']);
  t.equal(outcome.code, 1, 'exit 1: evidence is missing');
  const { readFileSync } = await import('node:fs');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  t.equal(report.summary.verdict, 'inconclusive');
  t.ok(report.results.some((r: { check: string; status: string; message: string }) => r.check === 'probe' && r.status === 'error' && /run time limit/.test(r.message)));
});

t.test('every error code is documented in the README and printed with its message', async (t) => {
  const { readFileSync } = await import('node:fs');
  const { ERROR_CODES } = await import('../../harness/errors.js');
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  for (const code of Object.keys(ERROR_CODES)) t.match(readme, `| \`${code}\` |`, `${code} documented`);
  const outcome = await runCli(['run', '--profile', join(documents, 'nope.yaml'), '--target', 'http://127.0.0.1:1']);
  t.match(outcome.stderr, /\[PROFILE_NOT_FOUND\]\n$/);
});

t.test('a profile nested thousands of levels deep is refused in the user\'s terms', async (t) => {
  const open = '{"type":"object","properties":{"a":'.repeat(3000);
  const close = '}}'.repeat(3000);
  const dir = t.testdir({
    'deep.json': `{"openapi":"3.1.0","info":{"title":"d","version":"1"},"paths":{"/x":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":${open}{"type":"string"}${close}}}}}}}}}`,
  });
  assertBadInput(t, await runCli(['run', '--profile', join(dir, 'deep.json'), '--target', 'http://127.0.0.1:1', '--dry-run']), /nested too deeply.*\[PROFILE_TOO_LARGE\]/);
});

t.test('--max-profile bounds the profile and each file it $refs, for run, lint-profile and requirements', async (t) => {
  const dir = t.testdir({
    'root.json': JSON.stringify({ openapi: '3.1.0', info: { title: 'r', version: '1' }, paths: { '/x': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: './big.json' } } } } } } } } }),
    'big.json': JSON.stringify({ type: 'object', description: 'x'.repeat(2000) }),
  });
  const root = join(dir, 'root.json');
  const dryRun = (...limit: string[]) => runCli(['run', '--profile', root, '--target', 'http://127.0.0.1:1', '--dry-run', ...limit]);
  assertBadInput(t, await dryRun('--max-profile', '100'), /root\.json is \d+ bytes, over the 100-byte limit \(--max-profile raises it\) \[PROFILE_TOO_LARGE\]/);
  // The root fits, the file it references does not: the same bound, naming that file.
  assertBadInput(t, await dryRun('--max-profile', '1kb'), /big\.json.*over the 1024-byte limit \(--max-profile raises it\).*\[PROFILE_TOO_LARGE\]/);
  const raised = await dryRun('--max-profile', '3kb');
  t.equal(raised.code, 0, `loads once raised: ${raised.stderr}`);
  t.match(raised.stdout, /GET http:\/\/127\.0\.0\.1:1\/x/);
  assertBadInput(t, await runCli(['lint-profile', root, '--max-profile', '100']), /over the 100-byte limit.*\[PROFILE_TOO_LARGE\]/);
  assertBadInput(t, await runCli(['requirements', root, '--max-profile', '100']), /over the 100-byte limit.*\[PROFILE_TOO_LARGE\]/);
  t.match((await runCli(['lint-profile', root, '--max-profile', '3kb'])).stdout, /r@1: 0 requirement\(s\), 1 operation\(s\)/, 'lint-profile loads once raised');
  for (const command of [['run', '--profile', root, '--target', 'http://127.0.0.1:1', '--dry-run'], ['lint-profile', root], ['requirements', root]]) {
    assertBadInput(t, await runCli([...command, '--max-profile', 'lots']), /--max-profile takes a size such as 10mb.*"lots" \[USAGE\]/);
  }
});

t.test('--max-profile is recorded in the report with the other limits', async (t) => {
  const app = Fastify();
  app.get('/items', async () => ({ data: [{ id: 'a' }] }));
  const target = await listen(t, app);
  const out = t.testdir();
  const outcome = await runCli(['run', '--profile', small, '--target', target, '--out', out, '--format', 'json', '--quiet', '--max-profile', '2mb']);
  t.not(outcome.code, 2, outcome.stderr);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { options: { limits: { maxProfileBytes: number } } };
  t.equal(report.options.limits.maxProfileBytes, 2 * 1024 * 1024);
});

t.test('--help after a command prints the help and exits 0, whatever else is on the line', async (t) => {
  for (const argv of [['run', '--help'], ['replay', '--help'], ['run', '-h'], ['run', '--profile', 'nowhere.yaml', '--help']]) {
    const outcome = await runCli(argv);
    t.equal(outcome.code, 0, `${argv.join(' ')}: exit 0`);
    t.match(outcome.stdout, /run options:/, `${argv.join(' ')}: the help`);
    t.equal(outcome.stderr, '');
  }
});

t.test('an unknown command is an error even with --help after it', async (t) => {
  assertBadInput(t, await runCli(['bogus', '--help']), /unknown command "bogus"; try --help/);
});

t.test('replay takes --no-color, as run does: the missing report is the error, not the flag', async (t) => {
  assertBadInput(t, await runCli(['replay', join(documents, 'no-such-report.json'), '--no-color']), /no-such-report\.json/);
});
