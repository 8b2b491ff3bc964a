import type { OutgoingRequest } from '../http/exchange-types.js';
import type { OperationSpec, ParameterSpec } from '../profile/profile-types.js';
import { declaredValue, generateValue, type SampleValue, type ValueSource } from './sample-value.js';
import { serializeHeader, serializePathValue, serializeQuery } from './serialize-parameter.js';
import type { ValueHarvest } from './value-harvest.js';

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
}

export type PlannedProbe =
  | {
      kind: 'ready';
      operation: OperationSpec;
      request: OutgoingRequest;
      /** The path with parameters substituted, relative to the target's base path. */
      concretePath: string;
      /** Where each parameter's value came from, by `in:name`. */
      valueSources: Record<string, ValueSource>;
    }
  | {
      kind: 'waiting';
      operation: OperationSpec;
      /** Path parameters that an earlier list response may still supply. */
      waitingFor: string[];
    }
  | { kind: 'skip'; operation: OperationSpec; reason: string };

/** Methods a read-only run probes: they change nothing on the supplier. TRACE is left out: it echoes requests, credentials included. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Plan one probe. Parameter values come from, in order: `--var`, the
 * parameter's example, the schema's default/const/enum/example, an earlier
 * list response (path parameters), then a value generated from the schema.
 * While `final` is false, a path parameter with no declared value waits for a
 * list response rather than being generated.
 *
 * @example
 *   planProbe(getPerson, context, harvest, false) // { kind: 'waiting', waitingFor: ['personId'] }
 */
export function planProbe(operation: OperationSpec, context: PlanContext, harvest: ValueHarvest, final: boolean): PlannedProbe {
  if (operation.method === 'TRACE') {
    return { kind: 'skip', operation, reason: 'TRACE is never probed: it echoes the request back, credentials included' };
  }
  if (!READ_METHODS.has(operation.method) && !context.allowWrites) {
    return { kind: 'skip', operation, reason: `${operation.method} is not probed in a read-only run (pass --allow-writes to probe writes)` };
  }
  const valueSources: Record<string, ValueSource> = {};
  const waitingFor: string[] = [];

  let concretePath = '';
  for (const segment of splitTemplate(operation.path)) {
    if (segment.kind === 'text') {
      concretePath += segment.text;
      continue;
    }
    const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === segment.name);
    let sample = parameter ? valueFor(parameter, context) : varValue(segment.name, context);
    if (!sample) {
      const harvested = harvest.lookup(concretePath.replace(/\/$/, ''), segment.name);
      if (harvested !== undefined) sample = { value: harvested, source: 'harvested' };
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
    const text = serializePathValue(segment.name, sample.value, parameter?.style, parameter?.explode ?? false);
    if (/^(\.|%2e){1,2}$/i.test(text)) {
      // URLs resolve `.` and `..` (even percent-encoded) away: the probe would ask about another resource.
      return { kind: 'skip', operation, reason: `the value ${JSON.stringify(text)} for {${segment.name}} is a dot segment, which a URL cannot carry: pass --var ${segment.name}=<value>` };
    }
    concretePath += text;
  }
  if (waitingFor.length > 0) return { kind: 'waiting', operation, waitingFor };

  const url = new URL(context.target.href.replace(/\/$/, '') + concretePath);
  const headers = Object.assign(Object.create(null) as Record<string, string>, { accept: acceptHeader(operation), ...lowerCaseKeys(context.headers) }); // null prototype: a header parameter named `constructor` is sent
  const cookies: string[] = [];
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') continue;
    // Optional parameters stay out unless the user names them: the probe asks the plainest question.
    if (!parameter.required && !Object.hasOwn(context.vars, parameter.name)) continue;
    const sample = valueFor(parameter, context) ?? generated(parameter, context);
    if (!sample) return { kind: 'skip', operation, reason: `no value for required ${parameter.in} parameter ${parameter.name}: pass --var ${parameter.name}=<value>` };
    valueSources[`${parameter.in}:${parameter.name}`] = sample.source;
    if (parameter.in === 'query') {
      for (const [k, v] of serializeQuery(parameter.name, sample.value, parameter.style, parameter.explode ?? (parameter.style ?? 'form') === 'form')) {
        url.searchParams.append(k, v);
      }
    } else if (parameter.in === 'header') {
      headers[parameter.name.toLowerCase()] ??= serializeHeader(sample.value, parameter.explode ?? false);
    } else {
      cookies.push(`${parameter.name}=${encodeURIComponent(serializeHeader(sample.value))}`);
    }
  }
  if (cookies.length > 0) headers.cookie ??= cookies.join('; ');

  const request: OutgoingRequest = { method: operation.method, url: url.href, headers, followRedirects: !documentsRedirect(operation) };
  if (operation.requestBody && !READ_METHODS.has(operation.method)) {
    const body = requestBodyFor(operation, context);
    if (!body) {
      if (operation.requestBody.required) return { kind: 'skip', operation, reason: 'no example or schema to build the required request body from' };
    } else {
      request.body = body.text;
      headers['content-type'] = body.mediaType;
    }
  }
  return { kind: 'ready', operation, request, concretePath, valueSources };
}

function varValue(name: string, context: PlanContext): SampleValue | undefined {
  // Own properties only: a parameter called `constructor` must not find Object.prototype's.
  return Object.hasOwn(context.vars, name) ? { value: context.vars[name], source: 'var' } : undefined;
}

function valueFor(parameter: ParameterSpec, context: PlanContext): SampleValue | undefined {
  return (
    varValue(parameter.name, context) ??
    (parameter.example ? { value: parameter.example.value, source: 'example' } : undefined) ??
    declaredValue(context.document, parameter.schema)
  );
}

function generated(parameter: ParameterSpec, context: PlanContext): SampleValue | undefined {
  const value = generateValue(context.document, parameter.schema ?? { type: 'string' });
  return value === undefined ? undefined : { value, source: 'generated' };
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

/** Ask for what the operation documents, so content negotiation cannot be blamed. */
function acceptHeader(operation: OperationSpec): string {
  const ranges = new Set<string>();
  for (const response of operation.responses) for (const media of response.content) ranges.add(media.mediaRange);
  return ranges.size === 0 ? '*/*' : [...ranges].join(', ');
}

/** When an operation documents a 3xx, that response is the one to check, so it is not followed. */
function documentsRedirect(operation: OperationSpec): boolean {
  return operation.responses.some((r) => /^3(\d\d|XX)$/.test(r.key));
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function requestBodyFor(operation: OperationSpec, context: PlanContext): { text: string; mediaType: string } | undefined {
  for (const media of operation.requestBody?.content ?? []) {
    if (!/json/i.test(media.mediaRange)) continue;
    const value = media.example ? media.example.value : generateValue(context.document, media.schema);
    if (value !== undefined) return { text: JSON.stringify(value), mediaType: media.mediaRange };
  }
  return undefined;
}
