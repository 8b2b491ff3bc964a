/**
 * Parameter values to URL and header text, per the OpenAPI `style`/`explode`
 * defaults the harness supports: `simple` for path and header, `form` for query.
 * Less common styles (matrix, label, deepObject, pipe/space delimited) fall back
 * to these, which the planner notes rather than guesses at.
 */

/** `simple` style: `a,b,c`; objects `k,v,k2,v2` (or `k=v,k2=v2` exploded). */
export function serializeSimple(value: unknown, explode = false): string {
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => (explode ? `${k}=${scalarText(v)}` : `${k},${scalarText(v)}`))
      .join(',');
  }
  return scalarText(value);
}

/** `form` style query pairs; exploded arrays repeat the name, exploded objects spread their keys. */
export function serializeFormQuery(name: string, value: unknown, explode = true): Array<[string, string]> {
  if (Array.isArray(value)) {
    return explode ? value.map((v) => [name, scalarText(v)]) : [[name, value.map(scalarText).join(',')]];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return explode ? entries.map(([k, v]) => [k, scalarText(v)]) : [[name, entries.flat().map(scalarText).join(',')]];
  }
  return [[name, scalarText(value)]];
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
