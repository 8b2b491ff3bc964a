/**
 * `multipleOf` judged on the decimal the supplier wrote, not on binary floating
 * point. Ajv divides doubles (`19.99 / 0.01` is 1998.9999999999998, not an
 * integer), so every price with cents would fail `multipleOf: 0.01`: a false
 * positive on the most common use of the keyword. Its `multipleOfPrecision`
 * option only moves the problem (an absolute tolerance on the quotient fails
 * large amounts such as 19999999.99), so the keyword is replaced in both dialects.
 */
import { _, str, type KeywordCxt, type KeywordDefinition } from 'ajv';
import type { AjvCore } from './formats.js';

/** A non-negative decimal as `digits × 10^-scale`, exactly. */
interface Decimal {
  digits: bigint;
  scale: number;
}

/**
 * The shortest decimal that reads back as `value`: what `JSON.parse` was given
 * for any number a supplier can send without exceeding double precision.
 */
function toDecimal(value: number): Decimal | undefined {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(value)));
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  const scale = fraction.length - Number(match[3] ?? 0);
  const digits = BigInt((match[1] ?? '') + fraction);
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

/**
 * Whether `value` is an integer multiple of `divisor`. Also true when the
 * quotient is within a few units in the last place of an integer: a supplier that
 * computes `0.1 + 0.2` in doubles sends 0.30000000000000004, which is a multiple
 * of 0.1 in everything but its last binary digit.
 * A divisor that is not a positive finite number is a profile error; it fails nothing.
 * @example isMultipleOf(19.99, 0.01) // true
 * @example isMultipleOf(0.015, 0.01) // false
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(divisor) || divisor <= 0) return true;
  const quotient = value / divisor;
  if (Number.isInteger(quotient)) return true;
  if (Math.abs(quotient - Math.round(quotient)) <= Math.abs(quotient) * 4 * Number.EPSILON) return true;
  const a = toDecimal(value);
  const b = toDecimal(divisor);
  if (!a || !b || b.digits === 0n) return true;
  const scale = Math.max(a.scale, b.scale);
  const left = a.digits * 10n ** BigInt(scale - a.scale);
  const right = b.digits * 10n ** BigInt(scale - b.scale);
  return left % right === 0n;
}

const multipleOfKeyword: KeywordDefinition = {
  keyword: 'multipleOf',
  type: 'number',
  schemaType: 'number',
  // Same message and params as Ajv's own keyword, so reports read the same.
  error: {
    message: ({ schemaCode }) => str`must be multiple of ${schemaCode}`,
    params: ({ schemaCode }) => _`{multipleOf: ${schemaCode}}`,
  },
  code(cxt: KeywordCxt) {
    const check = cxt.gen.scopeValue('func', { ref: isMultipleOf });
    cxt.fail(_`!${check}(${cxt.data}, ${cxt.schemaCode})`);
  },
};

/**
 * Replace Ajv's `multipleOf` with the decimal-safe one. Call before compiling.
 * @example useDecimalMultipleOf(new Ajv({strict: false}))
 */
export function useDecimalMultipleOf(ajv: AjvCore): void {
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword(multipleOfKeyword);
}
