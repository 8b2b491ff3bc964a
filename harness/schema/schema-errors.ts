/**
 * Ajv's error objects turned into `SchemaError`s a reader can act on: body
 * pointers that name the missing or extra property, schema pointers into the
 * profile as written, plain messages, and `anyOf`/`oneOf` failures reduced to
 * the alternative that came closest instead of every branch's complaints.
 */
import type { ErrorObject } from 'ajv';
import type { SchemaError } from '../results.js';
import { joinPointer, getAtPointer, isWithin, localRefToPointer, isRecord } from '../json-pointer.js';
import { previewJson } from './json-preview.js';
import { dialectOfVersion, formatIsAnnotation, walkSchema } from './schema-keywords.js';
import { schemaNameAt } from './schema-locations.js';
import { DISCRIMINATOR_BASE_RULES, DISCRIMINATOR_RULES } from './oas30-schema.js';

/** Why values that break only formats make a warning, as a result says it. */
export const FORMAT_ANNOTATION = 'in OpenAPI 3.1 and later a format is an annotation, which a valid value need not meet (JSON Schema 2020-12 Validation 7.2), so this is a warning, not a failure';

/**
 * Whether every error is a `format` the document's dialect only annotates
 * (OpenAPI 3.1 and later): the value is valid against its schema. In 3.0 a
 * format breach stays a failure, as it always was; so does any set with
 * another error, or one whose collecting stopped at the error budget
 * (`truncated`), and a format inside a failed oneOf/anyOf, whose error is the
 * combinator's. An `if` error beside the formats is their consequence, not
 * another fault: its `then` failed on them.
 *
 * @example onlyAnnotatedFormats({ openapi: '3.1.0' }, [{ keyword: 'format', ... }]) // true
 */
export function onlyAnnotatedFormats(document: Record<string, unknown>, errors: readonly SchemaError[]): boolean {
  // An `if` error only says its `then` failed (a discriminator's rule, or the document's own if/then), whose errors are beside it.
  return errors.some((e) => e.keyword === 'format') && formatIsAnnotation(dialectOfVersion(document.openapi)) && errors.every((e) => e.keyword === 'format' || e.keyword === 'if');
}

/** Ends the message of a oneOf/anyOf error whose closest branch's own errors follow it in the list. */
const BRANCH_ERRORS_FOLLOW = ', whose errors come next in the list of schema errors';

/**
 * How many things are wrong with a value: a oneOf/anyOf error that only
 * introduces its closest branch's errors, listed after it, is not counted
 * again (Directus: 19 revisions with a null version were "38 schema errors").
 *
 * @example
 *   schemaProblemCount([{ keyword: 'oneOf', message: 'must match exactly one schema in oneOf; closest is oneOf/0, whose errors come next in the list of schema errors', ... }, { keyword: 'type', ... }]); // 1
 */
export function schemaProblemCount(errors: readonly SchemaError[]): number {
  let count = 0;
  // The note ending a list cut short counts the problems it stands for, not one.
  // Nor is an `if` error: its `then`'s errors, beside it, are the problems.
  for (const e of errors) if (e.keyword !== 'if' && !((e.keyword === 'oneOf' || e.keyword === 'anyOf') && e.message.endsWith(BRANCH_ERRORS_FOLLOW))) count += e.omitted ?? 1;
  return count;
}

/** At most this many errors per validation, the last being a note of how many were left out. */
export const MAX_SCHEMA_ERRORS = 50;
/** Offending values are shown as JSON cut to this many characters. */
export const MAX_VALUE_CHARS = 200;

/** What the mapper needs to know about the schemas Ajv ran. */
export interface ErrorContext {
  /** Translated schema object -> pointer into the profile document. */
  origins: WeakMap<object, string>;
  /** The document given to Ajv, to follow `$ref`s when grouping branch errors. */
  document: Record<string, unknown>;
  /** Per-document cache of what each branch schema can reach. */
  reachCache: WeakMap<object, Set<unknown>>;
}

interface Entry {
  error: ErrorObject;
  dropped: boolean;
  /** Extra words for a `type` message, e.g. ` or null` when a nullable wrapper was folded away. */
  typeSuffix?: string;
  message?: string;
}

/**
 * Map Ajv errors (from a validator compiled with `verbose: true`) to SchemaErrors.
 * @example
 *   toSchemaErrors(validate.errors ?? [], ctx)
 *   // [{pointer: '/data/0/name', keyword: 'required', schemaPath: '/components/schemas/Person/required', message: 'is missing, and the schema requires it'}]
 */
export function toSchemaErrors(errors: ErrorObject[], ctx: ErrorContext): SchemaError[] {
  const entries: Entry[] = [];
  for (const error of errors) {
    // A value no discriminator tag sends elsewhere is judged by the base: the base's errors say what is wrong.
    if (error.keyword === 'if' && isRecord(error.parentSchema) && DISCRIMINATOR_BASE_RULES.has(error.parentSchema)) continue;
    const entry: Entry = { error, dropped: false };
    // Ajv appends an anyOf/oneOf error after its branches' errors, so the branches
    // are already in `entries` (inner combinators already folded) when it arrives.
    // The summary goes first, so a reader sees "matches no alternative" before the details.
    const at = error.keyword === 'anyOf' || error.keyword === 'oneOf' ? foldAlternatives(entries, entry, ctx) : entries.length;
    if (!entry.dropped) entries.splice(at, 0, entry);
  }
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.dropped) continue;
    const mapped = mapError(entry, ctx);
    const key = `${mapped.pointer}\u0000${mapped.keyword}\u0000${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mapped);
  }
  if (out.length <= MAX_SCHEMA_ERRORS) return out;
  const kept = out.slice(0, MAX_SCHEMA_ERRORS - 1);
  const dropped = out.slice(kept.length);
  // Problems, as the result's count says them: a oneOf that only introduces its branch's errors is not one.
  const more = Math.max(1, schemaProblemCount(dropped));
  // Errors not shown that are all formats are noted as such: under 3.1 they still make only a warning (onlyAnnotatedFormats).
  // An `if` error is the consequence of the errors of its `then`, which are formats if the rest are (third review).
  const formats = dropped.every((e) => e.keyword === 'format' || e.keyword === 'if');
  kept.push({ pointer: '', keyword: formats ? 'format' : 'truncated', schemaPath: '', message: `${more} more ${formats ? 'format' : 'schema'} error${more === 1 ? '' : 's'} not shown`, omitted: more });
  return kept;
}

/**
 * Keep the combinator error plus the errors of the branch that came closest;
 * drop the other branches' errors. For the `anyOf: [X, {type: null}]` that
 * `nullable` became, show X's errors as if it were one schema that also allows null.
 */
function foldAlternatives(entries: Entry[], combinator: Entry, ctx: ErrorContext): number {
  const { error } = combinator;
  const branches = error.schema;
  if (!Array.isArray(branches)) return entries.length;

  // The branches' errors sit right before the combinator error, all at or under its instance path.
  const byBranch = new Map<number, Entry[]>();
  let firstIndex = entries.length;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as Entry;
    if (entry.dropped) continue;
    if (!isWithin(entry.error.instancePath, error.instancePath)) break;
    // A branch that *is* the failing schema wins over one that merely reaches it
    // (a recursive schema reaches everything, including its sibling branches).
    const direct = branches.indexOf(entry.error.parentSchema);
    const branch = direct >= 0 ? direct : branches.findIndex((b) => reaches(b, entry.error.parentSchema, ctx));
    if (branch < 0) break;
    byBranch.set(branch, [entry, ...(byBranch.get(branch) ?? [])]);
    firstIndex = i;
  }

  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  if (error.keyword === 'oneOf' && Array.isArray(passing)) {
    // Too many matches: the failing branches' errors say nothing useful.
    for (const list of byBranch.values()) for (const e of list) e.dropped = true;
    combinator.message = `must match exactly one schema in oneOf, but matches ${passing.map((p) => `oneOf/${String(p)}`).join(' and ')}`;
    return firstIndex;
  }
  if (byBranch.size === 0) return entries.length;

  let best = -1;
  let bestScore = Infinity;
  for (const [branch, list] of byBranch) {
    const score = branchScore(list, error.instancePath);
    if (score < bestScore || (score === bestScore && branch < best)) {
      best = branch;
      bestScore = score;
    }
  }
  for (const [branch, list] of byBranch) if (branch !== best) for (const e of list) e.dropped = true;

  const nullIndex = branches.findIndex(isNullBranch);
  if (branches.length === 2 && nullIndex >= 0 && best !== nullIndex) {
    // A folded `nullable`: the reader wrote one schema, so show one schema's errors.
    combinator.dropped = true;
    for (const e of byBranch.get(best) ?? []) {
      if (e.error.keyword === 'type' && e.error.instancePath === error.instancePath) e.typeSuffix = ' or null';
    }
    return firstIndex;
  }
  combinator.message = `must match ${error.keyword === 'oneOf' ? 'exactly one' : 'at least one'} schema in ${error.keyword}; closest is ${error.keyword}/${best}${BRANCH_ERRORS_FOLLOW}`;
  return firstIndex;
}

/** Fewer errors is closer; a wrong type at the combinator's own location means "not even this kind of value". */
function branchScore(list: Entry[], at: string): number {
  let score = list.length;
  for (const e of list) {
    if (e.error.instancePath !== at) continue;
    if (e.error.keyword === 'type') score += 1000;
    if (e.error.keyword === 'const' || e.error.keyword === 'enum') score += 100;
  }
  return score;
}

function isNullBranch(branch: unknown): boolean {
  return isRecord(branch) && branch.type === 'null' && Object.keys(branch).length === 1;
}

/** Whether `target` (a schema object) is `branch` or lies under it, following local `$ref`s. */
function reaches(branch: unknown, target: unknown, ctx: ErrorContext): boolean {
  if (branch === target) return true;
  if (!isRecord(branch)) return false;
  let set = ctx.reachCache.get(branch);
  if (!set) {
    set = new Set<unknown>();
    const pending: unknown[] = [branch];
    while (pending.length > 0) {
      const next = pending.pop();
      if (!isRecord(next) || set.has(next)) continue;
      const reached = set;
      walkSchema(next, '', '3.1', (node) => {
        if (reached.has(node)) return;
        reached.add(node);
        const ref = typeof node.$ref === 'string' ? localRefToPointer(node.$ref) : undefined;
        if (ref !== undefined) pending.push(getAtPointer(ctx.document, ref));
      });
    }
    ctx.reachCache.set(branch, set);
  }
  return set.has(target);
}

function mapError(entry: Entry, ctx: ErrorContext): SchemaError {
  const { error } = entry;
  const params = error.params as Record<string, unknown>;
  let pointer = error.instancePath;
  let value: unknown = error.data;
  let hasValue = true;
  let message = entry.message ?? error.message ?? `must pass "${error.keyword}"`;

  switch (error.keyword) {
    case 'required':
    case 'dependencies':
    case 'dependentRequired':
      if (typeof params.missingProperty === 'string') {
        // The pointer names the member that is missing, so the message speaks of it, not of its parent
        // ("/data/0/name must have required property 'name'" read as if /data/0/name were there).
        pointer = joinPointer(pointer, params.missingProperty);
        if (entry.message === undefined) {
          message = error.keyword === 'required' ? 'is missing, and the schema requires it' : `is missing, and the schema requires it when ${String(params.property)} is present`;
        }
      }
      hasValue = false;
      break;
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = params.additionalProperty ?? params.unevaluatedProperty;
      if (typeof name === 'string') {
        pointer = joinPointer(pointer, name);
        value = isRecord(error.data) ? error.data[name] : undefined;
        message = `is not allowed: the schema forbids properties it does not list (${error.keyword})`;
      }
      break;
    }
    case 'if': {
      // A discriminator's rule (oas30-schema.ts): what the named branch finds wrong is in the errors beside this one.
      const rule = error.parentSchema;
      const condition = isRecord(rule) && DISCRIMINATOR_RULES.has(rule) && isRecord(rule.if) ? rule.if : undefined;
      const property = Array.isArray(condition?.required) ? condition.required[0] : undefined;
      const tag = typeof property === 'string' && isRecord(condition?.properties) ? condition.properties[property] : undefined;
      if (typeof property === 'string' && isRecord(tag)) {
        pointer = joinPointer(pointer, property);
        value = isRecord(error.data) ? error.data[property] : undefined;
        message = `names the schema the discriminator maps ${JSON.stringify(tag.const)} to, and the object does not match that schema`;
      }
      break;
    }
    case 'type': {
      const expected = Array.isArray(params.type) ? params.type.join(' or ') : String(params.type);
      message = `must be ${expected}${entry.typeSuffix ?? ''}, got ${jsonType(error.data)}`;
      break;
    }
    case 'enum':
      if (Array.isArray(params.allowedValues)) message = `must be one of ${truncate(params.allowedValues.map((v) => JSON.stringify(v)).join(', '))}`;
      break;
    case 'const':
      message = `must be ${truncate(JSON.stringify(params.allowedValue) ?? 'undefined')}`;
      break;
    case 'format':
      message = `must match format "${String(params.format)}"`;
      break;
  }

  const schemaPath = schemaPathOf(error, ctx);
  const result: SchemaError = { pointer, keyword: error.keyword, schemaPath, message };
  // The component's name reads better than an escaped pointer; the pointer stays as the detail.
  const name = schemaNameAt(schemaPath);
  if (name !== undefined) result.schema = name;
  // previewJson, not JSON.stringify: the offending value may be the whole (huge, or 100,000-deep) body.
  if (hasValue && value !== undefined) result.value = truncate(previewJson(value, MAX_VALUE_CHARS));
  return result;
}

/**
 * Where the failing keyword is in the profile. Ajv's own `schemaPath` is relative
 * to whichever referenced schema it compiled separately, so it is ambiguous; the
 * schema object that holds the keyword is not.
 */
function schemaPathOf(error: ErrorObject, ctx: ErrorContext): string {
  const parent = error.parentSchema;
  const origin = isRecord(parent) ? ctx.origins.get(parent) : undefined;
  if (origin !== undefined && error.keyword !== 'false schema') return joinPointer(origin, error.keyword);
  const hash = error.schemaPath.indexOf('#');
  return hash >= 0 ? error.schemaPath.slice(hash + 1) : error.schemaPath;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Cut a string to MAX_VALUE_CHARS, marking the cut.
 * @example truncate('x'.repeat(300)).length // 201
 */
export function truncate(text: string): string {
  return text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS) + '…' : text;
}
