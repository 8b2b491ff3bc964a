import { compareReports, type MatrixStatus, type Report } from '../index.js';
import type { Run, Supplier } from './domain.js';

/** A cell as the API states it: the four words of the contract, the engine's finer status beside it. */
export type CellStatus = 'passed' | 'failed' | 'unverified' | 'not claimed';

export interface MatrixCell {
  supplier: string;
  status: CellStatus;
  /** The roll-up status from `compare` (pass, fail, warn, error, not-verified, not-run, not-claimed). */
  detail: MatrixStatus;
  /** The run whose report.json this cell comes from; null when the supplier has no finished run of the profile. */
  run: string | null;
}

export interface MatrixRow {
  profile: string;
  requirement: string;
  kind: 'requirement' | 'check';
  level: string;
  statement: string;
  principle: string;
  cells: MatrixCell[];
}

export interface CompareMatrix {
  suppliers: Array<{ id: string; name: string; runs: Record<string, string> }>;
  rows: MatrixRow[];
  warnings: string[];
}

const CELL_STATUS: Readonly<Record<MatrixStatus, CellStatus>> = {
  pass: 'passed',
  fail: 'failed',
  'not-claimed': 'not claimed',
  warn: 'unverified',
  error: 'unverified',
  'not-verified': 'unverified',
  'not-run': 'unverified',
};

/**
 * The evaluation's matrix: for each profile, the engine's `compareReports`
 * over the latest finished run of each supplier, re-keyed by supplier id and
 * run id so each cell links to its evidence. A supplier without a finished
 * run of a profile has `unverified` cells with `run: null`.
 *
 * @example
 *   const matrix = buildCompareMatrix(profiles, suppliers, latest.map((run) => ({ run, report })));
 */
export function buildCompareMatrix(profiles: string[], suppliers: Supplier[], latest: ReadonlyArray<{ run: Run; report: Report }>): CompareMatrix {
  const rows: MatrixRow[] = [];
  const warnings: string[] = [];
  for (const profile of profiles) {
    const inputs = suppliers.flatMap((supplier) => latest.filter((entry) => entry.run.profile === profile && entry.run.supplierId === supplier.id).map((entry) => ({ supplier, ...entry })));
    if (inputs.length === 0) continue;
    const comparison = compareReports(inputs.map((input) => ({ file: input.run.id, report: input.report })));
    warnings.push(...comparison.warnings.map((warning) => `${profile}: ${warning}`));
    for (const row of comparison.rows) {
      rows.push({
        profile,
        requirement: row.id,
        kind: row.kind,
        level: row.level,
        statement: row.statement,
        principle: row.principle,
        cells: suppliers.map((supplier) => {
          const index = inputs.findIndex((input) => input.supplier.id === supplier.id);
          if (index === -1) return { supplier: supplier.id, status: 'unverified', detail: 'not-run', run: null };
          const detail = row.cells[index]!;
          return { supplier: supplier.id, status: CELL_STATUS[detail], detail, run: inputs[index]!.run.id };
        }),
      });
    }
  }
  return {
    suppliers: suppliers.map((supplier) => ({
      id: supplier.id,
      name: supplier.name,
      runs: Object.fromEntries(latest.filter((entry) => entry.run.supplierId === supplier.id).map((entry) => [entry.run.profile, entry.run.id])),
    })),
    rows,
    warnings,
  };
}
