/**
 * The UK Police Industry Charter principles a report is organised by, and the
 * one table that says which principle a result counts towards. The HTML,
 * Markdown and terminal reports and `compare` all group by these, so a reader
 * sees the same numbers under the same headings whichever format they open.
 */
import type { CheckResult, ResultStatus } from '../results.js';
import type { Report, RequirementSummary } from './report-types.js';

/** Principle ids, in the order reports show them. `other` collects results no rule places. */
export const PRINCIPLE_IDS = ['interoperability-first', 'data-sharing', 'transparency', 'security', 'sustainability', 'partnership', 'other'] as const;

export type PrincipleId = (typeof PRINCIPLE_IDS)[number];

export interface Principle {
  id: PrincipleId;
  /** Heading as a reader knows it from the Charter. */
  title: string;
  /** One sentence: what evidence under this heading shows. */
  summary: string;
  /** The aspects a reader expects under this heading, each with the checks that assess it. */
  topics: Array<{ name: string; checks: readonly string[] }>;
}

/**
 * The principles with their topics. A topic's `checks` are check ids or
 * `prefix-*` globs; a topic none of whose checks ran is shown as "not assessed"
 * so a panel can see the gap rather than assume it was covered.
 *
 * @example
 *   PRINCIPLES.find((p) => p.id === 'sustainability')?.title; // 'Sustainability'
 */
export const PRINCIPLES: readonly Principle[] = [
  {
    id: 'interoperability-first',
    title: 'Interoperability First',
    summary: 'The live API matches its published description and uses standard discovery, authentication, errors and pagination.',
    topics: [
      { name: 'Discovery', checks: ['discovery*', 'openapi-*'] },
      { name: 'Conformance', checks: ['server-error', 'status-code', 'content-type', 'response-schema', 'response-headers', 'status-codes', 'json-object-root', 'iso-dates', 'probe'] },
      { name: 'Errors', checks: ['problem-details', 'problem-json', 'error-*'] },
      { name: 'Pagination', checks: ['pagination*'] },
      { name: 'Versioning', checks: ['versioning*'] },
    ],
  },
  {
    id: 'data-sharing',
    title: 'Data sharing and export',
    summary: 'Data can be taken out in open formats, whole and intact.',
    topics: [
      { name: 'Export', checks: ['export-*'] },
      { name: 'Integrity', checks: ['hash-integrity'] },
    ],
  },
  {
    id: 'transparency',
    title: 'Maximum Transparency by Default',
    summary: 'The product explains itself: transparency records, documentation and errors a user can understand.',
    topics: [
      { name: 'Transparency records', checks: ['transparency-*'] },
      { name: 'Documentation', checks: ['documentation-*'] },
    ],
  },
  {
    id: 'security',
    title: 'Security',
    summary: 'Protected operations refuse anonymous callers and responses carry protective headers.',
    topics: [
      { name: 'Authentication required', checks: ['auth-required'] },
      { name: 'Transport and headers', checks: ['security-*', 'tls-*'] },
    ],
  },
  {
    id: 'sustainability',
    title: 'Sustainability',
    summary: 'Data moves efficiently: compression, caching and lean payloads (Net Zero 2030).',
    topics: [
      { name: 'Compression', checks: ['compression'] },
      { name: 'Caching', checks: ['conditional-requests', 'cache-*'] },
      { name: 'Payload efficiency', checks: ['payload-*'] },
    ],
  },
  {
    id: 'partnership',
    title: 'Collaboration and partnership',
    summary: 'Cross-sector open standards and shared code lists are reused rather than bespoke formats.',
    topics: [{ name: 'Shared standards', checks: ['coded-values'] }],
  },
  {
    id: 'other',
    title: 'Other requirements',
    summary: 'Results that no Charter principle is recorded for.',
    topics: [],
  },
];

/** Principle names profiles use that mean the same as one of ours. */
const PRINCIPLE_ALIASES: Readonly<Record<string, PrincipleId>> = {
  'interoperability-first': 'interoperability-first',
  interoperability: 'interoperability-first',
  'data-sharing': 'data-sharing',
  export: 'data-sharing',
  transparency: 'transparency',
  'maximum-transparency-by-default': 'transparency',
  mtbd: 'transparency',
  security: 'security',
  sustainability: 'sustainability',
  partnership: 'partnership',
  collaboration: 'partnership',
  'collaboration-and-partnership': 'partnership',
};

/**
 * The one table placing a check under a principle, for results without a
 * requirement (generic mode, the `probe` pseudo-check) or whose requirement
 * names no principle. First match wins; `*` at the end matches any suffix.
 */
const CHECK_PRINCIPLES: ReadonlyArray<readonly [pattern: string, principle: PrincipleId]> = [
  ['server-error', 'interoperability-first'],
  ['status-code', 'interoperability-first'],
  ['status-codes', 'interoperability-first'],
  ['content-type', 'interoperability-first'],
  ['response-schema', 'interoperability-first'],
  ['response-headers', 'interoperability-first'],
  ['probe', 'interoperability-first'],
  ['discovery*', 'interoperability-first'],
  ['json-object-root', 'interoperability-first'],
  ['iso-dates', 'interoperability-first'],
  ['versioning*', 'interoperability-first'],
  ['problem-details', 'interoperability-first'],
  ['openapi-*', 'interoperability-first'],
  ['auth-scheme*', 'interoperability-first'],
  ['problem-json', 'interoperability-first'],
  ['error-*', 'interoperability-first'],
  ['pagination*', 'interoperability-first'],
  ['export-*', 'data-sharing'],
  ['hash-integrity', 'data-sharing'],
  ['coded-values', 'partnership'],
  ['transparency-*', 'transparency'],
  ['documentation-*', 'transparency'],
  ['auth-required', 'security'],
  ['security-*', 'security'],
  ['tls-*', 'security'],
  ['compression', 'sustainability'],
  ['conditional-requests', 'sustainability'],
  ['cache-*', 'sustainability'],
  ['payload-*', 'sustainability'],
];

/**
 * Whether a check id matches a pattern from the tables above.
 *
 * @example
 *   matchesCheckPattern('export-csv', 'export-*'); // true
 */
export function matchesCheckPattern(check: string, pattern: string): boolean {
  return pattern.endsWith('*') ? check.startsWith(pattern.slice(0, -1)) : check === pattern;
}

/**
 * The principle a profile's own `principle` text means, or undefined when it
 * names none we know (the result then falls back to its check).
 *
 * @example
 *   principleFromName('Interoperability First'); // 'interoperability-first'
 */
export function principleFromName(name: string | undefined): PrincipleId | undefined {
  if (name === undefined) return undefined;
  const key = name.trim().toLowerCase().replace(/[\s_]+/g, '-');
  return Object.hasOwn(PRINCIPLE_ALIASES, key) ? PRINCIPLE_ALIASES[key] : undefined;
}

/**
 * The principle a check counts towards when nothing else says.
 *
 * @example
 *   principleOfCheck('compression'); // 'sustainability'
 *   principleOfCheck('made-up'); // 'other'
 */
export function principleOfCheck(check: string): PrincipleId {
  return CHECK_PRINCIPLES.find(([pattern]) => matchesCheckPattern(check, pattern))?.[1] ?? 'other';
}

/**
 * The principle of a requirement: its own `principle` when it names a known
 * one, else the principle of its first check.
 *
 * @example
 *   principleOfRequirement({ id: 'R1', level: 'MUST', statement: '…', checks: ['export-csv'] }); // 'data-sharing'
 */
export function principleOfRequirement(requirement: RequirementSummary): PrincipleId {
  return principleFromName(requirement.principle) ?? (requirement.checks[0] === undefined ? 'other' : principleOfCheck(requirement.checks[0]));
}

/**
 * A function placing each result of `report` under a principle: by its
 * requirement's principle, else by its check.
 *
 * @example
 *   const principleOf = resultPrincipleResolver(report);
 *   principleOf(report.results[0]); // 'interoperability-first'
 */
export function resultPrincipleResolver(report: Pick<Report, 'requirements'>): (result: CheckResult) => PrincipleId {
  const byRequirement = new Map(report.requirements.map((r) => [r.id, principleFromName(r.principle)]));
  return function principleOf(result: CheckResult): PrincipleId {
    const fromRequirement = result.requirement === null ? undefined : byRequirement.get(result.requirement);
    return fromRequirement ?? principleOfCheck(result.check);
  };
}

export type StatusCounts = Record<ResultStatus, number> & { total: number };

/**
 * Result counts per principle, in `PRINCIPLE_IDS` order, only for principles
 * that have results.
 *
 * @example
 *   countByPrinciple(report)[0]; // { principle: PRINCIPLES[0], counts: { total: 30, pass: 24, skip: 6, … } }
 */
export function countByPrinciple(report: Pick<Report, 'requirements' | 'results'>): Array<{ principle: Principle; counts: StatusCounts }> {
  const principleOf = resultPrincipleResolver(report);
  const counts = new Map<PrincipleId, StatusCounts>();
  for (const result of report.results) {
    const id = principleOf(result);
    const entry = counts.get(id) ?? { total: 0, pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
    entry.total += 1;
    entry[result.status] += 1;
    counts.set(id, entry);
  }
  return PRINCIPLES.filter((p) => counts.has(p.id)).map((principle) => ({ principle, counts: counts.get(principle.id)! }));
}

/**
 * The principle record for an id.
 *
 * @example
 *   principleById('transparency').title; // 'Maximum Transparency by Default'
 */
export function principleById(id: PrincipleId): Principle {
  return PRINCIPLES.find((p) => p.id === id)!;
}
