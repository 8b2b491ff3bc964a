/**
 * Boundary values of a schema (what Schemathesis calls its coverage phase):
 * the values either side of each limit, each marked valid or invalid by the
 * limits alone. For `minLength: 2, maxLength: 10` the lengths 1, 2, 3, 9, 10,
 * 11; the same for numbers and array sizes. OpenAPI 3.0's boolean
 * `exclusiveMinimum`/`exclusiveMaximum` and 3.1's numeric ones are both read.
 */

type Schema = Record<string, unknown>;

/** One boundary: the value (a number, or a length or item count) and whether the limits allow it. */
export interface Boundary {
  value: number;
  valid: boolean;
  /** Which limit it sits next to, e.g. `minimum 1`, `exclusiveMaximum 10`, `maxLength 10`. */
  limit: string;
}

/** The numeric limits of a schema, 3.0 and 3.1 spellings read alike. */
export interface NumericLimits {
  min?: { value: number; exclusive: boolean };
  max?: { value: number; exclusive: boolean };
}

/**
 * @example
 *   numericLimits({ minimum: 0, exclusiveMinimum: true }) // { min: { value: 0, exclusive: true } }
 *   numericLimits({ exclusiveMinimum: 0 })               // the same, in 3.1
 */
export function numericLimits(schema: Schema): NumericLimits {
  const limits: NumericLimits = {};
  if (typeof schema.exclusiveMinimum === 'number') limits.min = { value: schema.exclusiveMinimum, exclusive: true };
  else if (typeof schema.minimum === 'number') limits.min = { value: schema.minimum, exclusive: schema.exclusiveMinimum === true };
  if (typeof schema.exclusiveMaximum === 'number') limits.max = { value: schema.exclusiveMaximum, exclusive: true };
  else if (typeof schema.maximum === 'number') limits.max = { value: schema.maximum, exclusive: schema.exclusiveMaximum === true };
  // 3.1 allows both: the tighter one holds.
  if (typeof schema.exclusiveMinimum === 'number' && typeof schema.minimum === 'number' && schema.minimum > schema.exclusiveMinimum) limits.min = { value: schema.minimum, exclusive: false };
  if (typeof schema.exclusiveMaximum === 'number' && typeof schema.maximum === 'number' && schema.maximum < schema.exclusiveMaximum) limits.max = { value: schema.maximum, exclusive: false };
  return limits;
}

/** Whether a number is within the limits (and a whole number, for integers). */
export function withinLimits(limits: NumericLimits, value: number, integer: boolean): boolean {
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) return false;
  if (limits.min && (limits.min.exclusive ? value <= limits.min.value : value < limits.min.value)) return false;
  if (limits.max && (limits.max.exclusive ? value >= limits.max.value : value > limits.max.value)) return false;
  return true;
}

/**
 * Values 1 either side of each limit and the limit itself, marked by the
 * limits. Values beyond JavaScript's safe integers are left out: their text
 * would not be the number the document means.
 *
 * @example
 *   numberBoundaries({ type: 'integer', minimum: 1, maximum: 100 }, true)
 *   // 0 invalid, 1 valid, 2 valid, 99 valid, 100 valid, 101 invalid
 */
export function numberBoundaries(schema: Schema, integer: boolean): Boundary[] {
  const limits = numericLimits(schema);
  const found: Boundary[] = [];
  const add = (value: number, limit: string) => {
    if (!Number.isSafeInteger(Math.trunc(value)) || found.some((b) => b.value === value)) return;
    found.push({ value, valid: withinLimits(limits, value, integer), limit });
  };
  if (limits.min) {
    const name = limits.min.exclusive ? 'exclusiveMinimum' : 'minimum';
    for (const value of [limits.min.value - 1, limits.min.value, limits.min.value + 1]) add(value, `${name} ${limits.min.value}`);
  }
  if (limits.max) {
    const name = limits.max.exclusive ? 'exclusiveMaximum' : 'maximum';
    for (const value of [limits.max.value - 1, limits.max.value, limits.max.value + 1]) add(value, `${name} ${limits.max.value}`);
  }
  return found;
}

/** The largest size a boundary is tried at: beyond it a value is a load test (or, at 2^31, no string at all), not a boundary. */
export const MAX_SIZE = 4096;

/**
 * Sizes either side of a length or item-count range; negative sizes and sizes above MAX_SIZE are left out.
 *
 * @example
 *   sizeBoundaries(2, 10, 'Length') // 1 invalid, 2, 3, 9, 10 valid, 11 invalid
 */
export function sizeBoundaries(min: number | undefined, max: number | undefined, noun: 'Length' | 'Items'): Boundary[] {
  const found: Boundary[] = [];
  const valid = (size: number) => (min === undefined || size >= min) && (max === undefined || size <= max);
  const add = (size: number, limit: string) => {
    if (size < 0 || size > MAX_SIZE || !Number.isSafeInteger(size) || found.some((b) => b.value === size)) return;
    found.push({ value: size, valid: valid(size), limit });
  };
  if (min !== undefined) for (const size of [min - 1, min, min + 1]) add(size, `min${noun} ${min}`);
  if (max !== undefined) for (const size of [max - 1, max, max + 1]) add(size, `max${noun} ${max}`);
  return found;
}
