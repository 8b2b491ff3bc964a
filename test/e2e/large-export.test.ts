import t from 'tap';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { run } from '../../harness/index.js';

/**
 * Issue 14, item 10: a large export is verified with the default options. The
 * completeness walk of the list endpoint is bounded by the run's time, not by
 * the pagination check's --max-pages (100 pages would stop it at 10,000 of
 * these 100,000 persons, and the check would say "not verified").
 */
t.test('a 100,000-person export is verified complete with default options', async (t) => {
  const supplier = await startReferenceSupplier({ persons: 100_000 });
  t.teardown(() => supplier.close());
  const report = await run({ profile: 'data-export', target: supplier.url, clientId: supplier.clientId, clientSecret: supplier.clientSecret, checks: ['export-*'] });
  const completeness = report.results.find((r) => r.check === 'export-completeness');
  t.equal(completeness?.status, 'pass', completeness?.message ?? 'no export-completeness result');
  t.match(completeness?.message, /exactly the records the API lists, none twice: 100,000 persons/);
  t.equal(report.options.limits.maxPages, 100, 'with the default --max-pages');
});
