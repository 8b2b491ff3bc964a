import { HarnessError } from '../errors.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * `10s`, `500ms`, `2m` or a bare number of milliseconds, for flags like `--timeout`.
 *
 * @example
 *   parseDuration('--timeout', '10s') // 10000
 */
export function parseDuration(flag: string, raw: string): number {
  return parseQuantity(flag, raw, DURATION_UNITS, 'ms', 'a duration such as 10s, 500ms or 2m');
}

/** `10mb`, `512kb` or a bare number of bytes, for flags like `--max-body`. */
export function parseSize(flag: string, raw: string): number {
  return parseQuantity(flag, raw, SIZE_UNITS, 'b', 'a size such as 10mb, 512kb or 4096');
}

/** A positive number, for flags like `--concurrency` and `--rate`. */
export function parsePositive(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new HarnessError('USAGE', `${flag} takes a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * A percentage from 0 to 100, with or without `%` and with at most six
 * decimals (more would be rounded to a threshold nobody typed), for `--min-coverage`.
 *
 * @example
 *   parsePercentage('--min-coverage', '80%') // 80
 */
export function parsePercentage(flag: string, raw: string): number {
  const match = /^(\d+(?:\.\d{1,6})?|\.\d{1,6})\s*%?$/.exec(raw.trim());
  const value = match ? Number(match[1]) : NaN;
  if (!(value >= 0 && value <= 100)) throw new HarnessError('USAGE', `${flag} takes a percentage from 0 to 100 with at most six decimals, such as 80 or 80%, got ${JSON.stringify(raw)}`);
  return value;
}

function parseQuantity(flag: string, raw: string, units: Record<string, number>, bare: string, form: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = match ? (match[2] || bare).toLowerCase() : '';
  const factor = Object.hasOwn(units, unit) ? units[unit] : undefined;
  if (!match || factor === undefined || Number(match[1]) <= 0) {
    throw new HarnessError('USAGE', `${flag} takes ${form}, got ${JSON.stringify(raw)}`);
  }
  return Math.round(Number(match[1]) * factor);
}
