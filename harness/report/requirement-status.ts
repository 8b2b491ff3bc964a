/**
 * Rolls results up to one row per requirement (or per check in generic mode),
 * the unit a procurement panel reads: "BASE-04: failed on 2 of 6 operations".
 */
import { LEVEL_RANK, worstStatus, type CheckResult, type Level, type ResultStatus } from '../results.js';
import { principleOfCheck, principleOfRequirement, resultPrincipleResolver, type PrincipleId, type StatusCounts } from './principles.js';
import type { Report } from './report-types.js';

/**
 * A requirement's status. `not-verified`: every result skipped, so nothing was
 * shown either way (never counted as passed). `not-run`: no result at all.
 */
export type RollupStatus = 'pass' | 'warn' | 'fail' | 'error' | 'not-verified' | 'not-run';

/** Words for each roll-up status; a status is always shown as a word, never by colour alone. */
export const ROLLUP_LABEL: Readonly<Record<RollupStatus, string>> = {
  pass: 'Passed',
  warn: 'Passed with warnings',
  fail: 'Failed',
  error: 'No evidence (error)',
  'not-verified': 'Not verified',
  'not-run': 'Not run',
};

export interface OperationStatus {
  operationId: string;
  method: string;
  path: string;
  status: ResultStatus;
}

export interface RequirementRow {
  /** The requirement id, or the check id for results with no requirement. */
  id: string;
  kind: 'requirement' | 'check';
  level: Level;
  statement: string;
  principle: PrincipleId;
  status: RollupStatus;
  counts: StatusCounts;
  /** Each operation the requirement was tested on, with its worst status there. */
  operations: OperationStatus[];
  /** Indexes into `report.results`, in report order. */
  resultIndexes: number[];
  notTestedReason?: string;
}

/**
 * The roll-up of some results' statuses: the worst status among those that
 * judged something (`worstStatus`), `not-verified` when all of them skipped,
 * `not-run` when there are none. A skip beside passes does not drag a
 * requirement down to "not verified": the passes are evidence.
 *
 * @example
 *   rollUp(['pass', 'skip']); // 'pass'
 *   rollUp(['skip', 'skip']); // 'not-verified'
 *   rollUp(['pass', 'fail', 'error']); // 'error'
 */
export function rollUp(statuses: readonly ResultStatus[]): RollupStatus {
  if (statuses.length === 0) return 'not-run';
  const judged = statuses.filter((s): s is Exclude<ResultStatus, 'skip'> => s !== 'skip');
  return (worstStatus(judged) as Exclude<ResultStatus, 'skip'> | undefined) ?? 'not-verified';
}

/**
 * One row per requirement the profile states (in profile order, including
 * those with no results), then one row per check for results that name no
 * requirement (generic mode, the `probe` pseudo-check).
 *
 * @example
 *   requirementRows(report).map((r) => `${r.id} ${r.status}`); // ['BASE-01 pass', 'BASE-02 fail', …]
 */
export function requirementRows(report: Pick<Report, 'requirements' | 'results' | 'checks'> & { summary?: Pick<Report['summary'], 'caveats'> }): RequirementRow[] {
  const principleOf = resultPrincipleResolver(report);
  // When the target did not serve the profile at all, a pass (no 5xx from an HTML fallback page, say) verifies nothing.
  const evidenceVoid = report.summary?.caveats?.some((c) => VOIDING_CAVEATS.has(c.code)) ?? false;
  const byRequirement = new Map<string, number[]>();
  const byCheck = new Map<string, number[]>();
  report.results.forEach((result, index) => {
    const [map, key] = result.requirement === null ? [byCheck, result.check] : [byRequirement, result.requirement];
    // Push, not copy: a requirement with 20,000 results must not cost 20,000² copies.
    const indexes = map.get(key);
    if (indexes === undefined) map.set(key, [index]);
    else indexes.push(index);
  });
  const checksById = new Map(report.checks.map((c) => [c.id, c]));

  const rows: RequirementRow[] = [];
  for (const requirement of report.requirements) {
    const indexes = byRequirement.get(requirement.id) ?? [];
    byRequirement.delete(requirement.id);
    const row = makeRow(report.results, indexes, {
      id: requirement.id,
      kind: 'requirement',
      level: requirement.level,
      statement: requirement.statement,
      principle: principleOfRequirement(requirement),
    });
    if (requirement.notTestedReason !== undefined) row.notTestedReason = requirement.notTestedReason;
    rows.push(row);
  }
  // A result naming a requirement the profile does not list should not happen; show it rather than drop it.
  for (const [id, indexes] of byRequirement) {
    rows.push(makeRow(report.results, indexes, { id, kind: 'requirement', level: mostSevere(report.results, indexes), statement: '(not stated in the profile)', principle: principleOf(report.results[indexes[0]!]!) }));
  }
  for (const [check, indexes] of byCheck) {
    // Operations not probed are listed under coverage; a row of skips here would read as an unmet MUST.
    if (check === 'probe' && indexes.every((i) => report.results[i]!.status === 'skip')) continue;
    const described = checksById.get(check);
    const statement = check === 'probe' ? 'Operations the harness could not probe, and why.' : (described?.description ?? described?.title ?? check);
    rows.push(makeRow(report.results, indexes, { id: check, kind: 'check', level: mostSevere(report.results, indexes), statement, principle: principleOfCheck(check) }));
  }
  if (evidenceVoid) for (const row of rows) if (row.status === 'pass' || row.status === 'warn') row.status = 'not-verified';
  return rows;
}

/** Caveats under which no pass verifies anything: the target did not serve the profile, or never answered with success. */
const VOIDING_CAVEATS: ReadonlySet<string> = new Set(['not-served', 'no-success-response', 'nothing-passed']);

function makeRow(
  results: readonly CheckResult[],
  indexes: number[],
  base: Pick<RequirementRow, 'id' | 'kind' | 'level' | 'statement' | 'principle'>,
): RequirementRow {
  const counts: StatusCounts = { total: 0, pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  const operations = new Map<string, OperationStatus>();
  for (const index of indexes) {
    const result = results[index]!;
    counts.total += 1;
    counts[result.status] += 1;
    const key = `${result.method} ${result.path} ${result.operationId}`;
    const seen = operations.get(key);
    const status = seen === undefined ? result.status : worstStatus([seen.status, result.status])!;
    operations.set(key, { operationId: result.operationId, method: result.method, path: result.path, status });
  }
  return {
    ...base,
    status: rollUp(indexes.map((i) => results[i]!.status)),
    counts,
    operations: [...operations.values()],
    resultIndexes: indexes,
  };
}

function mostSevere(results: readonly CheckResult[], indexes: number[]): Level {
  const levels = new Set(indexes.map((i) => results[i]!.level));
  return LEVEL_RANK.find((level) => levels.has(level)) ?? 'MAY';
}
