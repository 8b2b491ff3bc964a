/**
 * The negative phase's plan: from an operation and the valid probe the run
 * planned for it, requests that the document says are invalid in exactly one
 * way (or that sit on a valid boundary), each with what was changed and why.
 * Pure: no request is sent here. When a change's invalidity is doubtful (text
 * a server may read as the right type, a pattern no linear engine can run, an
 * empty value a server may read as "absent"), no case is made from it: a
 * finding the document does not support is worse than none.
 */
import { changeVerbOf } from './named-change.js';
import type { OutgoingRequest } from '../http/exchange-types.js';
import { FORGED_API_KEY, FORGED_AUTHORIZATION } from '../http/forged-token.js';
import { withoutQueryPairs } from '../query-pairs.js';
import { isSecretFieldName, isSensitiveHeader } from '../http/redactor.js';
import { followLocalRef } from '../follow-local-ref.js';
import type { OperationSpec, ParameterSpec } from '../profile/profile-types.js';
import type { NegativeMutation } from '../results.js';
import { linearPatternTest } from '../schema/regexp-engine.js';
import { apiKeyParameterNames, credentialsFor, isSchemeParameter } from './credentials.js';
import { MAX_SIZE, numberBoundaries, numericLimits, sizeBoundaries, withinLimits } from './boundary-values.js';
import { schemaMismatch } from './fits-schema.js';
import { planProbe, replannedPathValue, type PlanContext, type PlannedProbe } from './plan-probe.js';
import { declaredValue, generateValue } from './sample-value.js';
import { createRandom, seedFor, shuffled } from './seeded-random.js';
import { headerText, queryPairs, type ValueForm } from './serialize-parameter.js';
import { excerpt, malformedJson, memberChanges } from './invalid-json-members.js';
import { takesJsonText } from '../media-type.js';
import { createValueHarvest } from './value-harvest.js';

/** A planned valid probe: the request every case changes in one way. */
export type ReadyProbe = Extract<PlannedProbe, { kind: 'ready' }>;

/** The check that judges each kind of case, by ID. */
export type NegativeCheckId = 'negative-data-rejection' | 'positive-data-acceptance' | 'missing-required-header' | 'unknown-id' | 'unsupported-method' | 'ignored-auth';

/** One request of the negative phase: the changed request, what changed, and the check that judges the answer. */
export interface NegativeCase {
  check: NegativeCheckId | (string & {});
  mutation: NegativeMutation;
  request: OutgoingRequest;
}

/**
 * A case in one line, as --dry-run lists it and a case left unsent is reported:
 * where, what, the value, and why.
 *
 * @example
 *   describeMutation({ location: 'query', name: 'limit', mutation: 'above-maximum', value: '101', expect: 'reject', reason: 'limit 101 is outside the maximum 100' });
 *   // 'query limit above-maximum "101": limit 101 is outside the maximum 100'
 */
export function describeMutation(mutation: NegativeMutation): string {
  const value = mutation.value === undefined || mutation.value === mutation.name ? '' : ` ${JSON.stringify(mutation.value)}`;
  return `${mutation.location} ${mutation.name} ${mutation.mutation}${value}: ${mutation.reason}`;
}

type Schema = Record<string, unknown>;

/**
 * A value that is plainly not of a format, for the formats whose meaning no
 * reader disputes: a uuid (RFC 9562), an RFC 3339 date or date-time (a
 * `since` filter is the usual one). Nothing near a boundary (no 30 February),
 * so a verdict never rests on how strict a date parser is. Other formats
 * (email, uri, hostname) are left alone: what counts as one differs too much
 * between validators.
 */
const NOT_OF_FORMAT: Readonly<Record<string, string>> = {
  uuid: 'not-a-uuid',
  date: 'not-a-date',
  'date-time': 'not-a-date-time',
};

/**
 * Formats whose wrong value is sent in a path or query only. A date in a
 * header is nearly always a conditional one (`If-Modified-Since`), and RFC 9110
 * (13.1.3, 13.1.4) tells a server to ignore an invalid date there: a 200 would
 * be conformant, not a failure.
 */
const DATE_FORMATS: ReadonlySet<string> = new Set(['date', 'date-time']);

/** Header parameters no case changes: the ones OpenAPI ignores, and the ones the HTTP stack sets itself. */
const UNMUTABLE_HEADERS = new Set(['accept', 'content-type', 'authorization', 'host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-connection', 'proxy-authorization', 'cookie']);

/**
 * Every case for one operation, in a stable order (choose with `chooseNegativeCases`).
 *
 * @example
 *   negativeCases(listPersons, validProbe, planContext)
 *   // [{ check: 'negative-data-rejection', mutation: { location: 'query', name: 'limit', mutation: 'above-maximum', value: '101', … } }, …]
 */
export function negativeCases(operation: OperationSpec, valid: ReadyProbe, context: PlanContext): NegativeCase[] {
  const cases: NegativeCase[] = [];
  const document = context.document;
  const secretNames = new Set(isRecordLike(document) ? apiKeyParameterNames(document) : []);
  // Values the run was given as secrets: the credentials placed on this operation and the user's own
  // --header values (all redacted as secrets). Changing one would put part of it in a report or a dry run.
  const applied = credentialsFor(context.credentials, operation);
  const userHeaders = new Set(Object.keys(context.headers).map((name) => name.toLowerCase()).filter((name) => name !== 'user-agent'));
  const givenAsSecret = (parameter: ParameterSpec) =>
    parameter.in === 'header'
      ? Object.hasOwn(applied.headers, parameter.name.toLowerCase()) || userHeaders.has(parameter.name.toLowerCase())
      : parameter.in === 'query' && Object.hasOwn(applied.query, parameter.name);
  for (const parameter of operation.parameters) {
    if (parameter.in === 'cookie' || givenAsSecret(parameter)) continue;
    // OpenAPI says to ignore Accept, Content-Type and Authorization parameters; the HTTP stack writes Host, Content-Length and the like itself.
    if (parameter.in === 'header' && UNMUTABLE_HEADERS.has(parameter.name.toLowerCase())) continue;
    // Credentials are the auth cases' business; a credential-named parameter is never invented.
    if (isSchemeParameter(context.credentials, parameter.in, parameter.name) || secretNames.has(parameter.name)) continue;
    if (parameter.in === 'header' ? isSensitiveHeader(parameter.name) : isSecretFieldName(parameter.name)) continue;
    if (parameter.required && parameter.in !== 'path') {
      const request = withoutParameter(valid.request, parameter);
      if (request) {
        const reason = `the document marks ${parameter.in} parameter ${parameter.name} as required; the request leaves it out`;
        cases.push({ check: parameter.in === 'header' ? 'missing-required-header' : 'negative-data-rejection', mutation: { location: parameter.in, name: parameter.name, mutation: 'missing', expect: 'reject', reason }, request });
      }
    }
    if (parameter.in === 'path' && (parameter.style ?? 'simple') !== 'simple') continue;
    // A value written in a media type (`filter={"limit":2}`) is not URL text: the value cases below
    // spell URL text, so they would send `101` where JSON wants a number, or `abc` that is no JSON at all.
    if (parameter.mediaType !== undefined) {
      cases.push(...jsonParameterCases(operation, valid, context, parameter));
      continue;
    }
    if (parameter.in === 'query') cases.push(...arraySizeCases(operation, valid, context, parameter));
    const schema = simpleSchema(document, parameter.schema);
    if (!schema) continue;
    const base = baseValue(parameter, valid, document);
    const change = (value: string) => withValue(operation, valid, context, parameter, value);
    for (const found of valueCases(parameter, schema, base, document, sentValue(parameter, valid))) {
      const request = change(found.value);
      if (request) cases.push({ check: found.expect === 'accept' ? 'positive-data-acceptance' : 'negative-data-rejection', mutation: { location: parameter.in, name: parameter.name, ...found }, request });
    }
    if (parameter.in === 'path') {
      const unknown = unknownId(schema, base, parameter, document);
      const request = unknown === undefined ? undefined : change(unknown);
      if (request) {
        const reason = `${parameter.name} ${unknown} fits the document's schema but is not an id the API was seen to have (the valid probe used ${base})`;
        cases.push({ check: 'unknown-id', mutation: { location: 'path', name: parameter.name, mutation: 'unknown-id', value: unknown, expect: 'reject', reason }, request });
      }
    }
  }
  cases.push(...authCases(operation, valid, context));
  return cases;
}

/**
 * An undocumented method on a path, read-only: `GET` where the path documents
 * no GET or HEAD (sent with the credentials of a documented operation on it),
 * else `TRACE` sent without any credentials (it echoes the request back).
 * Both are safe by definition; DELETE, PUT, PATCH and POST never are.
 */
export function unsupportedMethodCase(documented: ReadonlySet<string>, valid: ReadyProbe, context?: Pick<PlanContext, 'credentials' | 'headers'>): NegativeCase | undefined {
  const upper = new Set([...documented].map((m) => m.toUpperCase()));
  const method = !upper.has('GET') && !upper.has('HEAD') ? 'GET' : !upper.has('TRACE') ? 'TRACE' : undefined;
  if (!method) return undefined;
  const anonymous = method === 'TRACE' ? withoutCredentials(valid.request, valid.operation, context) : undefined;
  const headers = anonymous ? anonymous.headers : { ...valid.request.headers };
  delete headers['content-type'];
  const url = anonymous ? anonymous.url : valid.request.url;
  const { body: _body, ...rest } = valid.request;
  const reason = `the document gives ${valid.operation.path} only ${[...upper].sort().join(', ')}; ${method} is not one of them, so the API should answer 405 with an Allow header`;
  return {
    check: 'unsupported-method',
    mutation: { location: 'method', name: method, mutation: 'undocumented-method', value: method, expect: 'reject', reason },
    request: { ...rest, method, url, headers, carriesCredentials: method === 'TRACE' ? false : valid.request.carriesCredentials },
  };
}

/**
 * At most `max` cases, chosen by the seed (and the operation, so adding one
 * changes no other's choice). Kinds take turns, so a budget of 8 covers the
 * unknown id, the wrong-typed path value and the auth cases before it spends
 * the rest on boundaries; path values come first within their kind.
 */
export function chooseNegativeCases(cases: readonly NegativeCase[], max: number, seed: number, key: string): NegativeCase[] {
  const random = createRandom(seedFor(seed, key));
  const order = ['unknown-id', 'negative-data-rejection', 'missing-required-header', 'ignored-auth', 'unsupported-method', 'positive-data-acceptance'];
  const kinds = [...new Set([...order, ...cases.map((c) => c.check)])];
  const queues = kinds.map((kind) => {
    const mine = shuffled(cases.filter((c) => c.check === kind), random);
    return [...mine.filter((c) => c.mutation.location === 'path'), ...mine.filter((c) => c.mutation.location !== 'path')];
  });
  const chosen: NegativeCase[] = [];
  while (chosen.length < max && queues.some((q) => q.length > 0)) {
    for (const queue of queues) if (chosen.length < max && queue.length > 0) chosen.push(queue.shift()!);
  }
  return chosen;
}

type ValueCase = Omit<NegativeMutation, 'location' | 'name'> & { value: string };

/** Wrong types, out-of-range numbers and lengths, pattern and enum misses, and valid boundaries to accept. */
function valueCases(parameter: ParameterSpec, schema: Schema, base: string | undefined, document: unknown, sent: string | undefined): ValueCase[] {
  const found: ValueCase[] = [];
  const types = typeList(schema);
  const numeric = types.length === 1 && (types[0] === 'integer' || types[0] === 'number');
  const name = parameter.name;
  const invalid = (value: string) => schemaMismatch(document, schema, value) !== undefined;
  // Valid boundaries are asked of query and header values only: a valid path value may still name nothing.
  const mayAccept = parameter.in !== 'path';
  if (numeric || types.length === 1 && types[0] === 'boolean') {
    // Text no server reads as a number or a boolean.
    if (invalid('abc')) found.push({ mutation: 'wrong-type', value: 'abc', expect: 'reject', reason: `${name} must be of type ${types[0]}; "abc" is not` });
  }
  if (numeric) {
    const integer = types[0] === 'integer';
    const limits = numericLimits(schema);
    for (const boundary of numberBoundaries(schema, integer)) {
      const text = String(boundary.value);
      if (!boundary.valid) {
        if (!invalid(text)) continue;
        const below = limits.min !== undefined && boundary.value <= limits.min.value;
        found.push({ mutation: below ? 'below-minimum' : 'above-maximum', value: text, expect: 'reject', reason: `${name} ${text} is outside the ${boundary.limit}` });
      } else if (mayAccept && schema.multipleOf === undefined && !Array.isArray(schema.enum) && !invalid(text)) {
        found.push({ mutation: 'boundary', value: text, expect: 'accept', reason: `${name} ${text} is a valid boundary value (${boundary.limit})` });
      }
    }
  }
  if (types.length === 1 && types[0] === 'string' && schema.const === undefined) {
    const pattern = typeof schema.pattern === 'string' ? linearPatternTest(schema.pattern) : undefined;
    // A pattern no linear engine can decide: no case relies on it.
    if (typeof schema.pattern === 'string' && !pattern) return found;
    const minLength = typeof schema.minLength === 'number' ? schema.minLength : undefined;
    const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
    const lengthOk = (text: string) => (minLength === undefined || [...text].length >= minLength) && (maxLength === undefined || [...text].length <= maxLength);
    const plain = !Array.isArray(schema.enum) && schema.format === undefined;
    if (plain && base !== undefined) {
      for (const boundary of sizeBoundaries(minLength, maxLength, 'Length')) {
        // An empty value may be read as "not given"; a valid length may still name nothing (an opaque cursor).
        if (boundary.valid || boundary.value === 0) continue;
        const text = ofLength(base, boundary.value);
        if (text === undefined || (pattern && !pattern(text))) continue;
        const mutation = minLength !== undefined && boundary.value < minLength ? 'too-short' : 'too-long';
        found.push({ mutation, value: text, expect: 'reject', reason: `${name} is ${boundary.value} characters long, outside the ${boundary.limit}` });
      }
    }
    if (plain && pattern && (minLength ?? 1) <= MAX_SIZE) {
      const size = Math.max(minLength ?? 1, 1);
      const candidate = ['~', '!', '_', 'Z', '0'].map((c) => c.repeat(size)).find((text) => lengthOk(text) && !pattern(text));
      if (candidate !== undefined) found.push({ mutation: 'pattern', value: candidate, expect: 'reject', reason: `${name} ${JSON.stringify(candidate)} does not match the pattern ${String(schema.pattern)}` });
    }
    if (Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every((v) => typeof v === 'string' || v === null)) {
      const candidate = ['interop-invalid', 'invalid', 'zz', 'z'].find((text) => !(schema.enum as unknown[]).includes(text) && lengthOk(text) && (!pattern || pattern(text)));
      if (candidate !== undefined) found.push({ mutation: 'enum', value: candidate, expect: 'reject', reason: `${name} ${JSON.stringify(candidate)} is not one of ${(schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` });
      if (mayAccept) {
        for (const value of schema.enum) {
          if (typeof value !== 'string' || value === '' || value === sent) continue;
          // RPC APIs name the action in the query (Matomo's `method=SitesManager.deleteSite`): a value naming a change is not sent (third review).
          if (changeVerbOf(value) !== undefined) continue;
          found.push({ mutation: 'enum-value', value, expect: 'accept', reason: `${name} ${JSON.stringify(value)} is one of the document's enum values` });
        }
      }
    }
    const notOfFormat = typeof schema.format === 'string' && Object.hasOwn(NOT_OF_FORMAT, schema.format) && !(parameter.in === 'header' && DATE_FORMATS.has(schema.format)) ? NOT_OF_FORMAT[schema.format] : undefined;
    if (notOfFormat !== undefined && !Array.isArray(schema.enum) && !pattern) {
      const text = notOfFormat;
      if (lengthOk(text) && invalid(text)) found.push({ mutation: 'format', value: text, expect: 'reject', reason: `${name} ${JSON.stringify(text)} is not a ${String(schema.format)}, as its format says it must be` });
    }
  }
  return found;
}

/**
 * A value of the right type and shape that the API should not have: digits
 * become 9s and lower-case letters z (f for hexadecimal ids, and a UUID keeps
 * its version and variant digits, so it stays one); an integer becomes a
 * large one within the limits.
 */
function unknownId(schema: Schema, base: string | undefined, parameter: ParameterSpec, document: unknown): string | undefined {
  const types = typeList(schema);
  if (Array.isArray(schema.enum) || schema.const !== undefined || types.length !== 1) return undefined;
  const fits = (text: string) => schemaMismatch(document, parameter.schema, text) === undefined && (typeof schema.pattern !== 'string' || linearPatternTest(schema.pattern)?.(text) === true);
  if (types[0] === 'integer' || types[0] === 'number') {
    const limits = numericLimits(schema);
    const candidates = [999999999, 99999999, 999999, 9999, limits.max && !limits.max.exclusive ? limits.max.value : undefined];
    return candidates.filter((n): n is number => n !== undefined).map(String).find((text) => text !== base && withinLimits(limits, Number(text), types[0] === 'integer') && fits(text));
  }
  if (types[0] !== 'string' || base === undefined || base === '') return undefined;
  const hex = /^[0-9a-f-]+$/i.test(base) || schema.format === 'uuid';
  const variants = [
    hex ? base.replace(/[0-9]/g, '9').replace(/[a-f]/g, 'f').replace(/[A-F]/g, 'F') : base.replace(/[0-9]/g, '9').replace(/[a-z]/g, 'z'),
    base.replace(/[0-9]/g, '8').replace(/[a-z]/g, hex ? 'e' : 'y'),
    base.replace(/[A-Z]/g, 'Z').replace(/[a-z]/g, 'z').replace(/[0-9]/g, '9'),
  ].map((text) => keepUuidVersion(base, text));
  return variants.find((text) => text !== base && fits(text));
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A changed UUID with the version and variant digits of the one it came from:
 * `99f9f99f-999f-9f9f-…` is no UUID of any version, so a server that checks
 * (n8n, with validator's isUUID) refused it as malformed, 400, and the
 * unknown-id check passed without asking what it exists to ask (n8n's
 * `GET /users/{id}`; a server answering 500 for an unknown valid id passed too).
 */
function keepUuidVersion(base: string, changed: string): string {
  if (!UUID_SHAPE.test(base) || !UUID_SHAPE.test(changed)) return changed;
  return `${changed.slice(0, 14)}${base[14]}${changed.slice(15, 19)}${base[19]}${changed.slice(20)}`;
}

/** The valid request with one parameter's value replaced; a path value is planned again, as the valid probe was. */
/**
 * Item counts either side of a query array's `minItems`/`maxItems`, each item
 * a valid one. Too few and too many are rejections (never zero items: an empty
 * list may be read as "not given"); a valid count is asked to be accepted only
 * when the enum gives that many distinct items (repeats may be refused for
 * being repeats).
 */
function arraySizeCases(operation: OperationSpec, valid: ReadyProbe, context: PlanContext, parameter: ParameterSpec): NegativeCase[] {
  const followed = followLocalRef(context.document, parameter.schema, '');
  if (!followed.ok || !isRecordLike(followed.value)) return [];
  const schema = followed.value;
  if (typeList(schema).join() !== 'array' || ['allOf', 'anyOf', 'oneOf', 'not'].some((key) => key in schema)) return [];
  if (!['form', 'spaceDelimited', 'pipeDelimited'].includes(parameter.style ?? 'form')) return [];
  const items = simpleSchema(context.document, schema.items);
  if (!items) return [];
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : undefined;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
  const distinct = Array.isArray(items.enum) ? items.enum.filter((v) => typeof v === 'string' || typeof v === 'number') : [];
  const sample = distinct[0] ?? generateValue(context.document, items);
  if (sample === undefined || (typeof sample !== 'string' && typeof sample !== 'number' && typeof sample !== 'boolean')) return [];
  const cases: NegativeCase[] = [];
  for (const boundary of sizeBoundaries(minItems, maxItems, 'Items')) {
    if (boundary.value === 0 || boundary.value > 1000) continue;
    const enough = distinct.length >= boundary.value;
    if (boundary.valid && !enough) continue;
    if (!boundary.valid && schema.uniqueItems === true && !enough) continue;
    const value = Array.from({ length: boundary.value }, (_, i) => (enough ? distinct[i] : sample));
    const text = value.map(String).join(',');
    const request = withValue(operation, valid, context, parameter, value);
    if (!request) continue;
    const mutation = boundary.valid ? 'boundary' : minItems !== undefined && boundary.value < minItems ? 'too-few-items' : 'too-many-items';
    const reason = boundary.valid ? `${parameter.name} with ${boundary.value} items is a valid boundary (${boundary.limit})` : `${parameter.name} has ${boundary.value} items, outside the ${boundary.limit}`;
    cases.push({ check: boundary.valid ? 'positive-data-acceptance' : 'negative-data-rejection', mutation: { location: 'query', name: parameter.name, mutation, value: text, expect: boundary.valid ? 'accept' : 'reject', reason }, request });
  }
  return cases;
}

/**
 * Cases for a query or header parameter written as JSON (LoopBack's
 * `filter={"limit":2}`), in its own terms: the valid text cut short, so it is
 * no JSON, and the member changes a request body gets (a required member left
 * out, one of the wrong type, one a closed schema forbids), each the first
 * member that allows it. LoopBack answers each with a 400.
 */
function jsonParameterCases(operation: OperationSpec, valid: ReadyProbe, context: PlanContext, parameter: ParameterSpec): NegativeCase[] {
  if (parameter.in === 'path' || !takesJsonText(parameter.mediaType ?? '')) return [];
  const text = sentValue(parameter, valid);
  if (text === undefined || text.length < 2) return [];
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return [];
  }
  const cases: NegativeCase[] = [];
  const malformed = malformedJson(text);
  const cut = withValue(operation, valid, context, parameter, malformed.text, 'verbatim');
  if (cut) {
    const reason = `${parameter.name} is written as ${parameter.mediaType}; the value is the valid one ${malformed.how}, so it is not JSON`;
    cases.push({ check: 'negative-data-rejection', mutation: { location: parameter.in, name: parameter.name, mutation: 'malformed-json', value: excerpt(malformed.text), expect: 'reject', reason }, request: cut });
  }
  for (const change of memberChanges(context.document, parameter.schema, value, (names) => names[0], { what: parameter.name })) {
    const request = withValue(operation, valid, context, parameter, change.changed);
    if (request) cases.push({ check: 'negative-data-rejection', mutation: { location: parameter.in, name: parameter.name, mutation: change.mutation, value: excerpt(JSON.stringify(change.changed)), expect: 'reject', reason: change.reason }, request });
  }
  return cases;
}

function withValue(operation: OperationSpec, valid: ReadyProbe, context: PlanContext, parameter: ParameterSpec, value: unknown, form: ValueForm = 'value'): OutgoingRequest | undefined {
  if (parameter.in === 'path') {
    const bound = Object.fromEntries(Object.keys(valid.pathValues).map((name) => [name, { value: name === parameter.name ? value : replannedPathValue(valid, name), source: 'harvested' as const }]));
    const planned = planProbe(operation, { ...context, vars: Object.create(null) as Record<string, string> }, createValueHarvest(), true, bound);
    if (planned.kind !== 'ready') return undefined;
    // Everything but the path exactly as the valid probe sent it.
    const url = new URL(planned.request.url);
    const original = new URL(valid.request.url);
    url.search = original.search;
    return { ...valid.request, headers: { ...valid.request.headers }, url: url.href };
  }
  if (parameter.in === 'query') {
    const url = new URL(valid.request.url);
    url.searchParams.delete(parameter.name);
    for (const [k, v] of queryPairs(parameter, value, form)) url.searchParams.append(k, v);
    return { ...valid.request, headers: { ...valid.request.headers }, url: url.href };
  }
  const headers = Object.assign(Object.create(null) as Record<string, string>, valid.request.headers);
  headers[parameter.name.toLowerCase()] = headerText(parameter, value, form);
  return { ...valid.request, headers };
}

function withoutParameter(request: OutgoingRequest, parameter: ParameterSpec): OutgoingRequest | undefined {
  if (parameter.in === 'query') {
    const url = new URL(request.url);
    if (!url.searchParams.has(parameter.name)) return undefined;
    url.searchParams.delete(parameter.name);
    return { ...request, headers: { ...request.headers }, url: url.href };
  }
  const name = parameter.name.toLowerCase();
  if (!Object.hasOwn(request.headers, name)) return undefined;
  const headers = Object.assign(Object.create(null) as Record<string, string>, request.headers);
  delete headers[name];
  return { ...request, headers };
}

/** No credentials, an invalid bearer token, and an API key nobody issued, on an operation that declares security and was probed with credentials. */
function authCases(operation: OperationSpec, valid: ReadyProbe, context: PlanContext): NegativeCase[] {
  if (!operation.secured || !valid.request.carriesCredentials || operation.anonymousAllowed) return [];
  const anonymous = { ...valid.request, ...withoutCredentials(valid.request, operation, context), carriesCredentials: false };
  const cases: NegativeCase[] = [
    {
      check: 'ignored-auth',
      mutation: { location: 'credentials', name: 'authorization', mutation: 'no-credentials', expect: 'reject', reason: `${operation.method} ${operation.path} declares security; the request carries no credentials at all` },
      request: anonymous,
    },
  ];
  if (/^bearer /i.test(valid.request.headers['authorization'] ?? '')) {
    cases.push({
      check: 'ignored-auth',
      mutation: { location: 'credentials', name: 'authorization', mutation: 'invalid-token', value: FORGED_AUTHORIZATION, expect: 'reject', reason: `${operation.method} ${operation.path} declares security; the request carries a bearer token no issuer signed` },
      request: { ...anonymous, headers: { ...anonymous.headers, authorization: FORGED_AUTHORIZATION }, carriesCredentials: true },
    });
  }
  const forgedKey = withForgedApiKey(anonymous, operation, context);
  if (forgedKey) {
    cases.push({
      check: 'ignored-auth',
      mutation: { location: 'credentials', name: forgedKey.places.join(', '), mutation: 'invalid-key', value: FORGED_API_KEY, expect: 'reject', reason: `${operation.method} ${operation.path} declares security; the request carries an API key nobody issued (${forgedKey.places.join(', ')})` },
      request: forgedKey.request,
    });
  }
  return cases;
}

/**
 * The request without credentials, with the harness's forged API key
 * (`FORGED_API_KEY`) wherever the run placed an apiKey scheme's key for the
 * operation (a header other than Authorization, a query parameter, a cookie):
 * a supplier that checks only that a key is there, not which, takes it.
 * Undefined when no such key was placed (a bearer token, basic credentials).
 */
function withForgedApiKey(anonymous: OutgoingRequest, operation: OperationSpec, context: PlanContext): { request: OutgoingRequest; places: string[] } | undefined {
  const applied = credentialsFor(context.credentials, operation);
  const scheme = (place: string, name: string) => isSchemeParameter(context.credentials, place, name);
  const headerNames = Object.keys(applied.headers).filter((name) => name !== 'authorization' && scheme('header', name));
  const queryNames = Object.keys(applied.query).filter((name) => scheme('query', name));
  const cookieNames = Object.keys(applied.cookies).filter((name) => scheme('cookie', name));
  if (headerNames.length + queryNames.length + cookieNames.length === 0) return undefined;
  const headers = Object.assign(Object.create(null) as Record<string, string>, anonymous.headers);
  for (const name of headerNames) headers[name] = FORGED_API_KEY;
  const cookies = cookieNames.map((name) => `${name}=${FORGED_API_KEY}`);
  if (cookies.length > 0) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookies.join('; ')}` : cookies.join('; ');
  const url = new URL(anonymous.url);
  // Appended as text: URLSearchParams would rewrite the rest of the query (a JSON query string's `%20` as `+`).
  const pairs = queryNames.map((name) => `${encodeURIComponent(name)}=${FORGED_API_KEY}`);
  if (pairs.length > 0) url.search = [url.search.slice(1), ...pairs].filter((part) => part !== '').join('&');
  const places = [...headerNames.map((n) => `header ${n}`), ...queryNames.map((n) => `query ${n}`), ...cookieNames.map((n) => `cookie ${n}`)];
  return { request: { ...anonymous, url: url.href, headers, carriesCredentials: true }, places };
}

/**
 * The request's headers and URL with every credential taken out: exactly what
 * the credential placement applied to the operation (headers, query
 * parameters, cookies), whatever a security scheme names, Authorization, and
 * the user's own credential headers (`--header 'X-Api-Key: …'`). Nothing is
 * guessed from a parameter's name: a key in `X-Client-Id` goes too.
 */
export function withoutCredentials(request: OutgoingRequest, operation: OperationSpec, context: Pick<PlanContext, 'credentials' | 'headers'> | undefined): { headers: Record<string, string>; url: string } {
  const applied = credentialsFor(context?.credentials, operation);
  const scheme = (place: string, name: string) => isSchemeParameter(context?.credentials, place, name);
  const userCredentialHeaders = new Set(Object.keys(context?.headers ?? {}).map((name) => name.toLowerCase()).filter((name) => isSensitiveHeader(name)));
  const headers = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization' || Object.hasOwn(applied.headers, lower) || scheme('header', lower) || userCredentialHeaders.has(lower)) continue;
    if (lower === 'cookie') {
      const kept = value
        .split(';')
        .map((pair) => pair.trim())
        .filter((pair) => {
          const name = pair.slice(0, Math.max(pair.indexOf('='), 0)).trim();
          return pair !== '' && !Object.hasOwn(applied.cookies, name) && !scheme('cookie', name);
        });
      if (kept.length > 0) headers[lower] = kept.join('; ');
      continue;
    }
    headers[name] = value;
  }
  return { headers, url: withoutQueryPairs(request.url, (name) => Object.hasOwn(applied.query, name) || scheme('query', name)) };
}

/** The value the valid probe sent for the parameter, if it sent one. */
function sentValue(parameter: ParameterSpec, valid: ReadyProbe): string | undefined {
  if (parameter.in === 'path') return valid.pathValues[parameter.name];
  if (parameter.in === 'query') return new URL(valid.request.url).searchParams.get(parameter.name) ?? undefined;
  return Object.hasOwn(valid.request.headers, parameter.name.toLowerCase()) ? valid.request.headers[parameter.name.toLowerCase()] : undefined;
}

/** The value the valid probe sent for the parameter, else one the document states or the schema gives. */
function baseValue(parameter: ParameterSpec, valid: ReadyProbe, document: unknown): string | undefined {
  const sent = sentValue(parameter, valid);
  if (sent !== undefined) return sent;
  const value = parameter.example?.value ?? declaredValue(document, parameter.schema)?.value ?? generateValue(document, parameter.schema ?? { type: 'string' });
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/**
 * The parameter's schema when it is plain enough to reason about: `$ref`s
 * followed, no `allOf`/`anyOf`/`oneOf`/`not` (whose combined meaning a single
 * change cannot be sure to break), a scalar type.
 */
function simpleSchema(document: unknown, schemaOrRef: unknown): Schema | undefined {
  const followed = followLocalRef(document, schemaOrRef, '');
  if (!followed.ok || followed.value === null || typeof followed.value !== 'object' || Array.isArray(followed.value)) return undefined;
  const schema = followed.value as Schema;
  if (['allOf', 'anyOf', 'oneOf', 'not', '$ref'].some((key) => key in schema)) return undefined;
  const types = typeList(schema);
  if (types.length !== 1 || !['string', 'integer', 'number', 'boolean'].includes(types[0]!)) return undefined;
  return schema;
}

/** The schema's types, `null` left out (3.0 `nullable` and 3.1 `type: [x, 'null']` alike: URL text is never null). */
function typeList(schema: Schema): string[] {
  const raw = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  return raw.filter((t): t is string => typeof t === 'string' && t !== 'null');
}

/** The base value cut or padded (with its last character) to `length` characters. */
function ofLength(base: string, length: number): string | undefined {
  const chars = [...base];
  if (chars.length === 0) return length === 0 ? '' : 'a'.repeat(length);
  if (length <= chars.length) return chars.slice(0, length).join('');
  return chars.join('') + chars[chars.length - 1]!.repeat(length - chars.length);
}

function isRecordLike(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
