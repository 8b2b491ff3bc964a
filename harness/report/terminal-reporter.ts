import { caveatLines, cleanupLine, compareProblems, explainVerdict, LEFT_BEHIND_SHOWN, plural, probesLine } from './report-facts.js';
import type { CheckResult, ResultStatus } from '../results.js';
import { coverageLine, groupGaps } from './coverage.js';
import type { RunEvent } from './run-events.js';
import type { Report, Verdict } from './report-types.js';
import type { Reporter, ReporterContext } from './reporter.js';
import { countByPrinciple } from './principles.js';
import { fitText, formatWarning, PROFILE_WARNINGS_SHOWN, sanitizeTerminalText, truncateText } from './terminal-text.js';

export interface TerminalReporterOptions {
  /** No header, progress or warning lines: only the summary and the table of failures. */
  quiet?: boolean;
}

/** Failure/error rows in the summary table; the rest are in report.json. */
const ROWS_SHOWN = 20;
/** Line width off a TTY (CI logs), and when a TTY does not say. */
const DEFAULT_WIDTH = 100;

/**
 * Human output on `context.stdout`: a progress line while probing (TTY only),
 * profile warnings as they come, and at the end a summary with a table of
 * failures and errors. Writes no files.
 *
 * Everything that came from the profile or the supplier is passed through
 * `sanitizeTerminalText`, so a hostile message cannot inject escape sequences
 * into a CI log. Colour is used only when `context.color` is true, and never
 * alone: every status is also printed as a word.
 *
 * @example
 *   const terminal = createTerminalReporter({ quiet: process.env.CI !== undefined });
 *   // runner: terminal.onEvent?.(event, context); at the end: await terminal.finish?.(report, context)
 */
export function createTerminalReporter(options: TerminalReporterOptions = {}): Reporter {
  const quiet = options.quiet ?? false;
  let operations: number | undefined;
  let done = 0;
  let warningsSeen = 0;
  /** Characters of the progress line on screen, to blank it out; 0 when there is none. */
  let progressWidth = 0;

  function clearProgress(context: ReporterContext): void {
    if (progressWidth === 0) return;
    // Spaces rather than an erase-line escape: works on every terminal and keeps `color: false` escape-free.
    context.stdout.write(`\r${' '.repeat(progressWidth)}\r`);
    progressWidth = 0;
  }

  function showProgress(probe: { method: string; path: string }, context: ReporterContext): void {
    // Off a TTY a per-probe line would flood the CI log; the summary is enough there.
    if (quiet || context.stdout.isTTY !== true) return;
    const count = operations === undefined ? `${done}` : `${Math.min(done, operations)}/${operations}`;
    const line = truncateText(
      sanitizeTerminalText(`probing ${count} ${probe.method.toUpperCase()} ${probe.path}`),
      terminalWidth(context) - 1,
    );
    const width = Array.from(line).length;
    context.stdout.write(`\r${line}${' '.repeat(Math.max(0, progressWidth - width))}`);
    progressWidth = Math.max(width, 1);
  }

  return {
    name: 'terminal',
    onEvent(event: RunEvent, context: ReporterContext) {
      switch (event.type) {
        case 'run-started':
          operations = event.operations;
          done = 0;
          if (!quiet) {
            const profile = `${event.profile.id}@${event.profile.version}`;
            context.stdout.write(
              `${safe(`interop-harness: probing ${event.target} with ${profile} (${event.profile.mode} mode, ${event.operations} operations)`)}\n`,
            );
          }
          break;
        case 'profile-warning':
          warningsSeen += 1;
          if (quiet || warningsSeen > PROFILE_WARNINGS_SHOWN) break;
          clearProgress(context);
          context.stdout.write(`${paint('warning', 'yellow', context.color)}: ${formatWarning(event.warning)}\n`);
          break;
        case 'probe-started':
          done += 1;
          showProgress(event.probe, context);
          break;
        case 'operation-skipped':
          done += 1;
          break;
        case 'probe-finished':
          break;
        case 'run-finished':
          clearProgress(context);
          break;
      }
    },
    finish(report: Report, context: ReporterContext) {
      clearProgress(context);
      const hidden = report.profile.warnings.length - Math.min(warningsSeen, PROFILE_WARNINGS_SHOWN);
      if (!quiet && warningsSeen > 0 && hidden > 0) {
        context.stdout.write(`and ${hidden} more profile warnings: see report.json\n`);
      }
      context.stdout.write(renderSummary(report, context));
      return [];
    },
  };
}

/**
 * The end-of-run summary: target, profile, verdict, counts, then up to 20
 * failures and errors, MUST-level first since those decide the verdict.
 *
 * @example
 *   process.stdout.write(renderSummary(report, { outDir, stdout: process.stdout, color: true }));
 */
export function renderSummary(report: Report, context: ReporterContext): string {
  const { summary } = report;
  const color = context.color;
  const lines = [
    '',
    paint('interop-harness summary', 'bold', color),
    `  target:   ${safe(report.target.url)}`,
    `  profile:  ${safe(`${report.profile.id}@${report.profile.version}`)} (${safe(report.profile.mode)} mode)`,
    `  verdict:  ${paint(summary.verdict.toUpperCase(), VERDICT_STYLE[summary.verdict], color)} (${safe(explainVerdict(report.summary))})`,
    ...caveatLines(summary).map((line) => `  caveat:   ${safe(line)}`),
  ];

  // Failures straight after the verdict: they are what a reader acts on.
  const problems = report.results
    .map((result, order) => ({ result, order }))
    .filter(({ result }) => result.status === 'fail' || result.status === 'error')
    .sort((a, b) => compareProblems(a.result, b.result) || a.order - b.order)
    .map(({ result }) => result);
  if (problems.length > 0) {
    const rows = groupTransportErrors(problems);
    lines.push('', paint(`Failures and errors (${problems.length}):`, 'bold', color));
    lines.push(...renderTable(rows.slice(0, ROWS_SHOWN), terminalWidth(context), color));
    if (rows.length > ROWS_SHOWN) lines.push(`  and ${rows.length - ROWS_SHOWN} more: see report.json`);
    lines.push('');
  }
  lines.push(...renderNegativeWarnings(report, color));

  lines.push(
    `  results:  ${summary.total} total: ${summary.passed} passed, ${summary.failed} failed, ` +
      `${summary.warnings} warnings, ${summary.skipped} skipped, ${summary.errors} errors`,
    `  probes:   ${probesLine(summary)}`,
    ...renderCoverage(report),
    ...renderCleanup(report),
    ...(report.claims ? [`  claims:   ${claimsLine(report.claims)}`] : []),
  );
  if (report.profile.warnings.length > 0) lines.push(`  profile warnings: ${report.profile.warnings.length}`);
  if (report.profile.mode === 'generic') lines.push('  mode:     generic mode: every result counts as MUST');
  else lines.push(...renderPrincipleCounts(report));
  lines.push('');
  return lines.join('\n');
}

/** Negative-phase warnings listed in the summary: an undocumented rejection is what --negative was asked to find. */
const NEGATIVE_WARNINGS_SHOWN = 10;

/**
 * With --negative, its warnings one line each: mostly an input the API
 * rejected in a way its document does not say (an unknown id answered with an
 * undocumented 404, a wrong-typed value with an undocumented 400), but also a
 * 400 where 415 is meant, or a value that breaks only its format taken. The
 * heading claims no more than that they are warnings.
 */
function renderNegativeWarnings(report: Report, color: boolean): string[] {
  const negativeWarnings = report.results.filter((r) => r.negative && r.status === 'warn');
  // One per path with an undocumented method, much alike: counted on one line rather than listed.
  const warned = negativeWarnings.filter((r) => r.check !== 'unsupported-method');
  const methods = negativeWarnings.length - warned.length;
  if (negativeWarnings.length === 0) return [];
  const lines = ['', paint(`Negative phase warnings (${negativeWarnings.length}): not failures (report.json says why of each)`, 'bold', color)];
  if (methods > 0) lines.push(`  ${paint('WARN', 'yellow', color)} unsupported-method: ${methods} ${plural(methods, 'warning')} on paths asked a method they do not document (see report.json)`);
  for (const result of warned.slice(0, NEGATIVE_WARNINGS_SHOWN)) {
    const request = result.evidence?.request;
    const sent = request ? `${request.method} ${request.url}` : `${result.method} ${result.path}`;
    lines.push(`  ${paint('WARN', 'yellow', color)} ${safe(result.check)} ${safe(result.operationId)}: ${safe(sent)} -> ${result.evidence?.response?.status ?? '?'} (${safe(result.negative!.reason)})`);
  }
  if (warned.length > NEGATIVE_WARNINGS_SHOWN) lines.push(`  and ${warned.length - NEGATIVE_WARNINGS_SHOWN} more: see report.json`);
  lines.push('');
  return lines;
}

/** Reasons shown under the coverage line, and operations named per reason. */
const GAP_GROUPS_SHOWN = 6;
const GAP_OPERATIONS_SHOWN = 3;

/** "success responses validated for N of M operations", then why the others were not, grouped by reason. */
function renderCoverage(report: Report): string[] {
  const coverage = report.summary.coverage;
  if (!coverage) return [];
  const lines = [`  coverage: ${coverageLine(coverage)}`];
  const groups = groupGaps(coverage.notReached);
  for (const group of groups.slice(0, GAP_GROUPS_SHOWN)) {
    const named = group.gaps.slice(0, GAP_OPERATIONS_SHOWN).map((gap) => `${gap.method} ${gap.path}${gap.hint && gap.hint !== group.hint ? ` (${gap.hint})` : ''}`);
    const more = group.gaps.length > GAP_OPERATIONS_SHOWN ? ` and ${group.gaps.length - GAP_OPERATIONS_SHOWN} more` : '';
    lines.push(`    not reached, ${group.reason} (${group.gaps.length}): ${named.join(', ')}${more}${group.hint ? `; hint: ${group.hint}` : ''}`);
  }
  const hidden = groups.length - GAP_GROUPS_SHOWN;
  if (hidden > 0) lines.push(`    and ${hidden} more ${plural(hidden, 'reason')}: see report.json (summary.coverage)`);
  return lines.map(safe);
}

/** What a writing run created and whether it removed it: a record left behind is named with its URL, so its owner can delete it. */
function renderCleanup(report: Report): string[] {
  const cleanup = report.cleanup;
  if (!cleanup) return [];
  const lines = [`  cleanup:  ${cleanupLine(cleanup)}`];
  for (const record of cleanup.leftBehind.slice(0, LEFT_BEHIND_SHOWN)) lines.push(`    left behind: ${record.url} (${record.reason})`);
  if (cleanup.leftBehind.length > LEFT_BEHIND_SHOWN) lines.push(`    and ${cleanup.leftBehind.length - LEFT_BEHIND_SHOWN} more: see report.json (cleanup.leftBehind)`);
  const named = cleanup.namedWrites ?? [];
  for (const write of named.slice(0, LEFT_BEHIND_SHOWN)) lines.push(`    named write: ${write.method} ${write.url} -> ${write.status ?? 'no answer'} (may have changed data the run did not create)`);
  if (named.length > LEFT_BEHIND_SHOWN) lines.push(`    and ${named.length - LEFT_BEHIND_SHOWN} more: see report.json (cleanup.namedWrites)`);
  return lines.map(safe);
}

/** A table row: a result, or several of one probe's results that share one transport failure. */
interface ProblemRow {
  status: ResultStatus;
  check: string;
  requirement: string;
  level: CheckResult['level'];
  operationId: string;
  message: string;
}

/**
 * One row per probe for results that errored on the same transport failure:
 * after a crash, five checks times sixty probes of "connection refused" must
 * not push the real failures out of the table.
 */
function groupTransportErrors(problems: readonly CheckResult[]): ProblemRow[] {
  const rows: ProblemRow[] = [];
  const byProbe = new Map<string, { row: ProblemRow; checks: Set<string>; requirements: Set<string> }>();
  for (const result of problems) {
    const transport = result.status === 'error' ? result.evidence?.transportError : undefined;
    const row: ProblemRow = { status: result.status, check: result.check, requirement: result.requirement ?? '-', level: result.level, operationId: result.operationId, message: result.message };
    if (!transport) {
      rows.push(row);
      continue;
    }
    const key = `${result.method} ${result.path} ${result.operationId} ${transport.code} ${result.message}`;
    const group = byProbe.get(key);
    if (!group) {
      byProbe.set(key, { row, checks: new Set([result.check]), requirements: new Set(result.requirement === null ? [] : [result.requirement]) });
      rows.push(row);
      continue;
    }
    group.checks.add(result.check);
    if (result.requirement !== null) group.requirements.add(result.requirement);
    group.row.check = `${group.checks.size} checks`;
    group.row.requirement = group.requirements.size > 1 ? `${group.requirements.size} reqs` : (group.requirements.values().next().value ?? '-');
  }
  return rows;
}

/**
 * One line per Charter principle with results, so a CI log shows where the
 * failures are without opening the HTML report.
 */
function renderPrincipleCounts(report: Report): string[] {
  const groups = countByPrinciple(report);
  if (groups.length === 0) return [];
  const width = Math.max(...groups.map((g) => g.principle.title.length));
  return [
    '  by principle:',
    ...groups.map(({ principle, counts }) => {
      const parts = [`${counts.pass} passed`, `${counts.fail} failed`, `${counts.error} errors`];
      if (counts.warn > 0) parts.push(`${counts.warn} warnings`);
      if (counts.skip > 0) parts.push(`${counts.skip} skipped`);
      return `    ${principle.title.padEnd(width)}  ${counts.total} ${plural(counts.total, 'result')}: ${parts.join(', ')}`;
    }),
  ];
}

/** Column caps, so one long check or operation ID cannot squeeze out the message. */
const CAPS = { status: 6, check: 24, requirement: 16, level: 6, operation: 28 } as const;
const GAP = '  ';
const INDENT = '  ';
/** A message column narrower than this is useless; the row overflows instead. */
const MIN_MESSAGE = 20;

function renderTable(rows: ProblemRow[], width: number, color: boolean): string[] {
  const cells = rows.map((row) => ({
    status: row.status,
    check: safe(row.check),
    requirement: safe(row.requirement),
    level: row.level,
    operation: safe(row.operationId),
    message: safe(row.message),
  }));
  const header = { status: 'STATUS', check: 'CHECK', requirement: 'REQUIREMENT', level: 'LEVEL', operation: 'OPERATION' };
  const widths = {
    status: CAPS.status,
    check: columnWidth(header.check, cells.map((c) => c.check), CAPS.check),
    requirement: columnWidth(header.requirement, cells.map((c) => c.requirement), CAPS.requirement),
    level: CAPS.level,
    operation: columnWidth(header.operation, cells.map((c) => c.operation), CAPS.operation),
  };
  const fixed =
    INDENT.length + widths.status + widths.check + widths.requirement + widths.level + widths.operation + GAP.length * 5;
  const messageWidth = Math.max(MIN_MESSAGE, width - fixed);
  const row = (c: Omit<typeof header, 'status'>, status: string): string => {
    const columns = [
      status,
      fitText(c.check, widths.check),
      fitText(c.requirement, widths.requirement),
      fitText(c.level, widths.level),
      fitText(c.operation, widths.operation),
    ];
    return INDENT + columns.join(GAP) + GAP;
  };
  return [
    row(header, fitText(header.status, widths.status)) + 'MESSAGE',
    ...cells.flatMap((c) => {
      // Pad before painting: escape codes must not count towards the column width.
      const status = paint(fitText(c.status.toUpperCase(), widths.status), STATUS_STYLE[c.status], color);
      // The cause is the point of the table: a message too long for its column carries on
      // beneath the row (up to a bound), rather than being cut to a few words.
      const [first = '', ...rest] = wrapWords(truncateText(c.message, MESSAGE_SHOWN), messageWidth, Math.max(MIN_MESSAGE, width - CONTINUATION.length));
      return [row(c, status) + first, ...rest.map((line) => CONTINUATION + line)];
    }),
  ];
}

/** Characters of a long message shown beneath its row; report.json has the rest. */
const MESSAGE_SHOWN = 400;
const CONTINUATION = INDENT + '    ';

/** Greedy word wrap: the first line `firstWidth` wide, the others `width`; a word longer than a line is split. */
function wrapWords(text: string, firstWidth: number, width: number): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  const limit = () => (lines.length === 0 ? firstWidth : width);
  for (const word of text.split(' ')) {
    let chars = Array.from(word);
    const needed = line.length === 0 ? chars.length : line.length + 1 + chars.length;
    if (needed <= limit()) {
      line = line.length === 0 ? chars : [...line, ' ', ...chars];
      continue;
    }
    if (line.length > 0) lines.push(line.join(''));
    line = [];
    for (let room = limit(); chars.length > room; room = limit()) {
      lines.push(chars.slice(0, room).join(''));
      chars = chars.slice(room);
    }
    line = chars;
  }
  if (line.length > 0 || lines.length === 0) lines.push(line.join(''));
  return lines;
}

function columnWidth(title: string, values: string[], cap: number): number {
  return Math.min(cap, Math.max(Array.from(title).length, ...values.map((value) => Array.from(value).length)));
}



/** One line of untrusted text, safe to print. */
function safe(value: string): string {
  return sanitizeTerminalText(value);
}

function terminalWidth(context: ReporterContext): number {
  const columns = (context.stdout as { columns?: unknown }).columns;
  if (context.stdout.isTTY === true && typeof columns === 'number' && columns >= 40) return columns;
  return DEFAULT_WIDTH;
}

type Style = 'bold' | 'red' | 'green' | 'yellow' | 'magenta' | 'dim';

const SGR: Readonly<Record<Style, string>> = {
  bold: '1',
  red: '31',
  green: '32',
  yellow: '33',
  magenta: '35',
  dim: '2',
};

const STATUS_STYLE: Readonly<Record<ResultStatus, Style>> = {
  pass: 'green',
  fail: 'red',
  warn: 'yellow',
  skip: 'dim',
  error: 'magenta',
};

const VERDICT_STYLE: Readonly<Record<Verdict, Style>> = {
  conformant: 'green',
  'non-conformant': 'red',
  inconclusive: 'yellow',
};

/** Wraps harness-made text in an SGR colour; the text itself must already be safe. */
function paint(text: string, style: Style, color: boolean): string {
  return color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;
}

/** The ledger in one line: what a force reads first. */
function claimsLine(claims: NonNullable<Report['claims']>): string {
  const from = claims.source === 'implied' ? 'none published, profile taken as claimed' : `${claims.source === 'file' ? 'from --claims' : 'published by the supplier'}`;
  const counts = `${claims.verified} verified, ${claims.refuted} refuted, ${claims.unverified} unverified, ${claims.notClaimed} not claimed`;
  const scope = claims.profileClaimed ? counts : `this profile is not claimed (${counts})`;
  return sanitizeTerminalText(`${scope} (${from}${claims.versionMismatch ? `; ${claims.versionMismatch}` : ''})`);
}
