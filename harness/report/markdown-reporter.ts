/**
 * A Markdown summary of a run, short enough for a pull-request comment or a
 * CI step summary (`$GITHUB_STEP_SUMMARY`, GitLab job summary): the verdict,
 * counts by Charter principle, the requirement table and the top failures.
 */
import type { ResultStatus, SchemaError } from '../results.js';
import { markdownCodeBlock, markdownText } from './markdown-text.js';
import { deletedRecordAt, deletedRecordNote } from './deleted-records.js';
import { replayCommandLine } from './result-ids.js';
import { PRINCIPLES } from './principles.js';
import { coverageLine, groupGaps } from './coverage.js';
import { caveatLines, cleanupLine, explainVerdict, formatCommandLine, LEFT_BEHIND_SHOWN, NAMED_WRITES_NOTE, plural, problemIndexes, VERDICT_LABEL } from './report-facts.js';
import type { Report } from './report-types.js';
import type { Reporter } from './reporter.js';
import { requirementRows, ROLLUP_LABEL, type RollupStatus } from './requirement-status.js';
import { writeReportFile } from './write-report-file.js';

/** File name of the Markdown summary inside the output folder. */
export const MARKDOWN_REPORT_FILE = 'report.md';

/** Failures shown in full; a step summary must stay well under 1 MB. */
const FINDINGS_SHOWN = 20;
/** Coverage reasons shown. */
const GAP_GROUPS_SHOWN = 10;
/** Requirement rows shown. */
const ROWS_SHOWN = 200;

const SYMBOL: Readonly<Record<RollupStatus | ResultStatus, string>> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  error: '⛔',
  skip: '➖',
  'not-verified': '➖',
  'not-run': '⭕',
};

/**
 * Writes `<outDir>/report.md`.
 *
 * @example
 *   await createMarkdownReporter().finish?.(report, context); // ['/abs/out/report.md']
 */
export function createMarkdownReporter(): Reporter {
  return {
    name: 'md',
    async finish(report, context) {
      return [await writeReportFile(context.outDir, MARKDOWN_REPORT_FILE, renderMarkdownReport(report))];
    },
  };
}

/**
 * The summary as Markdown text. Statuses are words with an emoji beside
 * them, so they read the same without colour or emoji support.
 *
 * @example
 *   renderMarkdownReport(report).split('\n')[0]; // '# ❌ NON-CONFORMANT: pnc-persons@1.2.0'
 */
export function renderMarkdownReport(report: Report): string {
  const { summary, profile } = report;
  const verdictSymbol = summary.verdict === 'conformant' ? '✅' : summary.verdict === 'non-conformant' ? '❌' : '⚠️';
  const rows = requirementRows(report);
  const lines = [
    `# ${verdictSymbol} ${VERDICT_LABEL[summary.verdict]}: ${markdownText(`${profile.id}@${profile.version}`, 200)}`,
    '',
    `**${markdownText(explainVerdict(summary), 1000)}.** Interoperability First report of ${markdownText(report.target.url, 500)}.`,
    '',
    ...caveatLines(summary).flatMap((line) => [`> ${markdownText(line, 1000)}`, '']),
  ];

  // Failures straight after the verdict: they are what a reader acts on.
  const problems = problemIndexes(report);
  lines.push(`## Failures and errors (${problems.length})`, '');
  if (problems.length === 0) lines.push('None.', '');
  problems.slice(0, FINDINGS_SHOWN).forEach((index, position) => {
    const r = report.results[index]!;
    lines.push(
      `### ${position + 1}. ${SYMBOL[r.status]} ${r.status.toUpperCase()} · ${markdownText(r.level, 40)}${r.requirement === null ? '' : ` · ${markdownText(r.requirement, 100)}`} · ${markdownText(r.check, 100)} · ${markdownText(`${r.method} ${r.path}`, 300)}`,
      '',
      markdownText(r.message, 1000),
      '',
    );
    if (r.expected !== undefined) lines.push(`- Expected: ${markdownText(r.expected, 500)}`);
    if (r.actual !== undefined) lines.push(`- Actual: ${markdownText(r.actual, 500)}`);
    if (r.schemaErrors?.length) lines.push(...schemaErrorLines(r.schemaErrors));
    lines.push(`- In report.json: results[${index}]`);
    const deleted = r.evidence && deletedRecordAt(report, r.evidence.request.url);
    // A request to a record the run deleted is no recipe: its id may name someone else's record now.
    if (deleted !== undefined) lines.push(`- ${markdownText(deletedRecordNote(deleted), 1000)}`);
    else {
      if (r.evidence) lines.push('', markdownCodeBlock(r.evidence.curl));
      if (r.id !== undefined) lines.push('', markdownCodeBlock(replayCommandLine(r.id)));
    }
    lines.push('');
  });
  if (problems.length > FINDINGS_SHOWN) lines.push(`and ${problems.length - FINDINGS_SHOWN} more: see report.html or report.json.`, '');

  // Warnings decide no verdict, but they are what a supplier fixes next: one line each, not hidden behind a count.
  const warnings = report.results.flatMap((r, index) => (r.status === 'warn' ? [index] : []));
  if (warnings.length > 0) {
    lines.push(`## Warnings (${warnings.length})`, '', '| Check | Operation | Message | In report.json |', '| --- | --- | --- | --- |');
    for (const index of warnings.slice(0, FINDINGS_SHOWN)) {
      const r = report.results[index]!;
      lines.push(`| ${markdownText(r.check, 100)} | ${markdownText(`${r.method} ${r.path}`, 300)} | ${markdownText(r.message, 500)} | results[${index}] |`);
    }
    if (warnings.length > FINDINGS_SHOWN) lines.push('', `and ${warnings.length - FINDINGS_SHOWN} more: see report.html or report.json.`);
    lines.push('');
  }

  lines.push(
    '## About the run',
    '',
    '| | |',
    '| --- | --- |',
    `| Target | ${markdownText(report.target.url, 500)} |`,
    `| Profile | ${markdownText(profile.title, 200)} (${markdownText(profile.id, 200)} ${markdownText(profile.version, 100)}, ${profile.mode} mode), sha256 ${markdownText(profile.sha256, 100)} |`,
    `| Harness | ${markdownText(`${report.harness.name} ${report.harness.version}`, 200)} |`,
    `| Run | ${markdownText(report.startedAt, 100)} to ${markdownText(report.finishedAt, 100)} |`,
    ...(report.invocation ? [`| Command line | ${markdownText(formatCommandLine(report.invocation.argv), 1000)} |`] : []),
    `| Results | ${summary.total} total: ${summary.passed} passed, ${summary.failed} failed, ${summary.errors} errors, ${summary.warnings} warnings, ${summary.skipped} skipped |`,
    ...(summary.coverage ? [`| Coverage | ${coverageLine(summary.coverage)} |`] : []),
    ...(report.cleanup ? [`| Cleanup | ${cleanupLine(report.cleanup)} |`] : []),
    ...(report.claims ? [`| Claims | ${claimsSummary(report.claims)} |`] : []),
    '',
  );
  if (report.cleanup && report.cleanup.leftBehind.length > 0) {
    lines.push('## Records this run created and could not delete', '', '| URL | Why it is still there |', '| --- | --- |');
    for (const record of report.cleanup.leftBehind.slice(0, LEFT_BEHIND_SHOWN)) lines.push(`| ${markdownText(record.url, 500)} | ${markdownText(record.reason, 300)} |`);
    if (report.cleanup.leftBehind.length > LEFT_BEHIND_SHOWN) lines.push(`| and ${report.cleanup.leftBehind.length - LEFT_BEHIND_SHOWN} more in report.json | |`);
    lines.push('');
  }
  const namedWrites = report.cleanup?.namedWrites ?? [];
  if (namedWrites.length > 0) {
    lines.push('## Named writes', '', NAMED_WRITES_NOTE, '', '| Request | Answer |', '| --- | --- |');
    for (const write of namedWrites.slice(0, LEFT_BEHIND_SHOWN)) lines.push(`| ${markdownText(`${write.method} ${write.url}`, 500)} | ${write.status === null ? 'no answer' : write.status} |`);
    if (namedWrites.length > LEFT_BEHIND_SHOWN) lines.push(`| and ${namedWrites.length - LEFT_BEHIND_SHOWN} more in report.json | |`);
    lines.push('');
  }
  if (summary.coverage && summary.coverage.notReached.length > 0) {
    lines.push('## Operations with no validated success response', '', '| Reason | Operations | Hint |', '| --- | ---: | --- |');
    for (const group of groupGaps(summary.coverage.notReached).slice(0, GAP_GROUPS_SHOWN)) {
      const named = group.gaps.slice(0, 5).map((gap) => `${gap.method} ${gap.path}${gap.hint && gap.hint !== group.hint ? ` (${gap.hint})` : ''}`).join(', ');
      const more = group.gaps.length > 5 ? ` and ${group.gaps.length - 5} more` : '';
      lines.push(`| ${markdownText(group.reason, 300)} | ${group.gaps.length}: ${markdownText(named + more, 1000)} | ${group.hint ? markdownText(group.hint, 300) : ''} |`);
    }
    lines.push('');
  }

  if (profile.mode === 'generic') {
    lines.push('Generic mode: every result counts as MUST.');
  } else {
    lines.push('## By Charter principle', '', '| Principle | Requirements | Verified | Failed | No evidence | Not verified or not run |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const principle of PRINCIPLES) {
      const own = rows.filter((r) => r.principle === principle.id);
      if (own.length === 0 && (principle.id === 'other' || principle.id === 'partnership')) continue;
      const count = (...statuses: RollupStatus[]) => own.filter((r) => statuses.includes(r.status)).length;
      lines.push(`| ${principle.title} | ${own.length} | ${count('pass', 'warn')} | ${count('fail')} | ${count('error')} | ${count('not-verified', 'not-run')} |`);
    }
  }
  lines.push('', `## ${profile.mode === 'profile' ? 'Requirements' : 'Checks'}`, '', '| ID | Level | Status | Statement | Operations (results) |', '| --- | --- | --- | --- | --- |');
  for (const row of rows.slice(0, ROWS_SHOWN)) {
    lines.push(
      `| ${markdownText(row.id, 100)} | ${markdownText(row.level, 40)} | ${SYMBOL[row.status]} ${ROLLUP_LABEL[row.status]} | ${markdownText(row.statement, 300)} | ` +
        `${row.operations.length} (${resultCounts(row.counts)}) |`,
    );
  }
  if (rows.length > ROWS_SHOWN) lines.push('', `and ${rows.length - ROWS_SHOWN} more in report.json`);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `12 results: 9 passed, 3 warnings`: every status a row's results have, warnings included, none that is zero. */
function resultCounts(counts: { total: number } & Record<ResultStatus, number>): string {
  const parts = (
    [
      ['pass', 'passed'],
      ['warn', 'warning'],
      ['fail', 'failed'],
      ['error', 'error'],
      ['skip', 'skipped'],
    ] as const
  )
    .filter(([status]) => counts[status] > 0)
    // Nouns take a plural, participles do not: `1 warning`, `2 errors`, `3 passed`.
    .map(([status, label]) => `${counts[status]} ${status === 'warn' || status === 'error' ? plural(counts[status], label) : label}`);
  return `${counts.total} ${plural(counts.total, 'result')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/** The claims ledger in one table cell: what a force reads first. */
function claimsSummary(claims: NonNullable<Report['claims']>): string {
  const from = claims.source === 'implied' ? 'none published: the profile counts as claimed' : claims.source === 'file' ? 'from --claims' : 'published by the supplier';
  const refuted = claims.entries.filter((e) => e.status === 'refuted').map((e) => e.requirement);
  return markdownText(
    `${claims.verified} verified, ${claims.refuted} refuted${refuted.length > 0 ? ` (${refuted.join(', ')})` : ''}, ${claims.unverified} unverified, ${claims.notClaimed} not claimed (${from})` +
      (claims.profileClaimed ? '' : '; this profile is not claimed') +
      (claims.versionMismatch ? `; ${claims.versionMismatch}` : ''),
    1000,
  );
}

/** Kinds of schema error shown per finding: the first of each, with how many are like it. */
const SCHEMA_ERROR_KINDS_SHOWN = 5;

/**
 * A finding's schema errors, one line per kind (the same message where the
 * pointers differ only in array indexes: `/data/3/version` is `/data/0/version`'s
 * kind): twelve null versions are one line, and a different error after them
 * is not hidden behind a count.
 */
function schemaErrorLines(all: readonly SchemaError[]): string[] {
  // The list's own notes (`12 more schema errors not shown`) have no schema path: said after the count, not as a kind.
  const notes = all.filter((e) => e.schemaPath === '' && e.pointer === '');
  const errors = all.filter((e) => !notes.includes(e));
  const kinds = new Map<string, { first: SchemaError; count: number }>();
  for (const error of errors) {
    const kind = `${error.pointer.replace(/\/\d+(?=\/|$)/g, '/*')} ${error.keyword} ${error.message}`;
    const seen = kinds.get(kind);
    if (seen) seen.count += 1;
    else kinds.set(kind, { first: error, count: 1 });
  }
  const shown = [...kinds.values()].slice(0, SCHEMA_ERROR_KINDS_SHOWN).map(({ first, count }) => {
    const like = count > 1 ? ` (and ${count - 1} more like it)` : '';
    return `  - ${markdownText(`${first.pointer || '(root)'} ${first.message}${first.schema ? ` (schema ${first.schema})` : ''}${like}`, 300)}`;
  });
  const hidden = kinds.size - SCHEMA_ERROR_KINDS_SHOWN;
  const noted = notes.length > 0 ? ` shown (${markdownText(notes.map((n) => n.message).join('; '), 300)})` : '';
  return [`- Schema errors: ${errors.length}${noted}`, ...shown, ...(hidden > 0 ? [`  - and ${hidden} more kinds: see report.html or report.json`] : [])];
}
