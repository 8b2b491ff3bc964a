/**
 * Several vendors' reports side by side: a requirement-by-vendor matrix,
 * totals by Charter principle, and warnings where the reports are not
 * comparable like for like (different profile text or harness version).
 */
import type { Level } from '../results.js';
import { PRINCIPLES, type Principle, type PrincipleId } from './principles.js';
import type { Report } from './report-types.js';
import { requirementRows, type RequirementRow, type RollupStatus } from './requirement-status.js';

/** A matrix cell: a roll-up status, or `not-claimed` when the vendor's profile does not state the requirement or its claims leave it out. */
export type MatrixStatus = RollupStatus | 'not-claimed';

export interface ComparedVendor {
  /** Column heading: a letter and the target's host, e.g. `A: sandbox.vendor-a.example`. */
  label: string;
  file: string;
  report: Report;
}

export interface ComparisonRow {
  id: string;
  kind: 'requirement' | 'check';
  level: string;
  statement: string;
  principle: PrincipleId;
  /** One status per vendor, in vendor order. */
  cells: MatrixStatus[];
}

export interface PrincipleTotals {
  principle: Principle;
  /** Per vendor: how many rows under this principle have each status. */
  perVendor: Array<Record<MatrixStatus, number>>;
}

export interface Comparison {
  vendors: ComparedVendor[];
  rows: ComparisonRow[];
  totals: PrincipleTotals[];
  /** Reasons the columns may not be comparable like for like. */
  warnings: string[];
}

/**
 * A vendor's cell: `not-claimed` when its profile does not state the
 * requirement or its claims ledger says it did not claim it, else the roll-up.
 * A requirement with any failed result is refuted and shows as `fail`,
 * whatever was claimed and whatever else errored: a failure is evidence, and
 * never hidden as "not claimed" or "no evidence".
 */
function cellFor(claimed: ReadonlyMap<string, boolean>, row: RequirementRow | undefined): MatrixStatus {
  if (!row) return 'not-claimed';
  if (row.counts.fail > 0) return 'fail';
  return row.kind === 'requirement' && claimed.get(row.id) === false ? 'not-claimed' : row.status;
}

/**
 * Builds the comparison of already-read reports, in the order given.
 *
 * @example
 *   const comparison = compareReports([{ file: 'a.json', report: a }, { file: 'b.json', report: b }]);
 *   comparison.rows[0].cells; // ['pass', 'fail']
 */
export function compareReports(inputs: ReadonlyArray<{ file: string; report: Report }>): Comparison {
  const vendors = labelVendors(inputs);
  // Maps built once per vendor, so the matrix costs one pass over each report.
  const perVendorRows = vendors.map((v) => new Map(requirementRows(v.report).map((row) => [`${row.kind}:${row.id}`, row])));
  const perVendorClaims = vendors.map((v) => new Map((v.report.claims?.entries ?? []).map((entry) => [entry.requirement, entry.claimed])));
  const rows: ComparisonRow[] = [];
  const seen = new Set<string>();
  perVendorRows.forEach((rowMap) => {
    for (const [key, row] of rowMap) {
      if (seen.has(key)) continue;
      seen.add(key);
      const levels = [...new Set(perVendorRows.map((m) => m.get(key)?.level).filter((l): l is Level => l !== undefined))];
      rows.push({
        id: row.id,
        kind: row.kind,
        level: levels.join(' / '),
        statement: row.statement,
        principle: row.principle,
        cells: perVendorRows.map((m, i) => cellFor(perVendorClaims[i]!, m.get(key))),
      });
    }
  });
  const emptyCounts = (): Record<MatrixStatus, number> => ({ pass: 0, warn: 0, fail: 0, error: 0, 'not-verified': 0, 'not-run': 0, 'not-claimed': 0 });
  const countsByPrinciple = new Map<PrincipleId, Array<Record<MatrixStatus, number>>>(PRINCIPLES.map((p) => [p.id, vendors.map(emptyCounts)]));
  for (const row of rows) {
    const perVendor = countsByPrinciple.get(row.principle);
    if (perVendor) row.cells.forEach((cell, column) => (perVendor[column]![cell] += 1));
  }
  const principlesWithRows = new Set(rows.map((r) => r.principle));
  const totals = PRINCIPLES.map((principle) => ({ principle, perVendor: countsByPrinciple.get(principle.id)! })).filter(
    (t) => (t.principle.id !== 'other' && t.principle.id !== 'partnership') || principlesWithRows.has(t.principle.id),
  );
  return { vendors, rows, totals, warnings: comparabilityWarnings(vendors) };
}

function labelVendors(inputs: ReadonlyArray<{ file: string; report: Report }>): ComparedVendor[] {
  return inputs.map(({ file, report }, index) => {
    const letter = index < 26 ? String.fromCharCode(65 + index) : `#${index + 1}`;
    let host: string;
    try {
      host = new URL(report.target.url).host;
    } catch {
      host = report.target.url;
    }
    return { label: `${letter}: ${host}`, file, report };
  });
}

function comparabilityWarnings(vendors: ComparedVendor[]): string[] {
  const warnings: string[] = [];
  const differing = (describe: (v: ComparedVendor) => string, what: string, consequence: string) => {
    const values = new Set(vendors.map(describe));
    if (values.size > 1) warnings.push(`${what} differ (${vendors.map((v) => `${v.label.split(':')[0]}: ${describe(v)}`).join('; ')}): ${consequence}`);
  };
  differing((v) => v.report.profile.id, 'Profiles', 'the vendors were not tested against the same requirements');
  differing((v) => v.report.profile.version, 'Profile versions', 'requirements may differ between columns');
  const sameVersion = new Set(vendors.map((v) => `${v.report.profile.id}@${v.report.profile.version}`)).size === 1;
  if (sameVersion) differing((v) => v.report.profile.sha256.slice(0, 12), 'Profile texts (SHA-256) for the same profile version', 'the profile was edited without a new version');
  differing((v) => v.report.harness.version, 'Harness versions', 'checks may have changed between runs');
  const partial = vendors.filter((v) => v.report.profile.mode !== 'profile');
  if (partial.length > 0 && partial.length < vendors.length) warnings.push('Some reports are generic-mode runs (no requirements): their columns show checks, not requirements');
  return warnings;
}
