/**
 * The report a procurement panel reads: one self-contained HTML page per
 * run, organised by Charter principle, with the evidence behind every line.
 */
import type { CheckResult, ResultStatus } from '../results.js';
import { escapeHtml, htmlText } from './html-text.js';
import { renderClaims } from './html-claims.js';
import { renderHtmlPage } from './html-page.js';
import { renderFindingDetail, renderTranscript } from './html-transcript.js';
import { deletedRecordAt, deletedRecordNote } from './deleted-records.js';
import { replayCommandLine } from './result-ids.js';
import { matchesCheckPattern, PRINCIPLES, resultPrincipleResolver, type Principle, type PrincipleId } from './principles.js';
import { coverageLine, groupGaps } from './coverage.js';
import { caveatLines, cleanupLine, explainVerdict, formatCommandLine, NAMED_WRITES_NOTE, plural, probesLine, problemIndexes, VERDICT_LABEL } from './report-facts.js';
import type { Report } from './report-types.js';
import type { Reporter } from './reporter.js';
import { requirementRows, rollUp, ROLLUP_LABEL, type RequirementRow, type RollupStatus } from './requirement-status.js';
import { writeReportFile } from './write-report-file.js';

/** File name of the HTML report inside the output folder. */
export const HTML_REPORT_FILE = 'report.html';

/** Principles shown only when something falls under them; the five the issue names always are, so a gap is visible. */
const OPTIONAL_PRINCIPLES: ReadonlySet<PrincipleId> = new Set(['partnership', 'other']);

/** Failures and errors shown in full; the rest are listed in report.json. */
const FINDINGS_SHOWN = 200;
/** Warnings and skipped results listed. */
const NOTES_SHOWN = 300;
/** Operations listed per requirement row. */
const OPERATIONS_SHOWN = 40;

/**
 * Writes `<outDir>/report.html`.
 *
 * @example
 *   await createHtmlReporter().finish?.(report, { outDir, stdout: process.stdout, color: false }); // ['/abs/out/report.html']
 */
export function createHtmlReporter(): Reporter {
  return {
    name: 'html',
    async finish(report, context) {
      return [await writeReportFile(context.outDir, HTML_REPORT_FILE, renderHtmlReport(report))];
    },
  };
}

type Status = ResultStatus | RollupStatus | 'not-claimed';

const SYMBOL: Readonly<Record<Status, string>> = {
  pass: '✓',
  warn: '!',
  fail: '✗',
  error: '⚠',
  skip: '–',
  'not-verified': '–',
  'not-run': '○',
  'not-claimed': '·',
};

const RESULT_LABEL: Readonly<Record<ResultStatus, string>> = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  error: 'Error',
  skip: 'Skipped',
};

/**
 * A status as a badge: symbol and word, coloured as a third cue only.
 *
 * @example
 *   statusBadge('fail'); // '<span class="badge badge-fail"><span aria-hidden="true">✗</span> Failed</span>'
 */
export function statusBadge(status: Status, label?: string): string {
  const word = label ?? (status in ROLLUP_LABEL ? ROLLUP_LABEL[status as RollupStatus] : status in RESULT_LABEL ? RESULT_LABEL[status as ResultStatus] : 'Not claimed');
  return `<span class="badge badge-${status}"><span aria-hidden="true">${SYMBOL[status]}</span> ${escapeHtml(word)}</span>`;
}

/**
 * The whole page as a string. Pure: the same report gives the same page.
 *
 * @example
 *   const html = renderHtmlReport(report); // '<!DOCTYPE html>\n<html lang="en-GB">…'
 */
export function renderHtmlReport(report: Report): string {
  const rows = requirementRows(report);
  const requirementRowById = new Map(rows.filter((r) => r.kind === 'requirement').map((r) => [r.id, r]));
  const problems = problemIndexes(report);
  const { summary } = report;
  const title = `Interoperability First report: ${VERDICT_LABEL[summary.verdict]}, ${report.profile.id}@${report.profile.version} against ${report.target.url}`;
  const profileMode = report.profile.mode === 'profile';
  const body = [
    renderMasthead(report),
    renderContents(new Set(rows.map((r) => r.principle)), problems.length, report.claims !== undefined, profileMode),
    '<main>',
    // Failures straight after the verdict: they are what a reader acts on.
    renderFindings(report, problems),
    renderClaims(report, statusBadge, (id) => {
      const row = requirementRowById.get(id);
      return row ? anchor(rows, row) : undefined;
    }),
    renderAtAGlance(report, rows),
    renderCoverage(report),
    renderCleanup(report),
    profileMode
      ? `<div id="principles">${PRINCIPLES.map((p) => renderPrinciple(p, report, rows)).join('')}</div>`
      : '<p id="principles" class="generic-mode">Generic mode: every result counts as MUST. The Charter principles are assessed only against a profile with <code>x-interop</code> requirements.</p>',
    renderRequirementTable(report, rows),
    renderNotes(report),
    renderAbout(report),
    '</main>',
    `<footer><p>Written by ${htmlText(report.harness.name)} ${htmlText(report.harness.version)} from report.json (report format ${escapeHtml(report.reportFormat)}). ` +
      'report.json is the canonical record; this page is rendered from it and adds nothing.</p></footer>',
  ];
  return renderHtmlPage(title, body);
}

function renderMasthead(report: Report): string {
  const { summary, profile } = report;
  const verdictSymbol = summary.verdict === 'conformant' ? '✓' : summary.verdict === 'non-conformant' ? '✗' : '?';
  const facts: Array<[string, string]> = [
    ['Target', `<code>${htmlText(report.target.url)}</code>`],
    ['Profile', `${htmlText(profile.title)} (<code>${htmlText(profile.id)}</code> version ${htmlText(profile.version)}, ${htmlText(profile.mode)} mode)`],
    ['Profile SHA-256', `<code>${htmlText(profile.sha256)}</code>`],
    ['Harness', `${htmlText(report.harness.name)} ${htmlText(report.harness.version)}`],
    ['Run', `<time datetime="${escapeHtml(safeTimestamp(report.startedAt))}">${htmlText(readableTime(report.startedAt))}</time> to ${htmlText(readableTime(report.finishedAt))} (${escapeHtml(seconds(report.durationMs))})`],
  ];
  if (report.invocation) facts.push(['Command line', `<code>${htmlText(formatCommandLine(report.invocation.argv))}</code>`]);
  return [
    '<header>',
    '<p class="kicker">Interoperability First report</p>',
    `<h1>${htmlText(profile.title)} <span class="profile-id">${htmlText(`${profile.id}@${profile.version}`)}</span></h1>`,
    `<div class="verdict verdict-${summary.verdict}" id="verdict" role="status">` +
      `<span class="symbol" aria-hidden="true">${verdictSymbol}</span> <span class="sr-only">Verdict:</span><strong>${VERDICT_LABEL[summary.verdict]}</strong>` +
      `<span>${htmlText(explainVerdict(summary), 2000)}</span></div>`,
    ...caveatLines(summary).map((line) => `<p class="caveat">${htmlText(line, 2000)}</p>`),
    `<dl class="facts">${facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`,
    '</header>',
  ].join('\n');
}

function renderContents(rowsPresent: ReadonlySet<PrincipleId>, problems: number, claims: boolean, profileMode: boolean): string {
  const principles = profileMode
    ? PRINCIPLES.filter((p) => !OPTIONAL_PRINCIPLES.has(p.id) || rowsPresent.has(p.id)).map((p) => `<li><a href="#principle-${p.id}">${escapeHtml(p.title)}</a></li>`)
    : [];
  return (
    '<nav class="contents" aria-label="Contents"><ol>' +
    `<li><a href="#failures">Failures and errors (${problems})</a></li>` +
    (claims ? '<li><a href="#claims">Claims</a></li>' : '') +
    '<li><a href="#summary">At a glance</a></li>' +
    '<li><a href="#coverage">Coverage</a></li>' +
    principles.join('') +
    '<li><a href="#requirements">Requirements</a></li>' +
    `<li><a href="#notes">Warnings and results not verified</a></li>` +
    '<li><a href="#about">About this run</a></li>' +
    '</ol></nav>'
  );
}

/** Operations listed per coverage reason. */
const GAPS_SHOWN = 50;

/** Which operations reached a validated success response, and why the others did not, grouped by reason. */
function renderCoverage(report: Report): string {
  const coverage = report.summary.coverage;
  if (!coverage) return '';
  const groups = groupGaps(coverage.notReached).map((group) => {
    const items = group.gaps.slice(0, GAPS_SHOWN).map((gap) => `<li>${htmlText(`${gap.method} ${gap.path}`, 600)} <span class="muted">(${htmlText(gap.operationId, 200)})</span>${gap.hint && gap.hint !== group.hint ? `: <code>${htmlText(gap.hint, 400)}</code>` : ''}</li>`);
    if (group.gaps.length > GAPS_SHOWN) items.push(`<li class="omitted">and ${group.gaps.length - GAPS_SHOWN} more in report.json</li>`);
    return `<h3>${htmlText(group.reason, 600)} (${group.gaps.length})</h3>${group.hint ? `<p>Hint: <code>${htmlText(group.hint, 400)}</code></p>` : ''}<ul class="ops">${items.join('')}</ul>`;
  });
  return [
    '<section id="coverage" aria-labelledby="coverage-heading">',
    '<h2 id="coverage-heading">Coverage</h2>',
    `<p><strong>${escapeHtml(coverageLine(coverage))}</strong>. An operation counts only when a documented success (2xx) response came back and no status, content-type or schema check failed or errored on it.</p>`,
    groups.length === 0 ? '' : `<p>Operations that never reached one, by reason:</p>${groups.join('')}`,
    '</section>',
  ].join('\n');
}

/** What a writing run created and removed; every record left behind, with its URL, so its owner can delete it. */
function renderCleanup(report: Report): string {
  const cleanup = report.cleanup;
  if (!cleanup) return '';
  const left = cleanup.leftBehind.map((record) => `<li><code>${htmlText(record.url, 600)}</code>: ${htmlText(record.reason, 400)}</li>`);
  const named = (cleanup.namedWrites ?? []).map((write) => `<li><code>${htmlText(`${write.method} ${write.url}`, 600)}</code>: ${write.status === null ? 'no answer' : `answered ${write.status}`}</li>`);
  return [
    '<section id="cleanup" aria-labelledby="cleanup-heading">',
    '<h2 id="cleanup-heading">Records this run created</h2>',
    named.length === 0
      ? `<p>${escapeHtml(cleanupLine(cleanup))}. The run writes only to records it created itself (<code>--allow-writes</code>) and deletes them at the end.</p>`
      : `<p>${escapeHtml(cleanupLine(cleanup))}. Its lifecycles write only to records the run created itself (<code>--allow-writes</code>) and delete them at the end.</p>`,
    left.length > 0 ? `<p>Still there, for the target's owner to delete:</p><ul class="ops left-behind">${left.join('')}</ul>` : '',
    named.length > 0 ? `<p>Named writes. ${escapeHtml(NAMED_WRITES_NOTE)}</p><ul class="ops named-writes">${named.join('')}</ul>` : '',
    '</section>',
  ].join('\n');
}

interface PrincipleTally {
  claimed: number;
  counts: Record<RollupStatus, number>;
}

function tally(rows: RequirementRow[]): PrincipleTally {
  const counts: Record<RollupStatus, number> = { pass: 0, warn: 0, fail: 0, error: 0, 'not-verified': 0, 'not-run': 0 };
  for (const row of rows) counts[row.status] += 1;
  return { claimed: rows.filter((r) => r.kind === 'requirement').length, counts };
}

function renderAtAGlance(report: Report, rows: RequirementRow[]): string {
  const { summary } = report;
  const resultCounts: Array<[string, number, Status]> = [
    ['Passed', summary.passed, 'pass'],
    ['Failed', summary.failed, 'fail'],
    ['Errors (no evidence)', summary.errors, 'error'],
    ['Warnings', summary.warnings, 'warn'],
    ['Skipped', summary.skipped, 'skip'],
  ];
  const principleRows = PRINCIPLES.map((principle) => {
    const own = rows.filter((r) => r.principle === principle.id);
    if (own.length === 0 && OPTIONAL_PRINCIPLES.has(principle.id)) return '';
    const t = tally(own);
    const results = own.reduce((sum, r) => sum + r.counts.total, 0);
    if (own.length === 0) {
      return (
        `<tr><th scope="row"><a href="#principle-${principle.id}">${escapeHtml(principle.title)}</a></th>` +
        `<td colspan="6">${statusBadge('not-run', 'Not assessed')} <span class="muted">nothing claimed or tested under this principle</span></td></tr>`
      );
    }
    return (
      `<tr><th scope="row"><a href="#principle-${principle.id}">${escapeHtml(principle.title)}</a></th>` +
      `<td class="num">${t.claimed}</td><td class="num">${t.counts.pass + t.counts.warn}</td><td class="num">${t.counts.fail}</td>` +
      `<td class="num">${t.counts.error}</td><td class="num">${t.counts['not-verified'] + t.counts['not-run']}</td><td class="num">${results}</td></tr>`
    );
  });
  const unit = report.profile.mode === 'profile' ? 'Requirements' : 'Checks';
  return [
    '<section id="summary" aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">At a glance</h2>',
    `<p>${summary.total} ${plural(summary.total, 'result')}; ${escapeHtml(probesLine(summary))}` +
      `. ${summary.mustFailed} MUST-level ${plural(summary.mustFailed, 'failure')}, ${summary.mustErrors} MUST-level ${plural(summary.mustErrors, 'error')}.</p>`,
    '<table class="counts"><caption>Results by status</caption><thead><tr><th scope="col">Status</th><th scope="col" class="num">Results</th></tr></thead><tbody>',
    ...resultCounts.map(([label, count, status]) => `<tr><th scope="row">${statusBadge(status, label)}</th><td class="num">${count}</td></tr>`),
    '</tbody></table>',
    ...(report.profile.mode === 'generic'
      ? []
      : [
          `<table class="by-principle"><caption>By Charter principle: what was claimed, verified and failed</caption><thead><tr>` +
            `<th scope="col">Principle</th><th scope="col" class="num">${unit} claimed</th><th scope="col" class="num">Verified</th>` +
            `<th scope="col" class="num">Failed</th><th scope="col" class="num">No evidence</th><th scope="col" class="num">Not verified or not run</th><th scope="col" class="num">Results</th></tr></thead><tbody>`,
          ...principleRows,
          '</tbody></table>',
        ]),
    '</section>',
  ].join('\n');
}

function renderPrinciple(principle: Principle, report: Report, rows: RequirementRow[]): string {
  const own = rows.filter((r) => r.principle === principle.id);
  if (own.length === 0 && OPTIONAL_PRINCIPLES.has(principle.id)) return '';
  const principleOf = resultPrincipleResolver(report);
  const results = report.results.filter((r) => principleOf(r) === principle.id);
  const topics = principle.topics.map((topic) => {
    const matched = results.filter((r) => topic.checks.some((pattern) => matchesCheckPattern(r.check, pattern)));
    const checks = [...new Set(matched.map((r) => r.check))];
    const cell =
      matched.length === 0
        ? `${statusBadge('not-run', 'Not assessed')} <span class="muted">no check in this run covers it</span>`
        : `${statusBadge(rollUp(matched.map((r) => r.status)))} ${escapeHtml(describeCounts(matched))}`;
    return `<tr><th scope="row">${escapeHtml(topic.name)}</th><td>${checks.length === 0 ? '<span class="muted">none</span>' : checks.map((c) => `<code>${htmlText(c, 200)}</code>`).join(', ')}</td><td>${cell}</td></tr>`;
  });
  const requirementTable =
    own.length === 0
      ? `<p class="muted">This ${report.profile.mode === 'profile' ? 'profile states no requirement' : 'run has no check'} under this principle: nothing was claimed or verified here.</p>`
      : `<table><caption>${report.profile.mode === 'profile' ? 'Requirements' : 'Checks'} under ${escapeHtml(principle.title)}</caption>` +
        '<thead><tr><th scope="col">ID</th><th scope="col">Level</th><th scope="col">Statement</th><th scope="col">Status</th></tr></thead><tbody>' +
        own.map((row) => `<tr class="status-${row.status}"><th scope="row"><a href="#req-${anchor(rows, row)}">${htmlText(row.id, 200)}</a></th><td class="level">${htmlText(row.level, 40)}</td><td>${htmlText(row.statement, 2000)}</td><td>${statusBadge(row.status)}</td></tr>`).join('') +
        '</tbody></table>';
  return [
    `<section class="principle" id="principle-${principle.id}" aria-labelledby="principle-${principle.id}-heading">`,
    `<h2 id="principle-${principle.id}-heading">${escapeHtml(principle.title)}</h2>`,
    `<p class="lede">${escapeHtml(principle.summary)}</p>`,
    topics.length === 0
      ? ''
      : `<table class="topics"><caption>What this principle covers, and whether this run assessed it</caption><thead><tr><th scope="col">Topic</th><th scope="col">Checks</th><th scope="col">Outcome</th></tr></thead><tbody>${topics.join('')}</tbody></table>`,
    requirementTable,
    '</section>',
  ].join('\n');
}

function renderRequirementTable(report: Report, rows: RequirementRow[]): string {
  const heading = report.profile.mode === 'profile' ? 'Requirements' : 'Checks (generic mode: every result counts as MUST)';
  const sourceById = new Map(report.requirements.map((r) => [r.id, r.source]));
  const body = rows.map((row) => {
    const operations = row.operations.slice(0, OPERATIONS_SHOWN).map(
      (op) => `<li><span aria-hidden="true">${SYMBOL[op.status]}</span><span class="sr-only">${RESULT_LABEL[op.status]}:</span> ${htmlText(`${op.method} ${op.path}`, 400)}</li>`,
    );
    if (row.operations.length > OPERATIONS_SHOWN) operations.push(`<li class="omitted">and ${row.operations.length - OPERATIONS_SHOWN} more</li>`);
    const statusCell = `${statusBadge(row.status)}<br><span class="muted">${escapeHtml(describeCounts(row.resultIndexes.map((i) => report.results[i]!)))}</span>` +
      (row.notTestedReason === undefined ? '' : `<br><span class="muted">Not testable by probing: ${htmlText(row.notTestedReason, 1000)}</span>`);
    // Where the requirement comes from, so a reader can check it against the public standard.
    const source = row.kind === 'requirement' ? sourceById.get(row.id) : undefined;
    const statementCell = htmlText(row.statement, 2000) + (source ? `<br><span class="muted">Source: ${htmlText(source, 1000)}</span>` : '');
    return (
      `<tr id="req-${anchor(rows, row)}" class="status-${row.status}"><th scope="row">${htmlText(row.id, 200)}</th><td class="level">${htmlText(row.level, 40)}</td>` +
      `<td>${statementCell}</td><td>${statusCell}</td>` +
      `<td>${operations.length === 0 ? '<span class="muted">none</span>' : `<ul class="ops">${operations.join('')}</ul>`}</td></tr>`
    );
  });
  return [
    '<section id="requirements" aria-labelledby="requirements-heading">',
    `<h2 id="requirements-heading">${escapeHtml(heading)}</h2>`,
    '<p>A requirement passes only when a check judged it on at least one operation and nothing failed or errored; one whose checks all skipped is <em>not verified</em>, never passed.</p>',
    '<table class="requirements"><thead><tr><th scope="col">ID</th><th scope="col">Level</th><th scope="col">Statement</th><th scope="col">Status</th><th scope="col">Operations</th></tr></thead>',
    `<tbody>${body.join('\n')}</tbody></table>`,
    '</section>',
  ].join('\n');
}

function renderFindings(report: Report, problems: number[]): string {
  const parts = [
    '<section id="failures" aria-labelledby="failures-heading">',
    `<h2 id="failures-heading">Failures and errors (${problems.length})</h2>`,
  ];
  if (problems.length === 0) parts.push('<p>No result failed or errored.</p>');
  else parts.push('<p>MUST-level first. Each shows what was expected and seen; open the transcript for the exact request and response, and repeat it with the curl line, or replay it with interop-harness replay (fresh credentials, the same check).</p>');
  for (const index of problems.slice(0, FINDINGS_SHOWN)) parts.push(renderFinding(report.results[index]!, index, report));
  if (problems.length > FINDINGS_SHOWN) parts.push(`<p class="omitted">and ${problems.length - FINDINGS_SHOWN} more in report.json</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

function renderFinding(result: CheckResult, index: number, report: Pick<Report, 'cleanup'>): string {
  const where = `${result.method} ${result.path} (${result.operationId})`;
  // A request to a record the run deleted is no recipe: its id may name someone else's record now.
  const deleted = result.evidence && deletedRecordAt(report, result.evidence.request.url);
  return [
    `<article class="finding status-${result.status}" id="result-${index}" aria-labelledby="result-${index}-heading">`,
    `<h3 id="result-${index}-heading">${statusBadge(result.status)} <span class="level">${htmlText(result.level, 40)}</span> ` +
      `${result.requirement === null ? '' : `${htmlText(result.requirement, 200)} · `}<code>${htmlText(result.check, 200)}</code> · ${htmlText(where, 600)}</h3>`,
    `<p class="message">${htmlText(result.message)}</p>`,
    renderFindingDetail(result),
    renderTranscript(result.evidence, deleted === undefined ? undefined : deletedRecordNote(deleted)),
    ...(result.id === undefined || deleted !== undefined ? [] : [`<p class="curl-label">Replay it (fresh credentials, same check):</p><pre class="replay">${htmlText(replayCommandLine(result.id))}</pre>`]),
    `<p class="muted">report.json: <code>results[${index}]</code></p>`,
    '</article>',
  ].join('\n');
}

function renderNotes(report: Report): string {
  const notes = report.results.map((result, index) => ({ result, index })).filter(({ result }) => result.status === 'warn' || result.status === 'skip');
  const rows = notes.slice(0, NOTES_SHOWN).map(
    ({ result, index }) =>
      `<tr id="result-${index}"><td>${statusBadge(result.status)}</td><td class="level">${htmlText(result.level, 40)}</td><td>${result.requirement === null ? '<span class="muted">none</span>' : htmlText(result.requirement, 200)}</td>` +
      `<td><code>${htmlText(result.check, 200)}</code></td><td>${htmlText(`${result.method} ${result.path}`, 600)}</td><td>${htmlText(result.message, 2000)}</td></tr>`,
  );
  return [
    '<section id="notes" aria-labelledby="notes-heading">',
    `<h2 id="notes-heading">Warnings and results not verified (${notes.length})</h2>`,
    notes.length === 0
      ? '<p>None.</p>'
      : '<table><thead><tr><th scope="col">Status</th><th scope="col">Level</th><th scope="col">Requirement</th><th scope="col">Check</th><th scope="col">Operation</th><th scope="col">Why</th></tr></thead>' +
        `<tbody>${rows.join('\n')}</tbody></table>` +
        (notes.length > NOTES_SHOWN ? `<p class="omitted">and ${notes.length - NOTES_SHOWN} more in report.json</p>` : ''),
    '</section>',
  ].join('\n');
}

function renderAbout(report: Report): string {
  const { limits } = report.options;
  const checks = report.checks.map((c) => `<tr><th scope="row"><code>${htmlText(c.id, 200)}</code></th><td>${htmlText(c.title, 400)}</td><td>${htmlText(c.description, 2000)}</td></tr>`);
  const warnings = report.profile.warnings.slice(0, 100).map((w) => `<li><code>${htmlText(w.code, 200)}</code> at <code>${htmlText(w.location === '' ? '/' : w.location, 600)}</code>: ${htmlText(w.message, 2000)}</li>`);
  const limitFacts: Array<[string, string]> = [
    ['Per-request timeout', `${seconds(limits.requestTimeoutMs)}`],
    ['Whole-run timeout', `${seconds(limits.runTimeoutMs)}`],
    ['Largest body read', `${limits.maxBodyBytes} bytes`],
    ['Body kept as evidence', `${limits.evidenceBodyBytes} bytes per result`],
    ['Concurrency', `${limits.concurrency} requests at once${limits.ratePerSecond === null ? '' : `, at most ${limits.ratePerSecond} per second`}`],
    ['Writes', report.options.allowWrites ? 'data-changing operations were probed' : 'read-only: data-changing operations were not probed'],
  ];
  return [
    '<section id="about" aria-labelledby="about-heading">',
    '<h2 id="about-heading">About this run</h2>',
    `<table><caption>What each check verifies</caption><thead><tr><th scope="col">Check</th><th scope="col">Title</th><th scope="col">Verifies</th></tr></thead><tbody>${checks.join('')}</tbody></table>`,
    `<dl class="facts">${limitFacts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`,
    warnings.length === 0 ? '' : `<h3>Profile warnings (${report.profile.warnings.length})</h3><ul>${warnings.join('')}</ul>`,
    '<h3>Checking this report was not edited</h3>',
    '<p>If this report came with <code>report.json.sig</code>, check the signature against the signer\'s public key before relying on it: ' +
      '<code>interop-harness verify report.json --key signer.pub</code>. This page is a rendering of report.json; the signature covers report.json.</p>',
    '</section>',
  ].join('\n');
}

/** `6 results: 5 passed, 1 skipped`. */
function describeCounts(results: readonly CheckResult[]): string {
  const counts: Record<ResultStatus, number> = { pass: 0, fail: 0, error: 0, warn: 0, skip: 0 };
  for (const r of results) counts[r.status] += 1;
  const words: Array<[ResultStatus, string]> = [['pass', 'passed'], ['fail', 'failed'], ['error', 'errors'], ['warn', 'warnings'], ['skip', 'skipped']];
  const parts = words.filter(([status]) => counts[status] > 0).map(([status, word]) => `${counts[status]} ${word}`);
  return `${results.length} ${plural(results.length, 'result')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/** Each row list's positions, found once: `indexOf` per row would make the page quadratic in its requirements. */
const rowPositions = new WeakMap<readonly RequirementRow[], Map<RequirementRow, number>>();

/** An id attribute for a row: made by the harness from its position, never from supplier or profile text. */
function anchor(rows: readonly RequirementRow[], row: RequirementRow): string {
  let positions = rowPositions.get(rows);
  if (positions === undefined) {
    positions = new Map(rows.map((r, index) => [r, index]));
    rowPositions.set(rows, positions);
  }
  return String(positions.get(row) ?? -1);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function safeTimestamp(value: string): string {
  return /^[0-9T:.Z+-]+$/.test(value) ? value : '';
}

/** `2025-11-23 10:00:00 UTC` from an ISO timestamp; anything else is shown as given. */
function readableTime(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(value);
  return match ? `${match[1]} ${match[2]} UTC` : value;
}

