import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { compareReports } from '../../harness/report/compare-reports.js';
import type { Report } from '../../harness/report/report-types.js';
import { largeReport } from '../report/large-report.js';
import { buildSampleReport } from '../report/sample-report.js';
import { runCli } from '../support/run-cli.js';

/**
 * compare reads reports someone else handed over: whatever they hold, the
 * outcome is a comparison or exit 2 naming the file and the reason, never a
 * crash, and a failed requirement always shows as failed.
 */

const GOOD = JSON.stringify(buildSampleReport(), null, 2);

t.test('a malformed or hostile report.json is exit 2 with the file name and the reason', async (t) => {
  const good = buildSampleReport();
  const edited = (change: (r: Record<string, unknown>) => void) => {
    const copy = structuredClone(good) as unknown as Record<string, unknown>;
    change(copy);
    return JSON.stringify(copy);
  };
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', 'this is not json', /is not strict JSON: not a JSON value at the root/],
    ['empty', '', /is not strict JSON: unexpected end of input/],
    ['a duplicate key deep inside', GOOD.replace('"verdict":', '"verdict": "conformant", "verdict":'), /duplicate key "verdict" at \/summary\/verdict/],
    ['a duplicate key in a result', GOOD.replace('"status": "fail"', '"status": "pass", "status": "fail"'), /duplicate key "status" at \/results\/\d+\/status/],
    ['an array, not an object', '[]', /is not an interop-harness report\.json: \/ must be object/],
    ['results of the wrong type', edited((r) => (r.results = 'many')), /\/results must be array/],
    ['a result with a numeric status', edited((r) => ((r.results as Array<Record<string, unknown>>)[3]!.status = 7)), /\/results\/3\/status must be/],
    ['a requirement id that is an object', edited((r) => ((r.requirements as Array<Record<string, unknown>>)[0]!.id = { toString: 'x' })), /\/requirements\/0\/id must be string/],
    ['summary missing', edited((r) => delete r.summary), /must have required property 'summary'/],
    ['claims entries not an array', edited((r) => ((r.claims as Record<string, unknown>).entries = {})), /\/claims\/entries must be array/],
    ['a __proto__ key at the top', GOOD.replace('{', '{"__proto__": {"polluted": true},'), /must NOT have additional properties \("__proto__"\)/],
    ['a constructor key in the summary', edited((r) => Reflect.set(r.summary as object, 'constructor', 1)), /\/summary must NOT have additional properties \("constructor"\)/],
    ['nested 100,000 levels deep', `{"results":${'['.repeat(100_000)}`, /nested more than 512 levels deep/],
    ['another report format', edited((r) => (r.reportFormat = '9.9')), /has report format "9\.9"; this harness reads 1\.0/],
    ['a number too precise for a double', GOOD.replace(/"total": (\d+)/, '"total": $1.0000000000000000000001'), /more precision than a JSON number can hold/],
    ['half a million empty results', edited((r) => (r.results = Array.from({ length: 500_000 }, () => ({})))), /\/results\/0 must have required property/],
    ['invalid UTF-8', '', /not valid UTF-8/],
  ];
  const dir = t.testdir();
  const other = join(dir, 'good.json');
  await writeFile(other, GOOD);
  for (const [what, text, reason] of cases) {
    const file = join(dir, `${what.replace(/\W+/g, '-')}.json`);
    await writeFile(file, what === 'invalid UTF-8' ? Buffer.concat([Buffer.from(GOOD.slice(0, 50)), Buffer.from([0xff, 0xfe]), Buffer.from(GOOD.slice(50))]) : text);
    const outcome = await runCli(['compare', other, file]);
    t.equal(outcome.code, 2, `${what}: exit 2`);
    t.match(outcome.stderr, /^interop-harness: [^\n]+\n$/, `${what}: one line`);
    t.ok(outcome.stderr.includes(file), `${what}: names the file`);
    t.match(outcome.stderr, reason, `${what}: says why`);
    t.notMatch(outcome.stderr, /internal error|\n {4}at /, `${what}: no crash, no stack`);
    t.equal(outcome.stdout, '', `${what}: no comparison printed`);
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
  const fifo = await runCli(['compare', other, dir]);
  t.equal(fifo.code, 2, 'a folder is bad input');
  t.match(fifo.stderr, /not a regular file/);
});

t.test('a requirement a vendor fails is shown as failed, whatever its claims say', async (t) => {
  const vendor = buildSampleReport();
  const failing = vendor.results.find((r) => r.status === 'fail' && r.requirement !== null)!;
  const requirement = vendor.requirements.find((r) => r.id === failing.requirement)!;
  // The vendor's claims leave the requirement out, yet a check of it failed.
  vendor.claims = {
    ...vendor.claims!,
    entries: vendor.requirements.map((r) => ({ requirement: r.id, level: r.level, claimed: r.id !== requirement.id, status: r.id === requirement.id ? 'not-claimed' : 'verified', reason: '' })),
  } as unknown as NonNullable<Report['claims']>;
  const comparison = compareReports([{ file: 'a.json', report: vendor }, { file: 'b.json', report: buildSampleReport() }]);
  const row = comparison.rows.find((r) => r.kind === 'requirement' && r.id === requirement.id)!;
  t.equal(row.cells[0], 'fail', `${requirement.id} (${requirement.level}) is failed, not "not claimed"`);
  const unclaimedPassing = vendor.requirements.find((r) => r.id !== requirement.id && comparison.rows.find((row) => row.id === r.id)?.cells[1] === 'pass');
  if (unclaimedPassing) {
    vendor.claims.entries.find((e) => e.requirement === unclaimedPassing.id)!.claimed = false;
    const again = compareReports([{ file: 'a.json', report: vendor }, { file: 'b.json', report: buildSampleReport() }]);
    t.equal(again.rows.find((r) => r.id === unclaimedPassing.id)!.cells[0], 'not-claimed', 'an unclaimed requirement that did not fail is still "not claimed"');
  }
});

t.test('compare is linear: two reports of 20,000 results each finish and are right', async (t) => {
  const dir = t.testdir();
  const a = largeReport({ operations: 4_000, requirements: 2_000 });
  const b = largeReport({ operations: 4_000, requirements: 2_000, seed: 3 });
  t.equal(a.results.length, 20_000);
  await writeFile(join(dir, 'a.json'), JSON.stringify(a));
  await writeFile(join(dir, 'b.json'), JSON.stringify(b));
  const outcome = await runCli(['compare', join(dir, 'a.json'), join(dir, 'b.json')]);
  t.equal(outcome.code, 0, outcome.stderr);
  const rows = outcome.stdout.split('\n').filter((line) => /^\| REQ-\d+ \|/.test(line));
  t.equal(rows.length, 2_000, 'one row per requirement');
  // REQ-0 holds every fourth result of every operation, some failing: failed in both columns.
  t.match(outcome.stdout, /\| REQ-0 \| MUST \| Requirement 0\. \| ❌ Failed \| ❌ Failed \|/);
  const html = await runCli(['compare', join(dir, 'a.json'), join(dir, 'b.json'), '--out', join(dir, 'compare.html')]);
  t.equal(html.code, 0, html.stderr);
});
