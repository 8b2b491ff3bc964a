import type { Report } from '../../harness/report/report-types.js';
import type { CheckResult, ResultStatus } from '../../harness/results.js';
import { buildSampleReport } from './sample-report.js';

const STATUSES: readonly ResultStatus[] = ['pass', 'pass', 'pass', 'fail', 'warn', 'skip', 'error'];

/**
 * A report the size of a 22,000-operation run: `operations` operations, five
 * results each, spread over `requirements` requirements (some results under a
 * single requirement, so one row holds thousands). For tests that rendering
 * and comparing stay linear; the report is valid against the report schema.
 *
 * @example
 *   largeReport({ operations: 22_000, requirements: 400 }).results.length; // 110000
 */
export function largeReport({ operations, requirements, seed = 0 }: { operations: number; requirements: number; seed?: number }): Report {
  const report = buildSampleReport();
  report.requirements = Array.from({ length: requirements }, (_, i) => ({ id: `REQ-${i}`, level: i % 3 === 0 ? 'MUST' : 'SHOULD', statement: `Requirement ${i}.`, checks: ['response-schema'] }));
  const results: CheckResult[] = [];
  for (let op = 0; op < operations; op++) {
    for (let k = 0; k < 5; k++) {
      const status = STATUSES[(op * 5 + k + seed) % STATUSES.length]!;
      results.push({
        check: k === 4 ? 'server-error' : 'response-schema',
        requirement: k === 4 ? null : k === 3 ? 'REQ-0' : `REQ-${(op * 5 + k) % requirements}`,
        level: 'MUST',
        operationId: `op${op}`,
        method: 'GET',
        path: `/things/${op}`,
        status,
        message: `result ${op}.${k}`,
      });
    }
  }
  report.results = results;
  report.summary = { ...report.summary, total: results.length };
  delete report.claims;
  return report;
}
