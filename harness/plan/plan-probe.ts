import { isRecord } from '../json-pointer.js';
import { followLocalRef } from '../follow-local-ref.js';
import type { OutgoingRequest } from '../http/exchange-types.js';
import { isSecretFieldName, isSensitiveHeader } from '../http/redactor.js';
import { credentialsFor, isEmpty as noCredentials, isSchemeParameter, type PlanCredentials } from './credentials.js';
import type { AcceptParameterSpec, OperationSpec, ParameterSpec } from '../profile/profile-types.js';
import { schemaMismatch } from './fits-schema.js';
import { linearPatternTest } from '../schema/regexp-engine.js';
import { declaredValue, generateParameterValue, generateValue, isReferenceList, listItemSource, withObservableField, type SampleValue, type ValueSource } from './sample-value.js';
import { contentText, cookieText, headerText, pathText, queryPairs, serializeQuerystring, type ValueForm } from './serialize-parameter.js';
import { takesJsonText } from '../media-type.js';
import { namesResource, resourceName, type ValueHarvest } from './value-harvest.js';
import { namedAsChange, queryActionChange } from './named-change.js';
import { READ_METHODS, READ_METHODS_WITH_BODY, undefinedMethodReason } from './write-plan.js';
import { withUnreachableUrls } from './unreachable-urls.js';

/** Everything the planner needs besides the operation; built once per run. */
export interface PlanContext {
  /** The bundled profile document, for following internal `$ref`s. */
  document: unknown;
  /** The target URL; its path is the base path every template is appended to. */
  target: URL;
  vars: Record<string, string>;
  /** Headers sent with every probe (user `--header`s, Authorization, User-Agent). */
  headers: Record<string, string>;
  allowWrites: boolean;
  /** `METHOD /path/template` of the operations an include filter named: with allowWrites, a read named as a change (`namedAsChange`) is sent then, or as a step on the run's own record. */
  namedWrites?: ReadonlySet<string>;
  /**
   * A short tag unique to the run: identifier-like fields (`name`, `slug`, …)
   * of generated write bodies become `interop-probe-<tag>` where the schema
   * allows, so a created record never collides with an existing one.
   */
  runTag?: string;
  /**
   * A random value unique to the run, for the secret fields of a write's body
   * (`password`, `apiKey`), example or generated, where the schema allows: a
   * record the run creates (a user, say) never has a password anyone knows.
   * A secret of the run, redacted wherever it appears. Only with --allow-writes.
   */
  runSecret?: string;
  /**
   * Credentials per operation, as the document's security schemes say, and the
   * parameters those schemes name (never filled with an example or generated
   * value). Absent: no credentials.
   */
  credentials?: PlanCredentials;
}

export type PlannedProbe =
  | {
      kind: 'ready';
      operation: OperationSpec;
      request: OutgoingRequest;
      /** The path with parameters substituted, relative to the target's base path. */
      concretePath: string;
      /** Where each parameter's value (and the body's, as `body`) came from, by `in:name`. */
      valueSources: Record<string, ValueSource>;
      /** The path parameters' values as text, by name (for binding later steps of a lifecycle). */
      pathValues: Record<string, string>;
      /**
       * The path values that were not text (an array or object a style writes:
       * `a%20b,c` for ['a b', 'c']), by name: planned again from these, a later
       * step (a negative case, a lifecycle's next request) writes them as this
       * probe did, where their text would be encoded a second time.
       */
      pathSamples?: Record<string, unknown>;
    }
  | {
      kind: 'waiting';
      operation: OperationSpec;
      /** Path parameters that an earlier list response may still supply. */
      waitingFor: string[];
    }
  | { kind: 'skip'; operation: OperationSpec; reason: string };

export interface PlanOptions {
  /**
   * A write in a lifecycle: each path parameter comes from `bound` (the
   * run's own records) or a --var scoped to the operation
   * (`operationId.name`, `operationId.path:name`), or the probe is a skip
   * naming it. Never a harvested value (someone else's record), an example,
   * a default or a generated one: any of them may name a record the run
   * did not create. An unscoped --var is left out too: it is as likely
   * meant for a read of an existing record.
   */
  ownRecords?: boolean;
  /**
   * With `ownRecords`: a path value `bound` lacks may come from an unscoped
   * --var too. A root create's parent (`/projects/{projectId}/features`) is a
   * record the user names, never one a list showed (see `writeScope`).
   */
  userParents?: boolean;
}

/**
 * Plan one probe. Parameter values come from, in order: `bound` (the id of a
 * record the run created, in a lifecycle), `--var`, the parameter's example,
 * the schema's default/const/enum, an earlier list response (path
 * parameters; only a value that fits the parameter's schema), the schema's
 * example, then a value generated from the schema. An empty value counts as
 * none (it would put `//` in a path). While `final` is false, a path parameter
 * with no declared value waits for a list response rather than being generated.
 * With `options.ownRecords` (a write), path parameters come only from `bound`
 * or an operation-scoped --var ({@link PlanOptions}).
 *
 * @example
 *   planProbe(getPerson, context, harvest, false) // { kind: 'waiting', waitingFor: ['personId'] }
 */
export function planProbe(
  operation: OperationSpec,
  context: PlanContext,
  harvest: ValueHarvest,
  final: boolean,
  bound: Record<string, SampleValue> = {},
  options: PlanOptions = {},
): PlannedProbe {
  if (operation.method === 'TRACE') {
    return { kind: 'skip', operation, reason: 'TRACE is never probed: it echoes the request back, credentials included' };
  }
  const undefinedMethod = undefinedMethodReason(operation.method);
  if (undefinedMethod !== undefined) return { kind: 'skip', operation, reason: undefinedMethod };
  if (operation.unbuilt !== undefined) return { kind: 'skip', operation, reason: operation.unbuilt };
  if (!READ_METHODS.has(operation.method) && !context.allowWrites) {
    return { kind: 'skip', operation, reason: `${operation.method} is not probed in a read-only run (pass --allow-writes to probe writes)` };
  }
  const changes = namedAsChange(operation);
  if (changes !== undefined && !(context.allowWrites && (options.ownRecords === true || context.namedWrites?.has(`${operation.method} ${operation.path}`)))) {
    return { kind: 'skip', operation, reason: changes };
  }
  if (READ_METHODS.has(operation.method) && !READ_METHODS_WITH_BODY.has(operation.method) && operation.requestBody?.required) {
    return { kind: 'skip', operation, reason: `${operation.method} ${operation.path} requires a request body, which a read-only probe does not send` };
  }
  const valueSources: Record<string, ValueSource> = {};
  const pathValues: Record<string, string> = {};
  let pathSamples: Record<string, unknown> | undefined;
  const waitingFor: string[] = [];

  let concretePath = '';
  for (const segment of splitTemplate(operation.path)) {
    if (segment.kind === 'text') {
      concretePath += segment.text;
      continue;
    }
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === segment.name);
    let sample: SampleValue | undefined = Object.hasOwn(bound, segment.name) ? bound[segment.name] : undefined;
    if (options.ownRecords) {
      sample ??= varValue([`${operation.operationId}.path:${segment.name}`, `${operation.operationId}.${segment.name}`, ...(options.userParents ? [segment.name] : [])], context);
      if ((!sample || isEmpty(sample.value)) && options.userParents) {
        return { kind: 'skip', operation, reason: `no value for path parameter {${segment.name}} from --var: a create is sent under a parent only the user names, since a record added under someone else's, one a list showed or an example's, changes it and may not be undone (to name one you may add records to, pass --var ${segment.name}=<value>)` };
      }
      if (!sample || isEmpty(sample.value)) {
        return { kind: 'skip', operation, reason: `no value for path parameter {${segment.name}} from a record the run created: a write is never sent to an id from a list, an example or a generated one, which may name someone else's record (to name one, pass --var ${operation.operationId}.${segment.name}=<value>)` };
      }
    }
    sample ??= parameter ? valueFor(parameter, operation, context) : varValue([segment.name], context);
    if (!options.ownRecords && (!sample || sample.source === 'schema-example')) {
      const fits = (value: string) => !parameter?.schema || schemaMismatch(context.document, parameter.schema, value) === undefined;
      const harvested = harvest.lookup(concretePath.replace(/\/$/, ''), segment.name, fits);
      if (harvested !== undefined) sample = { value: harvested, source: 'harvested' };
      else if (sample && !final) sample = undefined; // a list response may still give a real id
    }
    if (!sample && !final) {
      waitingFor.push(segment.name);
      concretePath += `{${segment.name}}`;
      continue;
    }
    if (!sample && parameter) sample = generated(parameter, context);
    if (!sample) {
      return { kind: 'skip', operation, reason: `no value for path parameter {${segment.name}}: pass --var ${segment.name}=<value>` };
    }
    valueSources[`path:${segment.name}`] = sample.source;
    // A bound value (a path value planned again, a created record's id) and an id read from an answer are
    // text already, not values to write as JSON; `bound` keeps each value's first source for the report.
    const asText = Object.hasOwn(bound, segment.name) || sample.source === 'harvested' || sample.source === 'created';
    const form: ValueForm = sample.source === 'var' ? 'verbatim' : 'value';
    // For a parameter written as JSON, text becomes the JSON value its schema asks for: `42` for an integer, `"42"` for a string.
    const value = asText && parameter?.mediaType !== undefined && typeof sample.value === 'string' ? jsonValueOfText(context.document, parameter, sample.value) : sample.value;
    const text = pathText(parameter ?? { name: segment.name }, value, form);
    // Unencoded, as it was written: what a later step (a negative case, a lifecycle's next request) plans again as text.
    pathValues[segment.name] = parameter?.mediaType !== undefined ? contentText(value, parameter.mediaType, form) : typeof sample.value === 'string' ? sample.value : text;
    if (parameter?.mediaType === undefined && typeof value !== 'string') (pathSamples ??= {})[segment.name] = value;
    if (text === '') {
      return { kind: 'skip', operation, reason: `no value for path parameter {${segment.name}} (an empty one would put // in the path): pass --var ${segment.name}=<value>` };
    }
    if (/^(\.|%2e){1,2}$/i.test(text)) {
      // URLs resolve `.` and `..` (even percent-encoded) away: the probe would ask about another resource.
      return { kind: 'skip', operation, reason: `the value ${JSON.stringify(text)} for {${segment.name}} is a dot segment, which a URL cannot carry: pass --var ${segment.name}=<value>` };
    }
    concretePath += text;
  }
  if (waitingFor.length > 0) return { kind: 'waiting', operation, waitingFor };

  const url = new URL(context.target.href.replace(/\/$/, '') + concretePath);
  const applied = credentialsFor(context.credentials, operation);
  const headers = Object.assign(Object.create(null) as Record<string, string>, { accept: acceptHeader(operation, context.document), ...lowerCaseKeys(context.headers), ...applied.headers }); // null prototype: a header parameter named `constructor` is sent
  const cookies: string[] = [];
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') continue;
    // A parameter a security scheme names carries the credential (applied below) or nothing: never an example.
    if (isSchemeParameter(context.credentials, parameter.in, parameter.name)) continue;
    const credentialNamed = isCredentialNamed(parameter);
    // Carried already, by a credential option or a --header (a Cookie header too): neither replaced nor counted as omitted.
    if (credentialNamed && parameter.in === 'header' && Object.hasOwn(headers, parameter.name.toLowerCase())) continue;
    if (credentialNamed && parameter.in === 'cookie' && (Object.hasOwn(applied.cookies, parameter.name) || cookieNamed(headers.cookie, parameter.name))) continue;
    // Optional parameters stay out unless the user names them (scoped --var): the probe asks the plainest question.
    if (!parameter.required && !varFor(parameter, operation, context)) continue;
    // A credential-named parameter is never invented (an `example` API key is no key, and would be redacted everywhere).
    const sample = valueFor(parameter, operation, context) ?? (credentialNamed ? undefined : generated(parameter, context));
    if (!sample && credentialNamed) {
      // Sent without it: a refusal is then about the missing value, which status-code and coverage say (omittedInputs).
      valueSources[`${parameter.in}:${parameter.name}`] = 'omitted';
      continue;
    }
    if (!sample) return { kind: 'skip', operation, reason: `no value for required ${parameter.in} parameter ${parameter.name}: pass --var ${parameter.name}=<value>` };
    valueSources[`${parameter.in}:${parameter.name}`] = sample.source;
    // A --var is the text to send: for a parameter written as JSON, the JSON text itself.
    const form: ValueForm = sample.source === 'var' ? 'verbatim' : 'value';
    if (parameter.in === 'query') {
      for (const [k, v] of queryPairs(parameter, sample.value, form)) url.searchParams.append(k, v);
    } else if (parameter.in === 'header') {
      headers[parameter.name.toLowerCase()] ??= headerText(parameter, sample.value, form);
    } else {
      cookies.push(`${parameter.name}=${cookieText(parameter, sample.value, form)}`);
    }
  }
  let whole: string | undefined;
  if (operation.querystring) {
    const spec = operation.querystring;
    const asParameter: ParameterSpec = { name: spec.name, in: 'query', required: spec.required, ...(spec.schema !== undefined ? { schema: spec.schema } : {}), ...(spec.example ? { example: spec.example } : {}), pointer: spec.pointer };
    // As for any optional parameter: left out unless the user names it.
    if (spec.required || varFor(asParameter, operation, context)) {
      // Written as JSON, `{}` is a value; as a form, an empty object is no query at all.
      const sample = valueFor(asParameter, operation, context) ?? generated(asParameter, context, !takesJsonText(spec.mediaType));
      // A --var is text: for a JSON query string, the JSON it spells.
      const value = sample?.source === 'var' && typeof sample.value === 'string' && takesJsonText(spec.mediaType) ? parsedOr(sample.value) : sample?.value;
      whole = sample && serializeQuerystring(value, spec.mediaType);
      if (whole === undefined) return { kind: 'skip', operation, reason: `no value for the query string ${spec.name} (in: querystring) that can be written as ${spec.mediaType}: pass --var ${spec.name}=<value>` };
      valueSources[`querystring:${spec.name}`] = sample!.source;
    }
  }
  if (whole === undefined) for (const [name, value] of Object.entries(applied.query)) url.searchParams.append(name, value);
  else {
    // Written as text: URLSearchParams would read the JSON text as a form and write it back changed (`%20` as `+`, a stray `=`).
    const pairs = Object.entries(applied.query).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
    url.search = [url.search.slice(1), whole, ...pairs].filter((part) => part !== '').join('&');
  }
  for (const [name, value] of Object.entries(applied.cookies)) cookies.push(`${name}=${/^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/.test(value) ? value : encodeURIComponent(value)}`);
  if (cookies.length > 0) headers.cookie ??= cookies.join('; ');

  const carriesCredentials = !noCredentials(applied) || Object.keys(context.headers).some((name) => isSensitiveHeader(name));
  const request: OutgoingRequest = { method: operation.method, url: url.href, headers, followRedirects: !documentsRedirect(operation), carriesCredentials };
  if (operation.requestBody && (!READ_METHODS.has(operation.method) || READ_METHODS_WITH_BODY.has(operation.method))) {
    const body = requestBodyFor(operation, context, updatedRecord(operation, pathValues, options));
    if (body && 'refused' in body) return { kind: 'skip', operation, reason: body.refused };
    if (!body) {
      if (operation.requestBody.required) {
        const types = operation.requestBody.content.map((m) => m.mediaRange);
        const reason = types.length > 0 && !types.some(takesJsonText)
          ? `its required request body is documented as ${types.join(', ')}, which the harness does not write (it writes JSON)`
          : 'no example or schema to build the required request body from';
        return { kind: 'skip', operation, reason };
      }
    } else {
      request.body = body.text;
      headers['content-type'] = body.mediaType;
      valueSources.body = body.source;
      // The example's own id was replaced by the run's: a refusal may be of that id, not of the example.
      if (body.runOwnId) valueSources['body:id'] = 'generated';
      // The same for a list of references the run emptied: a refusal may be of the empty list.
      for (const list of body.emptied ?? []) valueSources[`body:${list}`] = 'generated';
    }
  }
  // RPC APIs name the action in the query (Matomo's `method=SitesManager.deleteSite`, `?action=delete`): a read
  // whose action parameter names a change is one, as a read named so is (fourth review).
  if (READ_METHODS.has(operation.method) && !(context.allowWrites && (options.ownRecords === true || context.namedWrites?.has(`${operation.method} ${operation.path}`)))) {
    const action = queryActionChange(url.searchParams);
    if (action) return { kind: 'skip', operation, reason: `its query parameter ${action[0]} is ${JSON.stringify(action[1].slice(0, 80))}, which names a change (${action[2]}): sent only with --allow-writes and when named (its operationId in --operations, or its method and path in --paths)` };
  }
  return { kind: 'ready', operation, request, concretePath, valueSources, pathValues, ...(pathSamples ? { pathSamples } : {}) };
}

/**
 * A path value of a ready probe as a later step (a negative case, a
 * lifecycle's next request) plans it again: the value it wrote when that was
 * no text (an array), else its text.
 */
export function replannedPathValue(probe: { pathValues: Record<string, string>; pathSamples?: Record<string, unknown> }, name: string): unknown {
  return probe.pathSamples && Object.hasOwn(probe.pathSamples, name) ? probe.pathSamples[name] : probe.pathValues[name];
}

/** A header, cookie or query parameter whose name says it holds a credential (`X-Api-Key`, `access_token`). */
export function isCredentialNamed(parameter: ParameterSpec): boolean {
  if (parameter.in === 'header') return isSensitiveHeader(parameter.name);
  return isSecretFieldName(parameter.name) || (parameter.in === 'cookie' && isSensitiveHeader(parameter.name));
}

/** Whether a Cookie header (`a=1; api_key=x`) carries a cookie of that name. */
function cookieNamed(header: string | undefined, name: string): boolean {
  return header !== undefined && header.split(';').some((pair) => pair.slice(0, pair.indexOf('=') >>> 0).trim() === name);
}

function varValue(keys: string[], context: PlanContext): SampleValue | undefined {
  // Own properties only: a parameter called `constructor` must not find Object.prototype's.
  for (const key of keys) if (Object.hasOwn(context.vars, key)) return { value: context.vars[key], source: 'var' };
  return undefined;
}

/**
 * The --var for a parameter: `operationId.in:name`, `operationId.name` and
 * `in:name` reach any parameter; a bare `name` fills only path and required
 * parameters, so a value meant for a path id never lands in an optional filter.
 */
export function varKeys(parameter: Pick<ParameterSpec, 'name' | 'in' | 'required'>, operationId: string): string[] {
  const keys = [`${operationId}.${parameter.in}:${parameter.name}`, `${operationId}.${parameter.name}`, `${parameter.in}:${parameter.name}`];
  if (parameter.in === 'path' || parameter.required) keys.push(parameter.name);
  return keys;
}

function varFor(parameter: ParameterSpec, operation: OperationSpec, context: PlanContext): SampleValue | undefined {
  const sample = varValue(varKeys(parameter, operation.operationId), context);
  return sample && typeof sample.value === 'string' ? { ...sample, value: varParameterValue(context.document, parameter, sample.value) } : sample;
}

/**
 * A --var's text as the value of its parameter. For an array (not written in
 * a media type) that is its items: a JSON array as given, else the text split
 * where the style itself puts items apart on the wire (a comma for simple,
 * and for form, label and matrix not exploded; a space for spaceDelimited, `|`
 * for pipeDelimited), else one item: exploded form repeats the name instead,
 * so a comma there is part of a value (Spring's `sort=name,asc`). The style
 * then writes the items as it writes an example's. Any other parameter takes
 * the text as it is.
 *
 * @example varParameterValue(doc, { name: 'ids', in: 'path', schema: { type: 'array' }, ... }, '1,2') // ['1', '2']
 * @example varParameterValue(doc, { name: 'sort', in: 'query', schema: { type: 'array' }, ... }, 'name,asc') // ['name,asc']
 */
export function varParameterValue(document: unknown, parameter: ParameterSpec, text: string): unknown {
  if (parameter.mediaType !== undefined || !isArraySchema(document, parameter.schema)) return text;
  if (text.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // Not JSON: items split at the delimiter, as any other text.
    }
  }
  if (text === '') return [];
  const delimiter = itemDelimiter(parameter);
  return delimiter === undefined ? [text] : text.split(delimiter);
}

/** What puts an array's items apart on the wire in this parameter's style, or undefined when each is written on its own (exploded form, deepObject). */
function itemDelimiter(parameter: Pick<ParameterSpec, 'in' | 'style' | 'explode'>): string | undefined {
  const style = parameter.style ?? (parameter.in === 'query' || parameter.in === 'cookie' ? 'form' : 'simple');
  if (style === 'simple') return ',';
  if (parameter.explode ?? style === 'form') return undefined;
  if (style === 'spaceDelimited') return ' ';
  if (style === 'pipeDelimited') return '|';
  return style === 'form' || style === 'label' || style === 'matrix' ? ',' : undefined;
}

function isArraySchema(document: unknown, schemaOrRef: unknown): boolean {
  const type = followedSchema(document, schemaOrRef)?.type;
  return type === 'array' || (Array.isArray(type) && type.includes('array') && type.every((t) => t === 'array' || t === 'null'));
}

function valueFor(parameter: ParameterSpec, operation: OperationSpec, context: PlanContext): SampleValue | undefined {
  const given = varFor(parameter, operation, context);
  // A --var is the user's word: an empty one is no value, never passed over for the document's.
  if (given) return isEmpty(given.value) ? undefined : given;
  return documentValue(context.document, parameter).sample;
}

/** What the document offers a parameter, and what of it the plan passed over (see `documentValue`). */
export interface DocumentValue {
  sample?: SampleValue;
  /** Values the document gives that the parameter's own schema refuses, with why: never sent. */
  refused: Array<SampleValue & { why: string }>;
}

/**
 * The value the document gives a parameter: its example, else one its schema
 * states (`declaredValue`), the first that is a value and that the schema
 * takes. `default: ""` or `example: [""]` is no value (a path would get `//`,
 * a query `?q=`). An example the schema refuses is not sent: a supplier that
 * refuses it is right to, and the refusal would have failed it (an
 * example `limit=500` under `maximum: 100`). The caller then generates one.
 *
 * @example
 *   documentValue(doc, { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100, default: 20 }, example: { value: 500 }, ... });
 *   // { sample: { value: 20, source: 'default' }, refused: [{ value: 500, source: 'example', why: 'is above the maximum 100' }] }
 */
export function documentValue(document: unknown, parameter: Pick<ParameterSpec, 'example' | 'schema' | 'mediaType'>): DocumentValue {
  const refused: DocumentValue['refused'] = [];
  const example: SampleValue | undefined = parameter.example && { value: parameter.example.value, source: 'example' };
  for (const candidate of [example, declaredValue(document, parameter.schema)]) {
    if (!candidate || isEmpty(candidate.value)) continue;
    const why = parameter.schema === undefined ? undefined : schemaMismatch(document, parameter.schema, candidate.value, { json: parameter.mediaType !== undefined && takesJsonText(parameter.mediaType) });
    if (why === undefined) return { sample: candidate, refused };
    refused.push({ ...candidate, why });
  }
  return { refused };
}

/**
 * Text (an id read from an answer, a path value planned again) as the value a
 * parameter written in a JSON media type takes: the JSON it spells when that
 * fits the parameter's schema (`42` for an integer, `{"row":7}`), else the
 * text as a JSON string (`"42"` for a string schema).
 */
function jsonValueOfText(document: unknown, parameter: ParameterSpec, text: string): unknown {
  if (!takesJsonText(parameter.mediaType ?? '')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (parameter.schema === undefined) return parsed;
  return schemaMismatch(document, parameter.schema, parsed, { json: true }) === undefined ? parsed : text;
}

/** `text` as JSON when it is JSON, else the text itself. */
function parsedOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** No value to send: nothing, `""`, or a list of nothing but `""` (`example: [""]` went out as `?party=`). */
function isEmpty(value: unknown): boolean {
  return value === '' || value === undefined || (Array.isArray(value) && value.every((item) => item === ''));
}

/**
 * A value generated for a parameter. `styled`: written by a style (form,
 * matrix, deepObject...), where an empty object is nothing; a parameter
 * written in a media type, or a whole query string, sends `{}` as a value.
 */
function generated(parameter: ParameterSpec, context: PlanContext, styled = parameter.mediaType === undefined): SampleValue | undefined {
  const schema = parameter.schema ?? { type: 'string' };
  const value = styled ? generateParameterValue(context.document, schema) : generateValue(context.document, schema);
  return value === undefined ? undefined : { value, source: listItemSource(context.document, schema, value) ?? 'generated' };
}

type TemplateSegment = { kind: 'text'; text: string } | { kind: 'param'; name: string };

function splitTemplate(path: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  const pattern = /\{([^{}]+)\}/g;
  let last = 0;
  for (const match of path.matchAll(pattern)) {
    if (match.index > last) segments.push({ kind: 'text', text: path.slice(last, match.index) });
    segments.push({ kind: 'param', name: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < path.length) segments.push({ kind: 'text', text: path.slice(last) });
  return segments;
}

/** `type/subtype` (either may be `*`), with optional parameters: what an Accept header may carry. */
const MEDIA_RANGE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+=("[^"]*"|[!#$%&'*+.^_`|~0-9A-Za-z-]+))*$/;

/**
 * Ask for what the operation documents, so content negotiation cannot be
 * blamed: the value of its own Accept parameter where it has one that asks for
 * a media type its responses list (`acceptParameterValue`), else every media
 * type its responses list. Keys that are not media types are left out.
 */
function acceptHeader(operation: OperationSpec, document: unknown): string {
  const ranges = new Set<string>();
  for (const response of operation.responses) for (const media of response.content) if (MEDIA_RANGE.test(media.mediaRange.trim())) ranges.add(media.mediaRange.trim());
  const named = operation.acceptParameter && acceptParameterValue(operation.acceptParameter, document, [...ranges]);
  if (named !== undefined) return named;
  return ranges.size === 0 ? '*/*' : [...ranges].join(', ');
}

/**
 * The value an Accept parameter gives, as any parameter's (its example where
 * its schema takes it, else the schema's default, const, first enum value or
 * example), or else another of its enum values: only a list of media ranges,
 * and only one that asks for a media type the responses document. Spoonacular's
 * nutrition widget documents text/html alone beside an Accept parameter whose
 * example is application/json: asked for that, a supplier rightly answers 406.
 */
function acceptParameterValue(parameter: AcceptParameterSpec, document: unknown, documented: readonly string[]): string | undefined {
  const enumerated = isRecord(parameter.schema) && Array.isArray(parameter.schema.enum) ? parameter.schema.enum : [];
  for (const value of [documentValue(document, parameter).sample?.value, ...enumerated]) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    const asked = value.split(',').map((range) => range.trim());
    if (!asked.every((range) => MEDIA_RANGE.test(range))) continue;
    if (documented.length === 0 || asked.some((range) => documented.some((media) => mediaRangesMeet(range, media)))) return value.trim();
  }
  return undefined;
}

/** Whether two media ranges have a media type in common (`text/html` meets `text/html` and the text wildcard, the full wildcard meets anything); parameters aside. */
function mediaRangesMeet(a: string, b: string): boolean {
  const [typeA = '', subA = ''] = (a.split(';')[0] ?? '').trim().toLowerCase().split('/');
  const [typeB = '', subB = ''] = (b.split(';')[0] ?? '').trim().toLowerCase().split('/');
  return (typeA === '*' || typeB === '*' || typeA === typeB) && (subA === '*' || subB === '*' || subA === subB);
}

/** When an operation documents a 3xx, that response is the one to check, so it is not followed. */
export function documentsRedirect(operation: Pick<OperationSpec, 'responses'>): boolean {
  return operation.responses.some((r) => /^3(\d\d|XX)$/.test(r.key));
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The run's own record an update is sent to: the path parameter that names it, and its id. */
interface UpdatedRecord {
  parameter: string;
  id: string;
}

/**
 * The record an update (PUT, PATCH) of a lifecycle is sent to: the path's last
 * parameter (`/items/{id}`, `/items/{id}/`, `/items/{id}.json`), bound to the
 * record the run created. Undefined for anything else.
 */
function updatedRecord(operation: OperationSpec, pathValues: Record<string, string>, options: PlanOptions): UpdatedRecord | undefined {
  if (!options.ownRecords || (operation.method !== 'PUT' && operation.method !== 'PATCH')) return undefined;
  const parameter = /\{([^{}]+)\}[^/{}]*\/?$/.exec(operation.path)?.[1];
  const id = parameter === undefined ? undefined : pathValues[parameter];
  return id === undefined ? undefined : { parameter: parameter!, id };
}

/** A body to send, or why none may be: see `requestBodyFor`. */
type PlannedBody = { text: string; mediaType: string; source: ValueSource; runOwnId?: true; emptied?: string[] } | { refused: string };

/**
 * The body to send: the first JSON media type with an example or a schema,
 * concrete types before ranges. A range (`application/*+json`, `*\/*`) is
 * never a Content-Type: it is sent as application/json.
 */
function requestBodyFor(operation: OperationSpec, context: PlanContext, record?: UpdatedRecord): PlannedBody | undefined {
  const content = operation.requestBody?.content ?? [];
  const jsonish = content.filter((m) => takesJsonText(m.mediaRange));
  const ordered = [...jsonish.filter((m) => !m.mediaRange.includes('*')), ...jsonish.filter((m) => m.mediaRange.includes('*'))];
  for (const media of ordered) {
    let value = media.example ? media.example.value : generateValue(context.document, media.schema, 0, { request: true });
    if (value === undefined) continue;
    // An update of the run's record that requires nothing would go out as `{}`: give it a name to change.
    if (!media.example && record !== undefined) value = withObservableField(context.document, value, media.schema, UPDATED_FIELDS);
    let runOwnId = false;
    let emptied: string[] = [];
    if (media.example && !READ_METHODS.has(operation.method)) {
      // An example's lists of other records' ids (n8n's `[{"id": "2tUt…"}]` for PUT /workflows/{id}/tags) would tie
      // those records to the run's: emptied where the schema allows, else the request is not sent.
      const references = withoutReferenceLists(context.document, value, media.schema);
      if (references.required !== undefined) return { refused: `its body example lists records by id (${references.required}), which would tie someone else's records to this one, and its schema does not allow the list empty` };
      value = references.value;
      emptied = references.emptied;
    }
    // Unique names keep a write from colliding with a record; a QUERY's body only asks, as written.
    if (!media.example && context.runTag && !READ_METHODS.has(operation.method)) value = withUniqueNames(value, media.schema, context, operation.method, resourceName(operation.path));
    else if (media.example && context.runTag && operation.method === 'POST') {
      // An example is sent as written but for a create's own id: an upsert on the example's `id: 10` would
      // change record 10, someone else's. Its names stay: a collision answers 409, and changes nothing.
      const withId = withRunOwnId(value, media.schema, context);
      runOwnId = withId !== value;
      value = withId;
    }
    // An update of the run's record names that record in its body too: the document's `id: 10` there
    // would have a supplier that takes the body's id (Petstore's PUT /pet does) change record 10.
    if (record !== undefined) value = withRecordId(context.runTag ? withRunOwnId(value, media.schema, context) : value, record);
    if (context.runSecret && !READ_METHODS.has(operation.method)) value = withRunSecret(value, media.schema, context, context.runSecret);
    // A webhook or callback URL from the document would have the target call it: point it nowhere.
    value = withUnreachableUrls(value);
    const mediaType = media.mediaRange.includes('*') || !MEDIA_RANGE.test(media.mediaRange.trim()) ? 'application/json' : media.mediaRange.trim();
    return { text: JSON.stringify(value), mediaType, source: media.example ? 'example' : 'generated', ...(runOwnId ? { runOwnId: true as const } : {}), ...(emptied.length > 0 ? { emptied } : {}) };
  }
  return undefined;
}

/**
 * A write body's lists of references to other records (`[{"id": "2tUt…"}]`,
 * `tagIds: ["t1"]`: items that are only ids, or a list named as ids)
 * emptied, where the schema allows an empty list: as written in the
 * document's example, the ids may name records that exist, and the write
 * would tie them to the run's (found on n8n: PUT /workflows/{id}/tags linked
 * an existing tag to the run's workflow). `emptied` names each list (`[]`
 * for the body itself); `required` names one whose schema requires items,
 * so the body cannot be sent without someone else's ids.
 */
function withoutReferenceLists(document: unknown, value: unknown, schema: unknown, field = '', depth = 0): { value: unknown; emptied: string[]; required?: string } {
  if (depth > MAX_BODY_DEPTH || value === null || typeof value !== 'object') return { value, emptied: [] };
  const name = field === '' ? '[]' : field;
  if (Array.isArray(value)) {
    if (isReferenceList(value, field)) {
      const minItems = constraining(document, schema, value, (s) => (typeof s.minItems === 'number' ? s.minItems : undefined));
      return minItems.some((m) => typeof m === 'number' && m > 0) ? { value, emptied: [], required: name } : { value: [], emptied: [name] };
    }
    // A list of records (a batch) may hold references in each: `[{"name": "wf", "tagIds": ["t1"]}]`.
    const items = { allOf: itemSchemas(document, schema, value) };
    let changed: unknown[] | undefined;
    const emptied: string[] = [];
    for (let index = 0; index < value.length; index++) {
      const inner = withoutReferenceLists(document, value[index], items, '', depth + 1);
      if (inner.required !== undefined) return { value, emptied: [], required: inner.required };
      if (inner.value === value[index]) continue;
      changed ??= [...value];
      changed[index] = inner.value;
      emptied.push(...inner.emptied);
    }
    return { value: changed ?? value, emptied };
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  const emptied: string[] = [];
  for (const key of Object.keys(record)) {
    const inner = withoutReferenceLists(document, record[key], { allOf: propertySchemas(document, schema, key, record) }, key, depth + 1);
    if (inner.required !== undefined) return { value, emptied: [], required: inner.required };
    if (inner.value === record[key]) continue;
    copy ??= { ...record };
    copy[key] = inner.value;
    emptied.push(...inner.emptied);
  }
  return { value: copy ?? value, emptied };
}

/** How a value unique to the run begins: `interop-probe-<tag>`, in names and email addresses of write bodies. */
export const RUN_VALUE_PREFIX = 'interop-probe-';

/**
 * The ids a run with this tag gives its creates (see `withUniqueNames`):
 * `interop-probe-<tag>`, a version 4 UUID ending in the tag where only a UUID
 * fits, or an integer from 2,000,000,000 made from the tag.
 *
 * @example runMadeIds('3fa85f'); // { text: 'interop-probe-3fa85f', uuid: '00000000-1e70-4000-8000-0000003fa85f', integer: 2004171871 }
 */
export function runMadeIds(runTag: string): { text: string; uuid: string; integer: number } {
  const hex = runTag.toLowerCase().replace(/[^0-9a-f]/g, '').slice(-12).padStart(12, '0');
  return { text: `${RUN_VALUE_PREFIX}${runTag}`, uuid: `00000000-1e70-4000-8000-${hex}`, integer: 2_000_000_000 + (Number.parseInt(runTag, 16) % 100_000_000) };
}

/**
 * Whether an id a create sent is exactly one this run made for itself, so
 * that an answer naming it back names the run's record, not one an upsert
 * found under a document example's id (or under an id an earlier run made:
 * replay runs with a tag of its own).
 */
export function isRunMadeId(id: string, runTag: string | undefined): boolean {
  if (!runTag) return false;
  const made = runMadeIds(runTag);
  return id === made.text || id.toLowerCase() === made.uuid || id === String(made.integer);
}

/** Fields that usually name a record and must be unique in their collection. */
const NAME_FIELDS = ['name', 'key', 'slug', 'code', 'username', 'login', 'title', 'label', 'displayName'];

/**
 * The fields an update that requires nothing sets, so that it changes something
 * its read-back can show: names a record is shown by, never identifiers such as
 * `key` or `username`, which a supplier may refuse to change.
 */
const UPDATED_FIELDS = ['name', 'title', 'label', 'displayName'];

/**
 * A generated body with its identifier-like string fields, and its email
 * addresses, made unique to the run where the field's schema takes it:
 * `interop-probe-<tag>`, `interop-probe-<tag>@example.org` (RFC 2606). A
 * fixed address collides: n8n answers an invite of an address already
 * pending with that user, someone else's, as if the run had made it. An
 * update (PUT, PATCH) gets another value than the create's (`-updated`): the
 * same schema generates the same body for both, and an update that sends
 * what the record already holds cannot show, read back, whether it was applied.
 */
function withUniqueNames(value: unknown, schema: unknown, context: PlanContext, method: string, resource: string): unknown {
  // The same text a create's own id gets: an answer naming it back is recognised as the run's (isRunMadeId).
  const made = runMadeIds(context.runTag!);
  const unique = made.text;
  const names = method === 'PUT' || method === 'PATCH' ? [`${unique}-updated`, unique] : [unique];
  // A create's field named for its resource may be the record's name and id in one: Directus's POST /collections
  // takes `collection`, and answers with it alone. Only the record's own, at the top (or in a batch of one's item).
  const ownDepth = Array.isArray(value) ? 1 : 0;
  const namesRecord = (field: string, depth: number) => method === 'POST' && depth === ownDepth && namesResource(field, resource);
  const named = mapStringFields(context.document, value, schema, (field, _given, constraints, depth) => {
    const email = constraints.some((p) => formatOf(context.document, p) === 'email');
    if (!email && !NAME_FIELDS.includes(field) && !namesRecord(field, depth)) return undefined;
    const candidates = email ? names.map((name) => `${name}@example.org`) : names;
    return candidates.find((candidate) => constraints.every((p) => schemaMismatch(context.document, p, candidate) === undefined));
  });
  // A create's own id too (an update keeps the id its record has).
  return method === 'POST' ? withRunOwnId(named, schema, context) : named;
}

/**
 * A create body's own `id` (or `uuid`), where its schema takes one, made for
 * the run: the document's `id: "abc"` may be someone else's record, which an
 * upsert would overwrite. `interop-probe-<tag>`, else the run's own UUID where
 * only a UUID fits (a sandbox seeded from the document's examples has the
 * example's record), else its integer as a string (`"10"` where only digits
 * fit), else the run's integer (`withRunIntegerId`). A batch of more than
 * one record (an example's) is left as written: one id for all of them
 * would make them collide.
 */
function withRunOwnId(value: unknown, schema: unknown, context: PlanContext): unknown {
  if (Array.isArray(value) && value.length !== 1) return value;
  const made = runMadeIds(context.runTag!);
  // Only the record's own id, at the top (or in a batch of one's item): a nested `owner.id` refers to another record.
  const ownIdDepth = Array.isArray(value) ? 1 : 0;
  const withId = mapStringFields(context.document, value, schema, (field, _given, constraints, depth) => {
    if ((field !== 'id' && field !== 'uuid') || depth !== ownIdDepth) return undefined;
    return [made.text, made.uuid, String(made.integer)].find((candidate) => constraints.every((p) => schemaMismatch(context.document, p, candidate) === undefined));
  });
  return withRunIntegerId(withId, schema, context);
}

/**
 * A create body's integer `id` (Swagger Petstore's `id: 10`), where its schema
 * takes one, replaced by a number made from the run's tag (2,000,000,000 and
 * up, within a 32-bit integer): an upsert on the example's id overwrote pet 10,
 * someone else's. At the top of the body, or in a batch of one's item.
 */
function withRunIntegerId(value: unknown, schema: unknown, context: PlanContext): unknown {
  const item = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (item === null || typeof item !== 'object' || Array.isArray(item) || !Number.isInteger((item as Record<string, unknown>).id) || !context.runTag) return value;
  const id = runMadeIds(context.runTag).integer;
  const itemSchema = item === value ? schema : { allOf: itemSchemas(context.document, schema, value) };
  if (!propertySchemas(context.document, itemSchema, 'id', item).every((p) => schemaMismatch(context.document, p, id, { json: true }) === undefined)) return value;
  const replaced = { ...(item as Record<string, unknown>), id };
  return item === value ? replaced : [replaced];
}

/**
 * An update body (already given the run's own ids, as its create was) whose
 * own id field names the record the update is sent to: `uuid` where the path
 * parameter is one (`{petUuid}`), else `id`, where the body has that field; a
 * number where the example's was one and the id is one exactly. Set whatever
 * the field's schema says: an update that names another record in its body may
 * change that one. At the top of the body, or in a batch of one's item.
 */
function withRecordId(value: unknown, record: UpdatedRecord): unknown {
  const item = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return value;
  const field = /uuid$/i.test(record.parameter) ? 'uuid' : 'id';
  if (!Object.hasOwn(item, field)) return value;
  const given = (item as Record<string, unknown>)[field];
  const asNumber = Number(record.id);
  // Only a number that reads back as the same text: 9007199254740993 or 007 would name another record.
  const wanted = typeof given === 'number' && Number.isSafeInteger(asNumber) && String(asNumber) === record.id ? asNumber : record.id;
  if (given === wanted) return value;
  const changed = { ...(item as Record<string, unknown>), [field]: wanted };
  return item === value ? changed : [changed];
}

/**
 * A write body whose secret fields (`password`, `format: password`, `apiKey`)
 * hold the run's secret instead of the document's example or a generated
 * `example`, where the field's schema takes it: Homebridge's UI made an
 * administrator with the password `example` for as long as the run lasted.
 */
function withRunSecret(value: unknown, schema: unknown, context: PlanContext, secret: string): unknown {
  return mapStringFields(context.document, value, schema, (field, _given, constraints) => {
    if (!isSecretFieldName(field) && !constraints.some((p) => formatOf(context.document, p) === 'password')) return undefined;
    return constraints.every((p) => schemaMismatch(context.document, p, secret) === undefined) ? secret : undefined;
  });
}

/** How deep `mapStringFields` goes into a body: the objects a write nests (`{user: {email}}`, `[{email}]`). */
const MAX_BODY_DEPTH = 6;

/**
 * A body with `replace` asked about each string field of each object in it,
 * at the top, in nested objects and in array items (n8n's POST /users takes
 * `[{email, role}]`), with the schemas that constrain the field (through
 * $ref, allOf, the oneOf/anyOf branch the value fits) and its depth in the
 * body: its answer replaces the value,
 * undefined keeps it. Unchanged parts are shared, not copied.
 */
function mapStringFields(
  document: unknown,
  value: unknown,
  schema: unknown,
  replace: (field: string, given: string, constraints: unknown[], depth: number) => string | undefined,
  depth = 0,
): unknown {
  if (depth > MAX_BODY_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = { allOf: itemSchemas(document, schema, value) };
    let changed = false;
    const mapped = value.map((item) => {
      const next = mapStringFields(document, item, items, replace, depth + 1);
      changed ||= next !== item;
      return next;
    });
    return changed ? mapped : value;
  }
  let body: Record<string, unknown> | undefined;
  for (const [field, given] of Object.entries(value as Record<string, unknown>)) {
    // The field's schema may sit in an allOf branch: every schema that constrains it must take the value.
    const constraints = propertySchemas(document, schema, field, value);
    const next = typeof given === 'string' ? (replace(field, given, constraints, depth) ?? given) : mapStringFields(document, given, { allOf: constraints }, replace, depth + 1);
    if (next === given) continue;
    body ??= { ...(value as Record<string, unknown>) };
    body[field] = next;
  }
  return body ?? value;
}

/** A schema as an object, through its `$ref`, or undefined. */
function followedSchema(document: unknown, schemaOrRef: unknown): Record<string, unknown> | undefined {
  const followed = followLocalRef(document, schemaOrRef, '');
  return followed.ok && followed.value !== null && typeof followed.value === 'object' && !Array.isArray(followed.value) ? (followed.value as Record<string, unknown>) : undefined;
}

/** A schema's `format` (through $ref), or undefined. */
function formatOf(document: unknown, schemaOrRef: unknown): unknown {
  return followedSchema(document, schemaOrRef)?.format;
}

/**
 * Every schema that constrains property `field` of `object` (through $ref,
 * allOf, and the oneOf/anyOf branch `object` fits): its `properties` entry,
 * else the `patternProperties` entries whose pattern it matches, else an
 * `additionalProperties` schema (which JSON Schema applies only to members
 * neither names). A pattern the linear engine cannot run leaves the field
 * unconstrained there, as `schemaMismatch` does.
 */
function propertySchemas(document: unknown, schemaOrRef: unknown, field: string, object: unknown): unknown[] {
  return constraining(document, schemaOrRef, object, (schema) => {
    const properties = schema.properties;
    if (properties !== null && typeof properties === 'object' && Object.hasOwn(properties, field)) return (properties as Record<string, unknown>)[field];
    const patterns = schema.patternProperties;
    if (patterns !== null && typeof patterns === 'object' && !Array.isArray(patterns)) {
      const matched: unknown[] = [];
      for (const [source, patternSchema] of Object.entries(patterns as Record<string, unknown>)) {
        const test = linearPatternTest(source);
        if (test === undefined) return undefined;
        if (test(field)) matched.push(patternSchema);
      }
      if (matched.length > 0) return { allOf: matched };
    }
    const additional = schema.additionalProperties;
    return additional !== null && typeof additional === 'object' && !Array.isArray(additional) ? additional : undefined;
  });
}

/** Every schema an array's items must meet (its `items`, through $ref, allOf, and the oneOf/anyOf branch `array` fits). */
function itemSchemas(document: unknown, schemaOrRef: unknown, array: unknown): unknown[] {
  return constraining(document, schemaOrRef, array, (schema) => (schema.items !== undefined && !Array.isArray(schema.items) ? schema.items : undefined));
}

/**
 * What `pick` finds in a schema and in the schemas it is made of: every
 * `allOf` branch, and of `oneOf`/`anyOf` the first branch `value` fits (a
 * body example may match the second), else the first.
 */
function constraining(document: unknown, schemaOrRef: unknown, value: unknown, pick: (schema: Record<string, unknown>) => unknown, depth = 0): unknown[] {
  const schema = depth > 8 ? undefined : followedSchema(document, schemaOrRef);
  if (!schema) return [];
  const own = pick(schema);
  const found: unknown[] = own === undefined ? [] : [own];
  if (Array.isArray(schema.allOf)) for (const branch of schema.allOf) found.push(...constraining(document, branch, value, pick, depth + 1));
  for (const key of ['oneOf', 'anyOf']) {
    const branches = schema[key];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const fitting = branches.find((branch) => schemaMismatch(document, branch, value, { json: true }) === undefined) ?? branches[0];
    found.push(...constraining(document, fitting, value, pick, depth + 1));
  }
  return found;
}
