import t from 'tap';
import { countByPrinciple, principleFromName, principleOfCheck, resultPrincipleResolver } from '../../harness/report/principles.js';
import { requirementRows, rollUp } from '../../harness/report/requirement-status.js';
import { buildGenericReport, buildSampleReport, makeResult } from './sample-report.js';

t.test('checks map to principles through one table', async (t) => {
  t.equal(principleOfCheck('response-schema'), 'interoperability-first');
  t.equal(principleOfCheck('export-csv'), 'data-sharing');
  t.equal(principleOfCheck('auth-required'), 'security');
  t.equal(principleOfCheck('compression'), 'sustainability');
  t.equal(principleOfCheck('conditional-requests'), 'sustainability');
  t.equal(principleOfCheck('transparency-record'), 'transparency');
  t.equal(principleOfCheck('documentation-quality'), 'transparency');
  t.equal(principleOfCheck('something-new'), 'other');
  t.equal(principleFromName('Interoperability First'), 'interoperability-first');
  t.equal(principleFromName('toString'), undefined, 'inherited names are not principles');
});

t.test("a requirement's own principle wins over its check", async (t) => {
  const report = { ...buildSampleReport(), requirements: [{ id: 'R1', level: 'MUST' as const, statement: 's', checks: ['compression'], principle: 'security' }] };
  t.equal(resultPrincipleResolver(report)(makeResult({ requirement: 'R1', check: 'compression' })), 'security');
  t.equal(resultPrincipleResolver(report)(makeResult({ requirement: null, check: 'compression' })), 'sustainability');
});

t.test('roll-up: only skips is not verified, never passed; error outranks fail', async (t) => {
  t.equal(rollUp(['skip', 'skip']), 'not-verified');
  t.equal(rollUp(['pass', 'skip']), 'pass');
  t.equal(rollUp(['pass', 'fail', 'error']), 'error');
  t.equal(rollUp(['pass', 'warn']), 'warn');
  t.equal(rollUp([]), 'not-run');
  const rows = requirementRows(buildSampleReport());
  t.same(rows.map((r) => `${r.id}:${r.status}`), ['PNC-API-001:error', 'PNC-API-002:fail', 'PNC-API-003:fail', 'PNC-API-004:pass', 'PNC-API-005:error', 'security-headers:warn']);
  t.same(requirementRows(buildGenericReport()).map((r) => r.kind), ['check', 'check', 'check']);
});

t.test('counts by principle add up to the report total', async (t) => {
  const report = buildSampleReport();
  const groups = countByPrinciple(report);
  t.same(groups.map((g) => g.principle.id), ['interoperability-first', 'security', 'sustainability']);
  t.equal(groups.reduce((sum, g) => sum + g.counts.total, 0), report.summary.total);
});
