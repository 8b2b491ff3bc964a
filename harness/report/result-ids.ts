import { shellQuote } from '../http/curl.js';
import type { CheckResult } from '../results.js';

/**
 * Every result in a report gets an `id` a person can type: the check, the
 * requirement (when there is one), the method, the operation, for a result of
 * the negative phase what was changed and the value sent
 * (`query-limit-above-maximum-101`), and an
 * ordinal, e.g. `response-schema/BASE-04/GET/listPersons/1`. The ordinal counts the
 * results with the same prefix in report order. A run probes the results of
 * one operation in a fixed order (one read, then lifecycle steps in sequence),
 * so a rerun with the same options gives the same probe of the same check the
 * same id, whatever order concurrent operations finished in. Ids are unique
 * within a report by construction: two prefixes that slug alike share one
 * counter.
 */

/** Longest part of an id taken from one field: an operationId is the document author's text. */
const PART_CHARS = 80;

/**
 * One part of an id: letters, digits, `.`, `_` and `-` only, so the id is one
 * shell word without quotes and cannot carry markup or escapes.
 *
 * @example
 *   idPart('(service)'); // 'service'
 *   idPart('get persons/{id}'); // 'get-persons-id'
 */
export function idPart(text: string): string {
  const slug = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, PART_CHARS);
  return slug === '' ? 'x' : slug;
}

/**
 * The id's prefix, before the ordinal. A run's thousands of results repeat a
 * few checks and methods and each operationId once per check: each text is
 * slugged once per report, through `slugs`.
 */
function idPrefix(result: CheckResult, slugs: Map<string, string>): string {
  const slug = slugger(slugs);
  const prefix = `${slug(result.check)}/${operationPart(result, slug)}`;
  // A negative-phase result also names what was changed: its id does not move when another --seed picks other cases.
  // With the value it sent, so two cases of one kind (two values above a maximum) do not count on each other: which of them the seed picked moves no id.
  if (!result.negative) return prefix;
  const { location, name, mutation, value } = result.negative;
  return `${prefix}/${idPart(`${location}-${name}-${mutation}${value === undefined || location === 'credentials' ? '' : `-${valuePart(value)}`}`)}`;
}

/** `idPart` through a memo: a report's results repeat a few texts thousands of times. */
function slugger(slugs: Map<string, string>): (text: string) => string {
  return (text) => slugs.get(text) ?? slugs.set(text, idPart(text)).get(text)!;
}

/** The prefix after the check: `[requirement/]method/operationId`, slugged. */
function operationPart(result: Pick<CheckResult, 'requirement' | 'method' | 'operationId'>, slug: (text: string) => string): string {
  const where = `${slug(result.method)}/${slug(result.operationId)}`;
  return result.requirement === null ? where : `${slug(result.requirement)}/${where}`;
}

/** Longest mutated value kept as it is in an id; a longer one (or one that slugs differently) is cut and given a hash, so distinct values stay distinct. */
const VALUE_CHARS = 24;

function valuePart(value: string): string {
  const slug = idPart(value);
  if (slug === value && value.length <= VALUE_CHARS) return slug;
  return `${slug.slice(0, 12).replace(/-+$/, '')}-h${fnv1a(value)}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: short, stable, no dependency (this module also runs where node:crypto does not). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    hash ^= code & 0xff;
    hash = Math.imul(hash, 0x01000193) >>> 0;
    if (code > 0xff) {
      hash ^= code >>> 8;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The id of each result, in the same order: a function of the results and
 * their order, nothing else.
 *
 * @example
 *   resultIds([statusCodeResult, statusCodeResult]);
 *   // ['status-code/GET/listPersons/1', 'status-code/GET/listPersons/2']
 */
export function resultIds(results: readonly CheckResult[]): string[] {
  const slugs = new Map<string, string>();
  const slug = slugger(slugs);
  // Counters by the check's slug, then by the rest of the prefix: the same counter as one keyed
  // by the whole prefix (a slug holds no `/`, so the first `/` splits a prefix one way only),
  // with the rest of each probe's prefix built once per operation, not once per result.
  const counters = new Map<string, Map<string, number>>();
  const rests = new Map<string, Map<string, Map<string | null, string>>>();
  const ids: string[] = new Array(results.length);
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    let head: string;
    let rest: string;
    if (result.negative) {
      const prefix = idPrefix(result, slugs);
      const slash = prefix.indexOf('/');
      head = prefix.slice(0, slash);
      rest = prefix.slice(slash + 1);
    } else {
      const { requirement, method, operationId } = result;
      head = slug(result.check);
      let byMethod = rests.get(operationId);
      if (!byMethod) rests.set(operationId, (byMethod = new Map()));
      let byRequirement = byMethod.get(method);
      if (!byRequirement) byMethod.set(method, (byRequirement = new Map()));
      let known = byRequirement.get(requirement);
      if (known === undefined) byRequirement.set(requirement, (known = operationPart(result, slug)));
      rest = known;
    }
    let byRest = counters.get(head);
    if (!byRest) counters.set(head, (byRest = new Map()));
    const ordinal = (byRest.get(rest) ?? 0) + 1;
    byRest.set(rest, ordinal);
    ids[i] = `${head}/${rest}/${ordinal}`;
  }
  return ids;
}

/**
 * The results with their ids, in the same order. Existing ids are replaced.
 *
 * @example
 *   withResultIds([statusCodeResult, statusCodeResult]).map((r) => r.id);
 *   // ['status-code/GET/listPersons/1', 'status-code/GET/listPersons/2']
 */
export function withResultIds<T extends CheckResult>(results: readonly T[]): Array<T & { id: string }> {
  const ids = resultIds(results);
  return results.map((result, i) => {
    // The id first: a reader of report.json sees it before the rest of the result. (A spread,
    // then the id set again over an old one: an object rest pattern copies far more slowly.)
    const identified = { id: ids[i]!, ...result };
    identified.id = ids[i]!;
    return identified;
  });
}

/** What every id this module writes looks like (and reports/report.schema.json requires). */
const ID_PATTERN = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)+$/;

/**
 * The command that replays one result of a report, shown beside its curl
 * line: the same request with fresh credentials, judged by the same check.
 * An id of any other shape (a report edited by hand) is shell-quoted.
 *
 * @example
 *   replayCommandLine('status-code/GET/listPersons/1');
 *   // 'interop-harness replay report.json --result status-code/GET/listPersons/1'
 */
export function replayCommandLine(id: string): string {
  return `interop-harness replay report.json --result ${ID_PATTERN.test(id) ? id : shellQuote(id)}`;
}
