/**
 * Reports whose every supplier- or profile-controlled string is hostile, for
 * proving the human-readable formats escape, reveal and bound all of it.
 */
import type { Report } from '../../harness/report/report-types.js';
import { buildSampleReport } from './sample-report.js';

/**
 * Markup that would run script or restyle the page if any of it were
 * rendered rather than shown: a script element, event-handler attributes, a
 * `javascript:` link, a `</style>` breakout, an attribute-quote breakout, a
 * right-to-left override and a terminal escape. Each sets `window.__pwned`.
 */
export const HOSTILE =
  `<script>window.__pwned='script'</script><img src=x onerror="window.__pwned='img'">` +
  `<a href="javascript:window.__pwned='link'">click</a></style><style>body{display:none}</style>` +
  `"'><svg onload="window.__pwned='svg'"></svg>\u202eLIAF\u001b[2J[x](javascript:alert(1))![i](http://evil.example/p.png)|`;

/** Keys whose values are enums the renderers switch on; changing them would make the report invalid rather than hostile. */
const ENUM_KEYS = new Set(['status', 'level', 'verdict', 'mode', 'reportFormat', 'method']);

/**
 * The sample report with every free-text string (messages, bodies, header
 * names and values, URLs, profile title and statements, requirement ids…)
 * replaced by `make(original)`. Header *names* are object keys and are
 * replaced too.
 *
 * @example
 *   hostileReport((s) => s + HOSTILE).profile.title; // 'PNC Persons and Vehicles API<script>…'
 */
export function hostileReport(make: (original: string) => string): Report {
  return transform(buildSampleReport(), make, '') as Report;
}

function transform(value: unknown, make: (original: string) => string, key: string): unknown {
  if (typeof value === 'string') return ENUM_KEYS.has(key) ? value : make(value);
  if (Array.isArray(value)) return value.map((item) => transform(item, make, key));
  if (typeof value === 'object' && value !== null) {
    const renameKeys = key === 'headers';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [renameKeys ? make(k) : k, transform(v, make, k)]));
  }
  return value;
}
