import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { packageRoot } from '../../harness/package-root.js';
import { runCli } from '../support/run-cli.js';

/**
 * Three vendors, three real runs: A conformant, B with a planted schema
 * defect, C against a newer profile version (BASE-05 renumbered BASE-06) run
 * by a newer harness, so the comparison must warn it is not like for like.
 */
async function threeReports(t: Test): Promise<{ dir: string; files: string[] }> {
  const dir = t.testdir();
  const baseline = await readFile(join(packageRoot(), 'profiles', 'baseline', 'openapi.yaml'), 'utf8');
  const newer = join(dir, 'baseline-0.2.0.yaml');
  await writeFile(newer, baseline.replace(/^  version: 0\.1\.0$/gm, '  version: 0.2.0').replace('- id: BASE-05', '- id: BASE-06'));
  const suppliers = await Promise.all([startReferenceSupplier(), startReferenceSupplier({ defects: ['schema-violation'] }), startReferenceSupplier()]);
  t.teardown(() => Promise.all(suppliers.map((s) => s.close())));
  const profiles = ['baseline', 'baseline', newer];
  const files = suppliers.map((_, i) => join(dir, `vendor-${'abc'[i]}`, 'report.json'));
  await Promise.all(
    suppliers.map((s, i) => runCli(['run', '--profile', profiles[i]!, '--target', s.url, '--out', join(dir, `vendor-${'abc'[i]}`), '--format', 'json', '-q', '--client-id', s.clientId, '--client-secret-env', 'SUPPLIER_SECRET'], { env: { SUPPLIER_SECRET: s.clientSecret } })),
  );
  // Vendor C's report as a newer harness would have written it.
  const c = JSON.parse(await readFile(files[2]!, 'utf8')) as { harness: { version: string } };
  c.harness.version = '0.2.0';
  await writeFile(files[2]!, JSON.stringify(c, null, 2));
  return { dir, files };
}

t.test('compare: a requirement-by-vendor matrix, totals by principle, and warnings when not like for like', async (t) => {
  const { dir, files } = await threeReports(t);
  const md = await runCli(['compare', ...files]);
  t.equal(md.code, 0, md.stderr);
  const out = md.stdout;
  t.match(out, /^# Vendor comparison: 3 reports/);
  t.match(out, /Profile versions differ \(A: 0\.1\.0; B: 0\.1\.0; C: 0\.2\.0\)/);
  t.match(out, /Harness versions differ \(A: 0\.1\.0; B: 0\.1\.0; C: 0\.2\.0\)/);
  t.match(out, /\| BASE-04 \| MUST \| [^|]+ \| ✅ Passed \| ❌ Failed \| ✅ Passed \|/, 'B fails the schema requirement');
  t.match(out, /\| BASE-05 \| SHOULD \| [^|]+ \| ✅ Passed \| ✅ Passed \| · Not claimed \|/, 'C does not claim BASE-05');
  // C's supplier publishes claims for baseline 0.1.0 (BASE-05), so the renumbered SHOULD BASE-06
  // is one it never claimed: the matrix follows the vendor's claims, not only its profile.
  t.match(out, /\| BASE-06 \| SHOULD \| [^|]+ \| · Not claimed \| · Not claimed \| · Not claimed \|/);
  t.match(out, /\| Interoperability First \| 5 verified, 0 failed, 0 no evidence, 0 not verified, 1 not claimed \| 4 verified, 1 failed/);

  const html = await runCli(['compare', ...files, '--out', join(dir, 'compare.html')]);
  t.equal(html.code, 0, html.stderr);
  t.match(html.stdout, /warning: Profile versions differ/);
  const page = await readFile(join(dir, 'compare.html'), 'utf8');
  t.match(page, /<meta http-equiv="Content-Security-Policy"/);
  t.match(page, /<table class="matrix">/);
  t.match(page, /Not like for like/);
  t.match(page, /badge-fail"><span aria-hidden="true">✗<\/span> Failed/);
  t.notMatch(page, /<script/i);

  const mdFile = await runCli(['compare', ...files, '--out', join(dir, 'compare.md')]);
  t.equal(mdFile.code, 0);
  t.match(await readFile(join(dir, 'compare.md'), 'utf8'), /^# Vendor comparison/);
});

t.test('compare: bad input is exit 2 with one line', async (t) => {
  const dir = t.testdir({ 'junk.json': '{"hello":1}', 'bad.json': '{', 'ok.json': '{}' });
  for (const args of [[join(dir, 'junk.json')], [join(dir, 'junk.json'), join(dir, 'bad.json')], [join(dir, 'missing.json'), join(dir, 'junk.json')], [join(dir, 'a.json'), join(dir, 'b.json'), '--out', join(dir, 'x.pdf')]]) {
    const outcome = await runCli(['compare', ...args]);
    t.equal(outcome.code, 2, args.join(' '));
    t.match(outcome.stderr, /^interop-harness: [^\n]+\n$/);
  }
});
