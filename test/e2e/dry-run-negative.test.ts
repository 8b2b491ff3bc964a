/**
 * `--dry-run --negative` lists the changed requests the negative phase would
 * send, chosen by the same seed: a force reviews them before they reach a
 * vendor's sandbox. Checked against what a real run against the reference
 * supplier (which answers every valid read 200) then sends.
 */
import { join } from 'node:path';
import t from 'tap';
import { BUNDLED_PROFILE_IDS } from '../../fixtures/reference-supplier/bundled-profile-documents.js';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { planDryRun, preparePlan, run } from '../../harness/index.js';
import { runCli } from '../support/run-cli.js';

t.test('for every bundled profile, the dry run lists exactly the negative requests the run sends with the same seed', async (t) => {
  const supplier = await startReferenceSupplier({});
  t.teardown(() => supplier.close());
  for (const profile of BUNDLED_PROFILE_IDS) {
    for (const allowWrites of [false, true]) {
      const options = { profile, target: supplier.url, clientId: supplier.clientId, clientSecret: supplier.clientSecret, negative: { seed: 11 }, allowWrites };
      const lines = planDryRun(await preparePlan(options));
      const planned = lines
        .filter((line) => line.reason.startsWith('negative (') && !/^negative \([^)]*\): body /.test(line.reason))
        .map((line) => `${line.method} ${line.url}`)
        .sort();
      // An operation whose valid request takes an id from an earlier list is changed at run time, from the id found.
      const atRunTime = new Set(lines.filter((line) => line.reason.startsWith('negative: chosen at run time')).map((line) => line.operationId));
      const report = await run(options);
      // The lifecycle's body cases (--allow-writes) go to records the run creates: a dry run cannot name those URLs.
      const sent = report.results
        .filter((r) => r.negative && r.negative.location !== 'body' && r.evidence && !atRunTime.has(r.operationId))
        .map((r) => `${r.evidence!.request.method} ${r.evidence!.request.url}`)
        .sort();
      // An unknown id and a valid boundary are sent only where the valid request got a 2xx, which the dry
      // run cannot know: those it marks, of operations whose valid request the run saw get no 2xx, may go unsent.
      // Coverage records every answer the valid probes got, whatever checks the profile runs.
      const took = new Set((report.coverage ?? []).filter((c) => c.answers.some((a) => typeof a === 'number' && a >= 200 && a < 300)).map((c) => c.operationId));
      const excused = new Set(lines.filter((line) => line.note === 'sent only if the valid request gets a 2xx' && !took.has(line.operationId)).map((line) => `${line.method} ${line.url}`));
      const expected = planned.filter((request) => !excused.has(request) || sent.includes(request));
      t.same(expected, sent, `${profile}${allowWrites ? ' --allow-writes' : ''}: ${planned.length} negative requests planned, ${sent.length} sent (${planned.length - expected.length} conditional on a 2xx the run did not get; ${atRunTime.size} operations chosen at run time)`);
      t.ok(planned.length > 0);
      // The body cases, by operation and change: the run sends each on a record it made, whose id the dry run shows as {id}.
      const plannedBodies = lines.flatMap((line) => {
        const change = /^negative \([^)]*\): body (\S+) ([a-z-]+)/.exec(line.reason);
        return change ? [`${line.operationId} ${line.method} ${change[1]} ${change[2]}`] : [];
      });
      const sentBodies = report.results.filter((r) => r.negative?.location === 'body').map((r) => `${r.operationId} ${r.evidence!.request.method} ${r.negative!.name} ${r.negative!.mutation}`);
      t.same(plannedBodies.sort(), sentBodies.sort(), `${profile}${allowWrites ? ' --allow-writes' : ''}: the dry run lists the body cases the run sends`);
      if (allowWrites && report.cleanup && report.cleanup.created > 0) t.ok(sentBodies.length > 0, `${profile}: a writing run sends body cases`);
    }
  }
});

t.test('the CLI prints each negative request with its check, what it changes and why, and names the seed', async (t) => {
  const result = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--dry-run', '--negative', '--seed', '7']);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /negative requests chosen by --seed 7/);
  t.match(result.stdout, /GET http:\/\/127\.0\.0\.1:9\/v1\/persons\?limit=101 {2}\(listPersons\)\n {4}# negative \(negative-data-rejection, expect reject\): query limit above-maximum "101": limit 101 is outside the maximum 100/);
  const without = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--dry-run']);
  t.notMatch(without.stdout, /negative/, 'no negative lines without --negative');
});

t.test('the dry run never shows a secret in a negative request, even one documented as an ordinary parameter', async (t) => {
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'tenant', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              { name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string', minLength: 2, maxLength: 20 } },
              { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
            ],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    }),
  });
  const result = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', 'http://127.0.0.1:9', '--dry-run', '--negative', '--seed', '3', '--header', 'X-Tenant: supersecretvalue12']);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /query limit above-maximum/, 'other parameters are still changed');
  t.notMatch(result.stdout, /supersecret/, 'the header value appears nowhere, not even in part');
  t.notMatch(result.stdout, /X-Tenant (too-long|too-short|missing)/, 'and the header is not changed');
});

t.test('the dry run prints the warnings a run would print first, such as a --var that fills nothing', async (t) => {
  const result = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--dry-run', '--var', 'nothing=1']);
  t.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n');
  t.match(lines[0], /^dry run: /);
  // Before the plan, as a run prints them before its first probe; the missing credentials are one too.
  const firstRequest = lines.findIndex((line) => line.startsWith('GET '));
  const warnings = lines.slice(1, firstRequest);
  t.match(warnings, [/^warning: .*\[credentials-missing at /, /^warning: --var nothing fills no parameter of the operations probed \(.*\) \[var-unused at \/paths\]$/]);
});

t.test('the dry run shows at most as many warnings as a run, and none with --quiet', async (t) => {
  const vars = Array.from({ length: 12 }, (_, i) => ['--var', `nothing${i}=1`]).flat();
  const many = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--dry-run', ...vars]);
  t.equal(many.stdout.split('\n').filter((line) => line.startsWith('warning: ')).length, 10, 'ten, as a run prints');
  t.match(many.stdout, /^and 3 more profile warnings \(a run's report\.json lists them all\)$/m, 'the credentials warning and twelve --var ones: 13 in all');
  const quiet = await runCli(['run', '--profile', 'baseline', '--target', 'http://127.0.0.1:9', '--dry-run', '--quiet', '--var', 'nothing=1']);
  t.notMatch(quiet.stdout, /^warning: /m);
  t.match(quiet.stdout, /^GET http:\/\/127\.0\.0\.1:9\/v1\/status/m, 'the plan itself is still printed');
});

t.test("the dry run's count is of requests: operations listed as not sent are counted apart", async (t) => {
  const result = await runCli(['run', '--profile', 'incident', '--target', 'http://127.0.0.1:9', '--dry-run']);
  t.equal(result.code, 0, result.stderr);
  const blocks = result.stdout.split('\n').filter((line) => /^[A-Z]+ \S+ {2}\(/.test(line));
  const notSent = result.stdout.split('\n').filter((line) => line.startsWith('    # not sent')).length;
  t.ok(notSent > 0, 'a read-only dry run lists the writes it will not send');
  t.match(result.stdout.split('\n')[0], `, ${blocks.length - notSent} planned request(s) (and ${notSent} operation(s) listed as not sent), read-only`);
});

t.test("with --negative, a line for cases chosen at run time counts as up to that many requests", async (t) => {
  // Found on Platformatic DB: the header said 26 planned requests and the run sent 34, each such line counted once.
  const item = { type: 'object', properties: { id: { type: 'string' } } };
  const ok = (schema: unknown) => ({ '200': { description: 'ok', content: { 'application/json': { schema } } } });
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'books', version: '1' },
      paths: {
        '/books': { get: { operationId: 'listBooks', responses: ok({ type: 'array', items: item }) } },
        '/books/{bookId}': { get: { operationId: 'getBook', parameters: [{ name: 'bookId', in: 'path', required: true, schema: { type: 'string' } }], responses: ok(item) } },
      },
    }),
  });
  const result = await runCli(['run', '--profile', `${dir}/openapi.json`, '--target', 'http://127.0.0.1:9', '--dry-run', '--negative', '--seed', '1', '--max-negative', '5']);
  t.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n');
  const chosenLater = lines.filter((line) => /# up to 5 changed requests, chosen by --seed 1/.test(line)).length;
  t.equal(chosenLater, 1, "getBook's id comes from the list at run time");
  const blocks = lines.filter((line) => /^[A-Z]+ \S+ {2}\(/.test(line)).length;
  const notSent = lines.filter((line) => line.startsWith('    # not sent')).length;
  t.match(lines[0], `, ${blocks - notSent - chosenLater} planned request(s) and up to 5 more chosen at run time${notSent > 0 ? ` (and ${notSent} operation(s) listed as not sent)` : ''}, read-only`);
});
