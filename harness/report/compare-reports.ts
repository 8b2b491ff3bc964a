/**
 * Several vendors' reports side by side: a requirement-by-vendor matrix,
 * totals by Charter principle, and warnings where the reports are not
 * comparable like for like (different profile text or harness version).
 */
import { readFile } from 'node:fs/promises';
import { HarnessError } from '../errors.js';
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
 */
function cellFor(report: Report, row: RequirementRow | undefined): MatrixStatus {
  if (!row) return 'not-claimed';
  const claim = row.kind === 'requirement' ? report.claims?.entries.find((e) => e.requirement === row.id) : undefined;
  return claim && !claim.claimed ? 'not-claimed' : row.status;
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
  const perVendorRows = vendors.map((v) => new Map(requirementRows(v.report).map((row) => [`${row.kind}:${row.id}`, row])));
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
        cells: perVendorRows.map((m, i) => cellFor(vendors[i]!.report, m.get(key))),
      });
    }
  });
  const totals = PRINCIPLES.map((principle) => ({
    principle,
    perVendor: vendors.map((_, column) => {
      const counts: Record<MatrixStatus, number> = { pass: 0, warn: 0, fail: 0, error: 0, 'not-verified': 0, 'not-run': 0, 'not-claimed': 0 };
      for (const row of rows) if (row.principle === principle.id) counts[row.cells[column]!] += 1;
      return counts;
    }),
  })).filter((t) => (t.principle.id !== 'other' && t.principle.id !== 'partnership') || rows.some((r) => r.principle === t.principle.id));
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

/**
 * Reads a report.json for comparison. Anything that is not a report (bad
 * JSON, a missing section, another report format) is bad input, exit 2.
 *
 * @example
 *   const report = await readReportFile('vendor-a/report.json');
 */
export async function readReportFile(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HarnessError('USAGE', `cannot read report ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HarnessError('USAGE', `${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const report = value as Partial<Report> | null;
  const looksRight =
    typeof report === 'object' && report !== null &&
    typeof report.reportFormat === 'string' &&
    typeof report.profile?.id === 'string' &&
    typeof report.target?.url === 'string' &&
    typeof report.summary?.verdict === 'string' &&
    Array.isArray(report.results) &&
    Array.isArray(report.requirements) &&
    Array.isArray(report.checks);
  if (!looksRight) throw new HarnessError('USAGE', `${path} is not an interop-harness report.json`);
  if (report.reportFormat !== '1.0') throw new HarnessError('USAGE', `${path} has report format ${JSON.stringify(report.reportFormat)}; this harness reads 1.0`);
  return report as Report;
}
