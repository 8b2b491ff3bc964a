/**
 * One measured figure of `npm run bench`: a ratio against a baseline measured
 * in the same run, with the target it is held to. Every bench module returns
 * these; `bench/summary.ts` prints them all on one screen.
 */
export interface BenchFigure {
  /** What was measured, e.g. "--version vs node -e 0". */
  name: string;
  /** The ratio harness/baseline (or baseline/harness for throughput; see `better`). */
  ratio: number;
  /** The target ratio, e.g. 2 for "within 2x", 0.9 for "at least 0.9". */
  target: number;
  /** Whether a lower ratio is better (times, CPU) or a higher one (throughput). */
  better: 'lower' | 'higher';
  /** The absolute numbers behind the ratio, for the reader: "harness 92 ms, node 46 ms". */
  detail: string;
}

export function meetsTarget(figure: BenchFigure): boolean {
  return figure.better === 'lower' ? figure.ratio <= figure.target : figure.ratio >= figure.target;
}
