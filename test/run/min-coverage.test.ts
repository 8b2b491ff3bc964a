/**
 * `--min-coverage`: a verdict that rests on too few operations is not
 * conformant. A real server on 127.0.0.1 documents three reads; only one
 * reaches a validated success response (one answers a body that breaks its
 * schema, one a 404 to its placeholder id), so coverage is 1 of 3.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { run } from '../../harness/index.js';
import { parsePercentage } from '../../harness/cli/parse-quantity.js';
import { documentsSuccess } from '../../harness/report/coverage.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';
import { validateReport } from '../support/report-schema.js';

const DOCUMENT = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'things', version: '1.0.0' },
  paths: {
    '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/thingList' } } } } } } },
    '/others': { get: { operationId: 'listOthers', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/thingList' } } } } } } },
    '/things/{thingId}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string' }, example: 'example-id' }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '404': { description: 'none' } },
      },
    },
  },
  components: { schemas: { thingList: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } } } },
});

/** The server: `/things` as documented, `/others` with a body its schema refuses, every id unknown. */
async function serve(t: Test): Promise<string> {
  const app = Fastify();
  app.get('/things', async () => ({ items: [] }));
  app.get('/others', async () => ({ items: 'none' }));
  app.get('/things/:thingId', async (_request, reply) => reply.code(404).send({}));
  return listen(t, app);
}

t.test('below --min-coverage the run is inconclusive, says by how much, and records the threshold', async (t) => {
  const target = await serve(t);
  const dir = t.testdir({ 'openapi.json': DOCUMENT, out: {} });
  const profile = join(dir, 'openapi.json');
  // With one operation left out, the selection is what the percentage is of: 1 of 2 validated.
  const cli = await runCli(['run', '--profile', profile, '--target', target, '--skip-operations', 'getThing', '--min-coverage', '60%', '--out', join(dir, 'out'), '--format', 'json,md', '--no-color']);
  t.equal(cli.code, 1, 'exit 1: CI does not go green', { stderr: cli.stderr });
  t.match(cli.stdout, /verdict: +NON-CONFORMANT/, 'the schema failure on /others stands: a caveat never hides proof');
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
  t.equal(report.options.minCoverage, 60);
  t.match(report.summary.caveats, [{ code: 'thin-coverage', message: 'success responses validated for 1 of 2 operations (50%), below --min-coverage 60%', hint: /coverage list/ }]);
  t.ok(validateReport(report), 'report.json validates against report.schema.json', { errors: validateReport.errors });
  t.match(readFileSync(join(dir, 'out', 'report.md'), 'utf8'), /below --min-coverage 60%/);
});

t.test('a conformant run on thin coverage becomes inconclusive; at or above the threshold it stays conformant', async (t) => {
  const target = await serve(t);
  const dir = t.testdir({ 'openapi.json': DOCUMENT, out: {} });
  const profile = join(dir, 'openapi.json');
  // /others left out: /things validates, the id's 404 is documented, so nothing fails. Coverage: 1 of 2.
  const base = ['run', '--profile', profile, '--target', target, '--skip-operations', 'listOthers', '--out', join(dir, 'out'), '--format', 'json', '--no-color'];

  const plain = await runCli(base);
  t.equal(plain.code, 0, 'without --min-coverage: conformant, as before', { stdout: plain.stdout, stderr: plain.stderr });
  t.match(plain.stdout, /coverage: success responses validated for 1 of 2 operations \(2 sent\)/);

  const thin = await runCli([...base, '--min-coverage', '51']);
  t.equal(thin.code, 1, { stderr: thin.stderr });
  t.match(thin.stdout, /verdict: +INCONCLUSIVE \(success responses validated for 1 of 2 operations \(50%\), below --min-coverage 51%\)/);
  t.match(thin.stdout, /see the coverage list/);
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
  t.equal(report.summary.verdict, 'inconclusive');
  t.ok(validateReport(report), 'report.json validates against report.schema.json', { errors: validateReport.errors });

  const enough = await runCli([...base, '--min-coverage', '50']);
  t.equal(enough.code, 0, 'exactly the threshold is enough', { stdout: enough.stdout });
  t.notMatch(enough.stdout, /below --min-coverage/);
});

t.test('a run that reached no success response says so once, not twice', async (t) => {
  const target = await serve(t);
  const dir = t.testdir({ 'openapi.json': DOCUMENT });
  const report = await run({ profile: join(dir, 'openapi.json'), target, selection: { operations: ['getThing'] }, minCoverage: 100 });
  t.equal(report.summary.verdict, 'inconclusive');
  t.same(report.summary.caveats?.map((c) => c.code).filter((c) => c === 'no-success-response' || c === 'thin-coverage'), ['no-success-response']);
});

t.test('a percentage out of range is bad input: exit 2, naming the flag', async (t) => {
  for (const value of ['101', '-5', 'most', '80%%', '', '1e2', '99.99999999999999999', '--min-coverage=-5']) {
    const argv = value.startsWith('--') ? [value] : ['--min-coverage', value];
    const cli = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', ...argv]);
    t.equal(cli.code, 2, `--min-coverage ${JSON.stringify(value)}`);
    // `-5` alone reads as a flag: node's parser names the option and says how to pass it.
    t.match(cli.stderr, value === '-5' ? /'--min-coverage' argument is ambiguous/ : /--min-coverage takes a percentage from 0 to 100 with at most six decimals, such as 80 or 80%, got /);
    t.notMatch(cli.stderr, /\n\s+at /, 'no stack trace');
  }
  for (const minCoverage of [101, -1, Number.NaN]) {
    await t.rejects(run({ profile: 'baseline', target: 'http://127.0.0.1:9', minCoverage }), { code: 'USAGE', message: /^the minimum coverage must be a percentage from 0 to 100, got / }, String(minCoverage));
  }
});

t.test('a percentage is read as typed: spaces, a leading point, a % sign, up to six decimals', async (t) => {
  const read: Array<[string, number]> = [[' 80 ', 80], ['080', 80], ['100.0%', 100], ['80 %', 80], ['0', 0], ['.5', 0.5], ['66.666667', 66.666667]];
  for (const [raw, value] of read) t.equal(parsePercentage('--min-coverage', raw), value, JSON.stringify(raw));
});

t.test('an operation that documents no success response (a download answering 302) is not counted against coverage', async (t) => {
  const app = Fastify();
  app.get('/things', async () => ({ items: [] }));
  app.get('/download', async (_request, reply) => reply.code(302).header('location', '/files/1').send());
  const target = await listen(t, app);
  const document = JSON.parse(DOCUMENT) as { paths: Record<string, unknown> };
  document.paths = {
    '/things': document.paths['/things'],
    '/download': { get: { operationId: 'download', responses: { '302': { description: 'the file, elsewhere', headers: { Location: { schema: { type: 'string' } } } } } } },
  };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: join(dir, 'openapi.json'), target, minCoverage: 100 });
  t.equal(report.summary.coverage?.successValidated, 1);
  t.equal(report.summary.verdict, 'conformant', 'the supplier answered as documented: 1 of the 1 operation that can succeed');
  t.notOk(report.summary.caveats?.some((c) => c.code === 'thin-coverage'));
});

t.test('a selection of redirects only, answered as documented, is conformant: no success response was there to reach', async (t) => {
  const app = Fastify();
  app.get('/download', async (_request, reply) => reply.code(302).header('location', '/files/1').send());
  const target = await listen(t, app);
  const document = JSON.parse(DOCUMENT) as { paths: Record<string, unknown> };
  document.paths = {
    '/download': { get: { operationId: 'download', responses: { '302': { description: 'the file, elsewhere', headers: { Location: { schema: { type: 'string' } } } } } } },
  };
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
  const report = await run({ profile: join(dir, 'openapi.json'), target });
  t.equal(report.summary.verdict, 'conformant');
  t.same(report.summary.caveats ?? [], [], 'no no-success-response caveat');
  t.match(report.results.find((r) => r.check === 'status-code'), { status: 'pass' }, 'the 302 was judged, and documented');
});

t.test('which operations can reach a success response at all', async (t) => {
  const can = (...keys: string[]) => documentsSuccess({ responses: keys.map((key) => ({ key })) });
  t.ok(can('200'));
  t.ok(can('2XX', '404'));
  t.ok(can('default'), 'default alone may be the success');
  t.ok(can('404', 'default'));
  t.notOk(can('302'), 'a download that only redirects');
  t.notOk(can('302', 'default'), 'beside a redirect, default is the error');
  t.notOk(can('101', 'default'));
  t.notOk(can('400', '404'));
});
