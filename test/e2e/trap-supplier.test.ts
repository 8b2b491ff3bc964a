import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { validateReport } from '../support/report-schema.js';
import { CALLER_TOKEN, createTrapSupplier, TRAP_PROFILE_PATH, type TrapSupplier } from '../../fixtures/trap-supplier/create-trap-supplier.js';
import type { Report } from '../../harness/report/report-types.js';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

/**
 * The write-safety model against a supplier full of traps
 * (fixtures/trap-supplier/traps.ts): with --allow-writes the run changes only
 * records it created, deletes them all again, and never touches the
 * maintenance switch, the settings, built-in records or its own token.
 */

async function start(t: Test, options: Parameters<typeof createTrapSupplier>[0] = {}): Promise<TrapSupplier & { url: string }> {
  const supplier = createTrapSupplier(options);
  return { ...supplier, url: await listen(t, supplier.app) };
}

async function runTrap(t: Test, supplier: { url: string }, extra: string[]): Promise<{ code: number; stdout: string; stderr: string; report: Report }> {
  const out = t.testdir({});
  const outcome = await runCli(['run', '--profile', TRAP_PROFILE_PATH, '--target', supplier.url, '--token-env', 'TRAP_TOKEN', '--out', out, '--format', 'json', '--quiet', ...extra], {
    env: { TRAP_TOKEN: CALLER_TOKEN },
  });
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  return { ...outcome, report };
}


const sent = (supplier: TrapSupplier, pattern: RegExp) => supplier.requests.filter((r) => pattern.test(r));

t.test('--allow-writes leaves pre-existing data identical and removes every record it created', async (t) => {
  const supplier = await start(t);
  const before = supplier.snapshot();
  const { code, report, stderr } = await runTrap(t, supplier, ['--allow-writes']);
  t.equal(stderr, '');
  t.same(supplier.snapshot(), before, 'the snapshot after the run deep-equals the one before');

  t.equal(sent(supplier, /^PUT \/maintenance/).length, 0, 'the maintenance switch was never sent');
  t.equal(sent(supplier, /^PUT \/settings/).length, 0, 'the singleton settings were never replaced');
  t.equal(sent(supplier, /^DELETE \/environments$/).length, 0, 'no bulk delete');
  t.equal(sent(supplier, /^DELETE \/tokens\/tok-caller/).length, 0, "the caller's own token was never revoked");
  t.equal(sent(supplier, /^(PUT|PATCH|POST|DELETE) \/(environments\/(default|staging)|users\/|features\/(dark-mode|beta-search))/).length, 0, 'no write reached a pre-existing record');
  t.notOk(supplier.snapshot().tokens.find((tok) => tok.id === 'tok-caller')?.revoked, 'the caller is still authorised');

  t.ok(validateReport(report), 'the report, cleanup included, validates against report.schema.json', { errors: validateReport.errors });
  t.ok(report.cleanup, 'the report says what the run created');
  t.equal(report.cleanup!.created, 3, 'a token, a feature and an environment were created');
  t.equal(report.cleanup!.deleted.length, 3, 'and all three deleted');
  t.same(report.cleanup!.leftBehind, []);
  for (const url of report.cleanup!.deleted) t.match(url, new RegExp(`^${supplier.url}/(tokens|features|environments)/`));

  // Within each created record's lifecycle: nothing after its DELETE except the read that expects 404.
  for (const url of report.cleanup!.deleted) {
    const path = new URL(url).pathname;
    const mine = supplier.requests.filter((r) => r.endsWith(` ${path}`) || r.startsWith(`POST ${path}/`));
    const deleteAt = mine.indexOf(`DELETE ${path}`);
    t.ok(deleteAt > 0, `${path} was deleted by the run`);
    t.same(mine.slice(deleteAt + 1), [`GET ${path}`], `after DELETE ${path} only the read expecting 404`);
  }

  const failures = report.results.filter((r) => r.status === 'fail' || r.status === 'error');
  t.same(failures.map((r) => [r.operationId, r.check, r.message]), [], 'no false failure');
  t.equal(code, 0);
  t.equal(report.summary.verdict, 'conformant');

  const notSent = report.results.filter((r) => r.check === 'probe' && /^would change existing state/.test(r.message)).map((r) => r.operationId);
  t.same(notSent.sort(), ['changePassword', 'deleteAllEnvironments', 'deleteUser', 'replaceSettings', 'setMaintenance'], 'each trap is named as not sent');
});

t.test('lifecycle steps use the id each create gave: links, Location header, response body', async (t) => {
  const supplier = await start(t);
  const { report } = await runTrap(t, supplier, ['--allow-writes']);
  const created = (operationId: string) => report.results.find((r) => r.operationId === operationId && r.check === 'status-code' && r.evidence?.request.method === 'POST');
  // allOf-required: NewEnvironment's `type` is required in a branch that does not declare it.
  t.equal(created('createEnvironment')?.evidence?.response?.status, 201, 'the environment body carried every required property');
  t.match(created('createEnvironment')?.evidence?.request.body, /"type":"(development|production)"/);
  // A media range is never a Content-Type.
  t.equal(created('createFeature')?.evidence?.request.headers['content-type'], 'application/json', 'application/*+json sent as application/json');
  t.equal(created('createFeature')?.evidence?.response?.status, 201);
  t.ok(sent(supplier, /^PUT \/environments\/env-\d+$/).length === 1, 'the environment found through Location was replaced');
  t.ok(sent(supplier, /^PATCH \/features\/[a-z]/).length === 1, 'the feature found through its links was updated');
  t.ok(sent(supplier, /^GET \/tokens\/tok-new-\d+$/).length >= 1, 'the token found in the body was read back');
});

t.test('read-only: the name-keyed feature is reached without --var, and no path has //', async (t) => {
  const supplier = await start(t);
  const before = supplier.snapshot();
  const { report, code } = await runTrap(t, supplier, []);
  t.same(supplier.snapshot(), before);
  t.equal(sent(supplier, /^(PUT|PATCH|POST|DELETE) /).length, 0, 'a read-only run sends no write');
  const feature = report.results.filter((r) => r.operationId === 'getFeature');
  t.ok(feature.some((r) => r.check === 'response-schema' && r.status === 'pass' && r.evidence?.response?.status === 200), 'getFeature: a validated 200');
  t.match(feature[0]?.evidence?.request.url, /\/features\/(dark-mode|beta-search)$/, 'with a harvested name');
  t.equal(sent(supplier, /\/\//).length, 0, 'no request path holds //');
  t.ok(sent(supplier, /^GET \/versions\/(1\.0|2\.0)\/export$/).length === 1, "`default: ''` is no value: the version came from GET /versions");
  t.ok(sent(supplier, /^GET \/users\/[12]$/).length === 1, 'the user id came from a nested {data: {items}} collection');
  t.ok(sent(supplier, /^GET \/tokens\/tok-(caller|ci-robot)$/).length === 1, 'a token id that fits its pattern');
  t.equal(code, 0);
});

t.test('--dry-run lists each request with its body and why, and the writes it will not send', async (t) => {
  const supplier = await start(t);
  const { stdout, code } = await runCli(['run', '--profile', TRAP_PROFILE_PATH, '--target', supplier.url, '--token-env', 'TRAP_TOKEN', '--allow-writes', '--dry-run'], {
    env: { TRAP_TOKEN: CALLER_TOKEN },
  });
  t.equal(code, 0);
  t.same(supplier.requests, [], 'nothing sent');
  t.match(stdout, /PUT \/maintenance {2}\(setMaintenance\)\n {4}# not sent: would change existing state/);
  t.match(stdout, /DELETE \/environments {2}\(deleteAllEnvironments\)\n {4}# not sent: would change existing state: it acts on a whole collection/);
  t.match(stdout, /POST \S+\/features {2}\(createFeature\)\n {4}# lifecycle step 1 of \/features \(createFeature\): create a record of the run's own\n(.*\n)*? {4}body: \{"name":"[a-z][a-z0-9-]*","description":"[^"]*"\}/);
  t.match(stdout, /PATCH \S+\/features\/\{featureName\} {2}\(updateFeature\)\n {4}# lifecycle step 3 of \/features/);
  t.match(stdout, /DELETE \S+\/features\/\{featureName\} {2}\(deleteFeature\)\n {4}# lifecycle step 5 of \/features \(createFeature\): delete it/);
  t.match(stdout, /GET \S+\/features {2}\(listFeatures\)\n {4}# read\n/);
  t.notOk(stdout.includes(CALLER_TOKEN), 'the token is redacted');
});

t.test('selection flags narrow the run and are recorded; naming a state-changing operation sends it', async (t) => {
  const supplier = await start(t);
  const { report } = await runTrap(t, supplier, ['--operations', 'listFeatures,getFeature', '--operations', 'listTokens']);
  t.same([...new Set(report.results.map((r) => r.operationId))].sort(), ['getFeature', 'listFeatures', 'listTokens']);
  t.same(report.options.selection, { operations: ['listFeatures', 'getFeature', 'listTokens'], selected: 3, of: 26 });
  t.ok(validateReport(report), 'options.selection validates against report.schema.json', { errors: validateReport.errors });

  const byPath = await runTrap(t, supplier, ['--paths', 'GET /environments/*', '--paths', 'GET /environments']);
  t.same([...new Set(byPath.report.results.map((r) => r.operationId))].sort(), ['getEnvironment', 'listEnvironments']);

  const byTag = await runTrap(t, supplier, ['--tags', 'users', '--skip-operations', 'list*']);
  t.same([...new Set(byTag.report.results.map((r) => r.operationId))].sort(), ['changePassword', 'deleteUser', 'getUser']);
  t.equal(sent(supplier, /^(PUT|DELETE) \/users/).length, 0, '--tags alone names nothing: writes stay read-only skips');

  const bad = await runCli(['run', '--profile', TRAP_PROFILE_PATH, '--target', supplier.url, '--operations', 'nothingLikeThis', '--dry-run']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /leaves no operation/);

  const named = await runTrap(t, supplier, ['--allow-writes', '--operations', 'setMaintenance,getMaintenance']);
  t.equal(sent(supplier, /^PUT \/maintenance$/).length, 1, 'named with --operations, the toggle is sent');
  t.equal(supplier.snapshot().maintenance.enabled, true, '(and does what it does)');
  t.ok(named.report.results.some((r) => r.operationId === 'setMaintenance' && r.check === 'status-code' && r.status === 'pass'));
});

t.test('a run without credentials is inconclusive, with the hint to send them', async (t) => {
  const supplier = await start(t);
  const out = t.testdir({});
  const { code } = await runCli(['run', '--profile', TRAP_PROFILE_PATH, '--target', supplier.url, '--out', out, '--format', 'json', '--quiet']);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  t.equal(code, 1);
  t.equal(report.summary.verdict, 'inconclusive');
  t.match(report.summary.caveats?.[0], { code: 'credentials-rejected', hint: /--token-env/ });
});

t.test('the SPA fallback switch answers 200 text/html on any unknown path', async (t) => {
  const supplier = await start(t, { spaFallback: true });
  const response = await fetch(`${supplier.url}/v1/status`);
  t.equal(response.status, 200);
  t.match(response.headers.get('content-type'), /^text\/html/);
  const off = await start(t);
  t.equal((await fetch(`${off.url}/v1/status`)).status, 404);
});
