/**
 * Which documented response, and which of its media types, a real response is
 * judged against. Getting this wrong is a false positive in waiting: a `2XX`
 * schema applied where a `200` is documented, or `*\/*` chosen over
 * `application/json`, validates a conformant body against the wrong schema.
 */
import { parsedMediaType, type ParsedMediaType } from '../media-type.js';
import type { MediaTypeSpec, OperationSpec, ResponseSpec } from '../profile/profile-types.js';

/**
 * The response spec for a status, by OpenAPI precedence: the exact code, then its
 * range (`2XX`, any case), then `default`.
 * @example findResponseSpec(op, 204) // the `204` spec if documented, else `2XX`, else `default`
 */
export function findResponseSpec(op: OperationSpec, status: number): ResponseSpec | undefined {
  const code = String(status);
  const range = `${code.charAt(0)}XX`;
  return (
    op.responses.find((r) => r.key === code) ??
    op.responses.find((r) => r.key.toUpperCase() === range) ??
    op.responses.find((r) => r.key.toLowerCase() === 'default')
  );
}

/**
 * The documented media type a `Content-Type` header falls under, most specific
 * first: the exact `type/subtype` (parameters ignored, case ignored), then
 * `type/*`, then `*\/*`. Among several exact matches the one whose documented
 * parameters the header carries wins (`application/json; version=2`).
 * A missing or malformed header matches only `*\/*`.
 * @example findMediaType(specs, 'application/json; charset=utf-8') // the `application/json` spec
 */
export function findMediaType(specs: MediaTypeSpec[], contentTypeHeader: string): MediaTypeSpec | undefined {
  const actual = parsedMediaType(contentTypeHeader);
  let best: MediaTypeSpec | undefined;
  let bestScore = 0;
  for (const spec of specs) {
    const range = parsedMediaType(spec.mediaRange);
    if (!range) continue;
    const score = matchScore(range, actual);
    // Strictly greater: on a tie the first documented media type wins.
    if (score > bestScore) {
      best = spec;
      bestScore = score;
    }
  }
  return best;
}

/** 0 = no match; otherwise higher is more specific. */
function matchScore(range: ParsedMediaType, actual: ParsedMediaType | undefined): number {
  if (range.type === '*' && range.subtype === '*') return 1;
  if (!actual) return 0;
  if (range.type !== actual.type) return 0;
  if (range.subtype === '*') return 2;
  if (range.subtype !== actual.subtype) return 0;
  // An exact match; a bonus per documented parameter the header repeats, so
  // `version=2` beats plain when the supplier says `version=2`, and never loses a match.
  let bonus = 0;
  for (const [name, value] of Object.entries(range.parameters)) {
    if (Object.hasOwn(actual.parameters, name) && actual.parameters[name]!.toLowerCase() === value.toLowerCase()) bonus++;
  }
  return 3 + bonus;
}
