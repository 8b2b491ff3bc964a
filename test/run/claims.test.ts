import { join } from 'node:path';
import t, { type Test } from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { run } from '../../harness/index.js';
import { runCli } from '../support/run-cli.js';

async function probe(t: Test, options: { defects?: string[]; claims?: string; profile?: string } = {}) {
  const supplier = await startReferenceSupplier({ defects: options.defects ?? [] });
  t.teardown(() => supplier.close());
  return run({
    profile: options.profile ?? 'open-architecture',
    target: supplier.url,
    clientId: supplier.clientId,
    clientSecret: supplier.clientSecret,
    ...(options.claims ? { claims: options.claims } : {}),
  });
}

t.test('the supplier publishes claims; every claimed requirement of a conformant supplier is verified or says why it is not', async (t) => {
  const report = await probe(t);
  const ledger = report.claims!;
  t.equal(ledger.source, 'well-known');
  t.equal(ledger.profileClaimed, true);
  t.equal(ledger.refuted, 0);
  const mustVerified = ledger.entries.filter((e) => e.level === 'MUST' && e.status === 'verified');
  t.ok(mustVerified.length > 0);
  for (const entry of ledger.entries.filter((e) => e.status === 'unverified')) {
    t.match(entry.reason, /not testable by probing|no passing result|could not get evidence/, `${entry.requirement} says why it is unverified`);
  }
  const notClaimed = ledger.entries.filter((e) => e.status === 'not-claimed');
  t.ok(notClaimed.every((e) => e.level !== 'MUST'), 'only optional requirements can be unclaimed');
});

t.test('a claimed requirement whose check fails is refuted, with the failing check and operation', async (t) => {
  const report = await probe(t, { defects: ['compression-ignored'] });
  const entry = report.claims!.entries.find((e) => e.requirement === 'OA-10')!;
  t.equal(entry.claimed, true, 'the reference supplier claims the SHOULD OA-10');
  t.equal(entry.status, 'refuted');
  t.match(entry.reason, /^compression failed on listPersons/);
  t.equal(report.claims!.refuted, 1);
});

t.test('--claims: a file overrides the published claims; an unclaimed optional requirement is reported as not claimed', async (t) => {
  const dir = t.testdir({
    'claims.json': JSON.stringify({ supplier: 'Vendor A (fictional)', product: 'Case system', claims: [{ profile: 'open-architecture', version: '0.9.0', optional: [] }] }),
    'broken.json': JSON.stringify({ supplier: 'Vendor A', claims: 'everything' }),
  });
  const report = await probe(t, { claims: join(dir, 'claims.json'), defects: ['compression-ignored'] });
  const ledger = report.claims!;
  t.equal(ledger.source, 'file');
  t.match(ledger.versionMismatch, /claimed against open-architecture@0\.9\.0, run with @1\.1\.0/);
  const entry = ledger.entries.find((e) => e.requirement === 'OA-10')!;
  t.same([entry.claimed, entry.status, entry.observed], [false, 'not-claimed', 'refuted'], 'not claimed, and the run says what it saw anyway');

  const broken = await runCli(['run', '--profile', 'open-architecture', '--target', 'http://127.0.0.1:1', '--claims', join(dir, 'broken.json')]);
  t.equal(broken.code, 2);
  t.match(broken.stderr, /broken\.json is not a valid claims document/);
});
