import type { CheckResult } from '../results.js';
import type { Report } from './report-types.js';
import type { Reporter } from './reporter.js';
import { writeReportFile } from './write-report-file.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-text.js';
import { partialBodyNote } from './report-facts.js';
import { schemaProblemCount } from '../schema/schema-errors.js';
import { deletedRecordAt, deletedRecordNote } from './deleted-records.js';

/** File name of the JUnit XML report inside the output folder. */
export const JUNIT_REPORT_FILE = 'junit.xml';

/**
 * JUnit XML for CI systems (`<outDir>/junit.xml`): one `<testsuite>` per
 * requirement, or per check for results with no requirement (generic mode),
 * and one `<testcase>` per result. `fail` → `<failure>`, `error` →
 * `<error>`, `skip` → `<skipped>`; `warn` passes with its message in
 * `<system-out>`, since a CI gate must not go red on a recommendation.
 *
 * @example
 *   const files = await createJunitReporter().finish?.(report, context); // ['/abs/out/junit.xml']
 */
export function createJunitReporter(): Reporter {
  return {
    name: 'junit',
    async finish(report, context) {
      return [await writeReportFile(context.outDir, JUNIT_REPORT_FILE, renderJunitXml(report))];
    },
  };
}

/** Results that share a `<testsuite>`. */
interface Suite {
  name: string;
  /** Properties shown by CI viewers that read them: what the suite stands for. */
  properties: Array<[string, string]>;
  results: CheckResult[];
}

/**
 * Renders a report as a JUnit XML document (UTF-8, XML 1.0). Every value that
 * came from the report is escaped, so the document is well-formed whatever a
 * supplier sent back.
 *
 * @example
 *   renderJunitXml(report).startsWith('<?xml version="1.0" encoding="UTF-8"?>'); // true
 */
export function renderJunitXml(report: Report): string {
  const suites = groupIntoSuites(report);
  const totals = countStatuses(report.results);
  const evidence = renderEvidenceSuite(report, suites.length);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`interop-harness ${report.profile.id}@${report.profile.version}`)}"` +
      ` tests="${report.results.length + (evidence.length > 0 ? 1 : 0)}" failures="${totals.failures}" errors="${totals.errors + (evidence.length > 0 ? 1 : 0)}"` +
      ` skipped="${totals.skipped}" time="${seconds(report.durationMs)}" timestamp="${attr(report.startedAt)}">`,
  ];
  suites.forEach((suite, index) => lines.push(...renderSuite(suite, index, report)));
  lines.push(...evidence);
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/**
 * Groups results by requirement, falling back to the check when a result has
 * none, in order of first appearance so the file follows the run. Keys carry
 * the kind so a requirement and a check that share a name stay apart.
 */
function groupIntoSuites(report: Report): Suite[] {
  const requirements = new Map(report.requirements.map((requirement) => [requirement.id, requirement]));
  const checks = new Map(report.checks.map((check) => [check.id, check]));
  const suites = new Map<string, Suite>();
  for (const result of report.results) {
    const key = result.requirement === null ? `check:${result.check}` : `requirement:${result.requirement}`;
    let suite = suites.get(key);
    if (suite === undefined) {
      suite = { name: result.requirement ?? result.check, properties: [], results: [] };
      if (result.requirement !== null) {
        const requirement = requirements.get(result.requirement);
        suite.properties.push(['requirement', result.requirement]);
        if (requirement) suite.properties.push(['level', requirement.level], ['statement', requirement.statement]);
        if (requirement?.source) suite.properties.push(['source', requirement.source]);
      } else {
        suite.properties.push(['check', result.check]);
        const check = checks.get(result.check);
        if (check) suite.properties.push(['title', check.title]);
      }
      suites.set(key, suite);
    }
    suite.results.push(result);
  }
  return [...suites.values()];
}

/**
 * When the run's evidence does not support its counts (the target refused the
 * credentials, served none of the paths, was lost part-way), one `error`
 * testcase says so: a CI view of all-green results must not hide an
 * inconclusive verdict.
 */
function renderEvidenceSuite(report: Report, index: number): string[] {
  const caveats = report.summary.caveats ?? [];
  if (caveats.length === 0 || report.summary.verdict === 'conformant') return [];
  const body = caveats.map((c) => (c.hint ? `${c.message}; ${c.hint}` : c.message)).join('\n');
  return [
    `  <testsuite name="run evidence" id="${index}" tests="1" failures="0" errors="1" skipped="0" time="0.000" timestamp="${attr(report.startedAt)}">`,
    `    <testcase name="verdict ${attr(report.summary.verdict)}" classname="run evidence" time="0.000">`,
    `      <error message="${attr(caveats[0]!.message)}" type="${attr(caveats[0]!.code)}">${text(body)}</error>`,
    '    </testcase>',
    '  </testsuite>',
  ];
}

function renderSuite(suite: Suite, index: number, report: Report): string[] {
  const totals = countStatuses(suite.results);
  const time = suite.results.reduce((sum, result) => sum + (result.evidence?.durationMs ?? 0), 0);
  const lines = [
    `  <testsuite name="${attr(suite.name)}" id="${index}" tests="${suite.results.length}"` +
      ` failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}"` +
      ` time="${seconds(time)}" timestamp="${attr(report.startedAt)}">`,
    '    <properties>',
    ...suite.properties.map(([name, value]) => `      <property name="${attr(name)}" value="${attr(value)}"/>`),
    '    </properties>',
  ];
  // CI systems merge or drop testcases with the same name in a suite; number repeats so none is lost.
  const seen = new Map<string, number>();
  for (const result of suite.results) {
    const base = testcaseName(result);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    lines.push(...renderTestcase(result, count === 1 ? base : `${base} [${count}]`, suite.name, report));
  }
  lines.push('  </testsuite>');
  return lines;
}

function renderTestcase(result: CheckResult, name: string, classname: string, report: Pick<Report, 'cleanup'>): string[] {
  const open =
    `    <testcase name="${attr(name)}" classname="${attr(classname)}"` +
    ` time="${seconds(result.evidence?.durationMs ?? 0)}"`;
  switch (result.status) {
    case 'pass':
      return [`${open}/>`];
    case 'warn':
      return [`${open}>`, `      <system-out>${text(`WARN: ${describeResult(result, report)}`)}</system-out>`, '    </testcase>'];
    case 'skip':
      return [`${open}>`, `      <skipped message="${attr(result.message)}"/>`, '    </testcase>'];
    case 'fail':
    case 'error': {
      const element = result.status === 'fail' ? 'failure' : 'error';
      return [
        `${open}>`,
        `      <${element} message="${attr(result.message)}" type="${attr(result.check)}">` +
          `${text(describeResult(result, report))}</${element}>`,
        '    </testcase>',
      ];
    }
  }
}

/**
 * The `<testcase>` name: what ran against what, unique enough to find the
 * result in report.json.
 *
 * @example
 *   testcaseName(result); // 'response-schema GET /persons/{personId} (getPerson)'
 */
export function testcaseName(result: CheckResult): string {
  return `${result.check} ${result.method.toUpperCase()} ${result.path} (${result.operationId})`;
}

/**
 * The body of a failure, error or warning: the message, then the evidence a
 * reader needs to judge it without opening report.json, ending with the curl
 * line to reproduce it, or, for a request to a record the run deleted, why it
 * is not to be sent again and what was sent.
 */
function describeResult(result: CheckResult, report: Pick<Report, 'cleanup'>): string {
  const lines = [result.message];
  lines.push(`requirement: ${result.requirement ?? '(none: generic check)'} (${result.level})`);
  if (result.expected !== undefined) lines.push(`expected: ${result.expected}`);
  if (result.actual !== undefined) lines.push(`actual: ${result.actual}`);
  if (result.schemaErrors && result.schemaErrors.length > 0) {
    lines.push(`schema errors (${schemaProblemCount(result.schemaErrors)}):`);
    for (const error of result.schemaErrors) {
      const value = error.value === undefined ? '' : ` value: ${error.value}`;
      lines.push(`  at '${error.pointer}': ${error.message} [${error.keyword} at schema ${error.schema ? `${error.schema}, ` : ''}${error.schemaPath}]${value}`);
    }
  }
  const evidence = result.evidence;
  if (evidence) {
    lines.push(`request: ${evidence.request.method} ${evidence.request.url}`);
    for (const hop of evidence.redirects ?? []) {
      lines.push(`redirect: ${hop.status} ${hop.from} -> ${hop.location}${hop.followed ? '' : ' (not followed)'}`);
    }
    if (evidence.response) {
      const response = evidence.response;
      const partial = partialBodyNote(response);
      const cut = partial ? `, ${partial}` : '';
      lines.push(`response: HTTP ${response.status}, ${response.bodyBytes} bytes${cut}, ${evidence.durationMs} ms`);
      if (response.bodyExcerpt !== '') lines.push('response body (excerpt):', response.bodyExcerpt);
    }
    if (evidence.transportError) {
      lines.push(`transport error: ${evidence.transportError.code}: ${evidence.transportError.message}`);
    }
    const deleted = deletedRecordAt(report, evidence.request.url);
    if (deleted === undefined) lines.push(`reproduce: ${evidence.curl}`);
    else lines.push(deletedRecordNote(deleted), `sent as: ${evidence.curl}`);
  }
  return lines.join('\n');
}

function countStatuses(results: CheckResult[]): { failures: number; errors: number; skipped: number } {
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const result of results) {
    if (result.status === 'fail') failures += 1;
    else if (result.status === 'error') errors += 1;
    else if (result.status === 'skip') skipped += 1;
  }
  return { failures, errors, skipped };
}

/** JUnit times are seconds with a decimal point; negative or non-finite input (clock skew) becomes 0. */
function seconds(ms: number): string {
  return (Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0).toFixed(3);
}
