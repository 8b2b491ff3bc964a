/**
 * From a bundled OpenAPI 3 document to the `OperationSpec[]` later stages probe:
 * one entry per method under each path, with parameters merged, references to
 * parameters/responses/headers/bodies/examples followed, and JSON pointers to
 * every schema a response can be validated against.
 */
import { pathTemplateNames } from '../path-template.js';
import { followLocalRef } from '../follow-local-ref.js';
import { isRecord, joinPointer } from '../json-pointer.js';
import { mediaTypeEssence, takesJsonText } from '../media-type.js';
import { hasOas32Operations, pathItemOperations } from './path-item-operations.js';
import type {
  AcceptParameterSpec,
  QuerystringSpec,
  HeaderSpec,
  MediaTypeSpec,
  OperationSpec,
  ParameterSpec,
  ProfileWarning,
  RequestBodySpec,
  ResponseSpec,
} from './profile-types.js';

const PARAMETER_LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);
/** Header parameters the OpenAPI Specification says to ignore (the media types and security say those). */
const IGNORED_HEADER_PARAMETERS = new Set(['accept', 'content-type', 'authorization']);

export interface ExtractResult {
  operations: OperationSpec[];
  /** `duplicate-operation-id`, `operation-id-invalid`, `parameter-invalid`, `parameter-not-built`, `operation-invalid`, `ref-unresolved`. */
  warnings: ProfileWarning[];
}

interface Draft {
  spec: Omit<OperationSpec, 'operationId' | 'syntheticId'>;
  realId?: string;
}

/**
 * Extracts every operation of a bundled OpenAPI 3.x document. Never throws on a
 * malformed part: it is skipped with a located warning.
 *
 * @example
 *   const { operations } = extractOperations(doc);
 *   operations[0] // { operationId: 'get_persons_personId', syntheticId: true, method: 'GET', path: '/persons/{personId}', ... }
 */
export function extractOperations(document: Record<string, unknown>): ExtractResult {
  const warnings: ProfileWarning[] = [];
  const warn = (code: string, location: string, message: string): void => {
    warnings.push({ code, location, message });
  };
  const drafts: Draft[] = [];
  const declaredSchemes = declaredSecuritySchemes(document);
  for (const name of undeclaredSchemeNames(document['security'], declaredSchemes)) {
    warn('security-scheme-undeclared', '/security', undeclaredSchemeMessage(name, 'the document'));
  }
  const paths = document['paths'];
  if (!isRecord(paths)) return { operations: [], warnings };
  const oas32 = hasOas32Operations(document);

  for (const path of Object.keys(paths)) {
    if (path.startsWith('x-')) continue;
    const itemPointer = joinPointer('/paths', path);
    if (!path.startsWith('/')) {
      // OpenAPI requires it, and appended to the target `no-slash` would make `http://host:8080no-slash`.
      warn('path-invalid', itemPointer, `path "${path}" does not begin with "/"; its operations are skipped`);
      continue;
    }
    const item = followLocalRef(document, paths[path], itemPointer);
    if (!item.ok) {
      warn('ref-unresolved', itemPointer, `path item $ref "${item.ref}" cannot be followed: ${item.reason}; its operations are skipped`);
      continue;
    }
    if (!isRecord(item.value)) {
      warn('operation-invalid', itemPointer, `path item for ${path} is not an object; skipped`);
      continue;
    }
    const pathItem = item.value;
    const pathQuerystring: QuerystringSpec[] = [];
    const pathParameters = readParameters(document, pathItem['parameters'], joinPointer(item.pointer, 'parameters'), warn, oas32 ? pathQuerystring : undefined);
    for (const { method, operation, pointer } of pathItemOperations(pathItem, item.pointer, oas32, (at, message) => warn('operation-invalid', at, message))) {
      if (!isRecord(operation)) {
        warn('operation-invalid', pointer, `${method} ${path} is not an object; skipped`);
        continue;
      }
      const querystring = [...pathQuerystring];
      const operationParameters = readParameters(document, operation['parameters'], joinPointer(pointer, 'parameters'), warn, oas32 ? querystring : undefined);
      const spec: Draft['spec'] = {
        method,
        path,
        ...(typeof operation['summary'] === 'string' ? { summary: operation['summary'] } : {}),
        parameters: mergeParameters(pathParameters, operationParameters),
        responses: readResponses(document, operation['responses'], joinPointer(pointer, 'responses'), warn),
        secured: isSecured(operation['security'] ?? document['security']),
        ...(allowsAnonymous(operation['security'] ?? document['security']) ? { anonymousAllowed: true } : {}),
        ...(isExempt(operation['security'] ?? document['security']) ? { securityExempt: true } : {}),
        pointer,
      };
      for (const name of undeclaredSchemeNames(operation['security'], declaredSchemes)) {
        warn('security-scheme-undeclared', joinPointer(pointer, 'security'), undeclaredSchemeMessage(name, `${method} ${path}`));
      }
      for (const name of undeclaredTemplateNames(path, spec.parameters)) {
        warn('path-parameter-undeclared', pointer, `${method} ${path} declares no path parameter {${name}}, which OpenAPI requires for each template expression (Path Templating): its value is taken from --var ${name}=<value> or a list response, as text; without either the operation is not probed`);
      }
      // One per operation (the specification allows no more); the operation's own overrides the path's.
      const whole = querystring.at(-1);
      if (whole && writableQuerystring(whole.mediaType)) spec.querystring = whole;
      else if (whole?.required) spec.unbuilt = `its required parameter "${whole.name}" is the whole query string written as ${whole.mediaType} (in: querystring, OpenAPI 3.2), which the harness cannot write`;
      else if (whole) warn('parameter-not-built', whole.pointer, `parameter "${whole.name}" is the whole query string written as ${whole.mediaType} (in: querystring), which the harness cannot write; it is optional, so requests are sent without it`);
      const accept = acceptParameter(document, [{ list: operation['parameters'], pointer: joinPointer(pointer, 'parameters') }, { list: pathItem['parameters'], pointer: joinPointer(item.pointer, 'parameters') }]);
      if (accept !== undefined) spec.acceptParameter = accept;
      const requestBody = readRequestBody(document, operation['requestBody'], joinPointer(pointer, 'requestBody'), warn);
      if (requestBody !== undefined) spec.requestBody = requestBody;
      const declared = operation['operationId'];
      let realId: string | undefined;
      if (typeof declared === 'string' && declared.trim() !== '') {
        realId = declared;
      } else if (declared !== undefined) {
        warn('operation-id-invalid', joinPointer(pointer, 'operationId'), `operationId of ${method} ${path} is not a non-empty string; a synthetic id is used`);
      }
      drafts.push(realId === undefined ? { spec } : { spec, realId });
    }
  }
  return { operations: assignOperationIds(drafts, warn), warnings };
}

/** The template expressions of a path (`/comments/{id}`) that no `in: path` parameter names. */
function undeclaredTemplateNames(path: string, parameters: readonly { in: string; name: string }[]): string[] {
  return [...new Set(pathTemplateNames(path))].filter((name) => !parameters.some((p) => p.in === 'path' && p.name === name));
}

/**
 * Gives every operation a unique id: real ids are kept (a repeated one gets a
 * suffix and a warning); missing ones are made from method and path. All real
 * ids are reserved first, so a synthetic id never takes one a later operation declares.
 */
function assignOperationIds(drafts: Draft[], warn: (code: string, location: string, message: string) => void): OperationSpec[] {
  const used = new Set<string>();
  for (const draft of drafts) if (draft.realId !== undefined) used.add(draft.realId);
  const claimed = new Set<string>();
  const unique = (base: string): string => {
    let n = 2;
    while (used.has(`${base}_${n}`)) n++;
    const id = `${base}_${n}`;
    used.add(id);
    return id;
  };
  return drafts.map(({ spec, realId }) => {
    const { pointer, method, path } = spec;
    let operationId: string;
    let syntheticId = false;
    if (realId !== undefined && !claimed.has(realId)) {
      operationId = realId;
      claimed.add(realId);
    } else if (realId !== undefined) {
      operationId = unique(realId);
      warn('duplicate-operation-id', joinPointer(pointer, 'operationId'), `operationId "${realId}" of ${method} ${path} is already used by another operation; this one is called "${operationId}"`);
    } else {
      const base = syntheticOperationId(method, path);
      syntheticId = true;
      if (used.has(base)) operationId = unique(base);
      else {
        operationId = base;
        used.add(base);
      }
    }
    return { operationId, syntheticId, ...spec };
  });
}

/**
 * A readable, stable id from method and path template.
 *
 * @example syntheticOperationId('GET', '/persons/{personId}') // 'get_persons_personId'
 */
export function syntheticOperationId(method: string, path: string): string {
  const words = path
    .replace(/[{}]/g, '/')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  return [method.toLowerCase(), ...(words.length > 0 ? words : ['root'])].join('_');
}

type Warn = (code: string, location: string, message: string) => void;

/** Whether a query string can be written from a value in this media type: as a form, or as JSON text. */
function writableQuerystring(mediaType: string): boolean {
  return mediaType.toLowerCase() === 'application/x-www-form-urlencoded' || (!mediaType.includes('*') && takesJsonText(mediaType));
}

/**
 * An operation's own `Accept` header parameter, the operation's declaration
 * before its path's: its example and schema, for the planner to take its
 * value from. OpenAPI says such a parameter SHALL be ignored as a parameter,
 * and it is; but a supplier that checks Accept against it refused the
 * harness's list of every documented media type (va.gov's facilities API,
 * rev.ai: 422), so the probe asks for the one the document names.
 */
function acceptParameter(document: unknown, lists: ReadonlyArray<{ list: unknown; pointer: string }>): AcceptParameterSpec | undefined {
  for (const { list, pointer } of lists) {
    if (!Array.isArray(list)) continue;
    for (const [index, entry] of list.entries()) {
      const followed = followLocalRef(document, entry, joinPointer(pointer, index));
      if (!followed.ok || !isRecord(followed.value)) continue;
      const parameter = followed.value;
      if (parameter['in'] !== 'header' || typeof parameter['name'] !== 'string' || parameter['name'].toLowerCase() !== 'accept') continue;
      const example = exampleOf(document, parameter, followed.pointer);
      return { ...('schema' in parameter ? { schema: parameter['schema'] } : {}), ...(example !== undefined ? { example } : {}) };
    }
  }
  return undefined;
}

function readParameters(document: unknown, list: unknown, listPointer: string, warn: Warn, querystring?: QuerystringSpec[]): ParameterSpec[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    warn('parameter-invalid', listPointer, 'parameters is not a list; ignored');
    return [];
  }
  const parameters: ParameterSpec[] = [];
  list.forEach((entry, index) => {
    const written = joinPointer(listPointer, index);
    const followed = followLocalRef(document, entry, written);
    if (!followed.ok) {
      warn('ref-unresolved', written, `parameter $ref "${followed.ref}" cannot be followed: ${followed.reason}; parameter ignored`);
      return;
    }
    const parameter = followed.value;
    if (!isRecord(parameter) || typeof parameter['name'] !== 'string' || parameter['name'] === '') {
      warn('parameter-invalid', written, 'parameter has no name; ignored');
      return;
    }
    const location = parameter['in'];
    if (location === 'querystring' && querystring) {
      const media = firstMedia(document, parameter['content'], followed.pointer, warn);
      const example = exampleOf(document, parameter, followed.pointer) ?? (media ? exampleOf(document, media.media, media.mediaPointer) : undefined);
      querystring.push({
        name: parameter['name'],
        required: parameter['required'] === true,
        // The specification requires `content` with one entry here; without it the string is read as a form.
        mediaType: media ? (mediaTypeEssence(media.mediaRange) ?? media.mediaRange.trim()) : 'application/x-www-form-urlencoded',
        ...(media && 'schema' in media.media ? { schema: media.media['schema'] } : {}),
        ...(example !== undefined ? { example } : {}),
        pointer: followed.pointer,
      });
      return;
    }
    if (typeof location !== 'string' || !PARAMETER_LOCATIONS.has(location)) {
      warn('parameter-invalid', written, `parameter "${parameter['name']}" has in: ${JSON.stringify(location) ?? 'undefined'}, not path, query, header or cookie; ignored`);
      return;
    }
    // OpenAPI: a header parameter named Accept, Content-Type or Authorization "SHALL be ignored".
    if (location === 'header' && IGNORED_HEADER_PARAMETERS.has(parameter['name'].toLowerCase())) return;
    const content = firstMedia(document, parameter['content'], followed.pointer, warn);
    const schema = 'schema' in parameter ? parameter['schema'] : content?.media['schema'];
    const example = exampleOf(document, parameter, followed.pointer) ?? (content ? exampleOf(document, content.media, content.mediaPointer) : undefined);
    parameters.push({
      name: parameter['name'],
      in: location as ParameterSpec['in'],
      // A path parameter is always needed to build the URL, whatever the document says.
      required: location === 'path' ? true : parameter['required'] === true,
      ...(schema !== undefined ? { schema } : {}),
      ...(example !== undefined ? { example } : {}),
      ...(typeof parameter['style'] === 'string' ? { style: parameter['style'] } : {}),
      ...(typeof parameter['explode'] === 'boolean' ? { explode: parameter['explode'] } : {}),
      // `schema` and `content` are exclusive; a document that gives both is read by its schema, as before.
      ...(content && !('schema' in parameter) ? { mediaType: mediaTypeEssence(content.mediaRange) ?? content.mediaRange.trim() } : {}),
      pointer: followed.pointer,
    });
  });
  return parameters;
}

/** Operation parameters override path-level ones with the same name and location. */
function mergeParameters(pathLevel: ParameterSpec[], operationLevel: ParameterSpec[]): ParameterSpec[] {
  const merged = new Map<string, ParameterSpec>();
  // Header names are case-insensitive, so `X-Id` overrides `x-id`.
  const key = (p: ParameterSpec): string => `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
  for (const parameter of pathLevel) merged.set(key(parameter), parameter);
  for (const parameter of operationLevel) merged.set(key(parameter), parameter);
  return [...merged.values()];
}

function readRequestBody(document: unknown, value: unknown, pointer: string, warn: Warn): RequestBodySpec | undefined {
  if (value === undefined) return undefined;
  const followed = followLocalRef(document, value, pointer);
  if (!followed.ok) {
    warn('ref-unresolved', pointer, `requestBody $ref "${followed.ref}" cannot be followed: ${followed.reason}; ignored`);
    return undefined;
  }
  if (!isRecord(followed.value)) {
    warn('operation-invalid', pointer, 'requestBody is not an object; ignored');
    return undefined;
  }
  const body = followed.value;
  const content: RequestBodySpec['content'] = [];
  if (isRecord(body['content'])) {
    for (const [mediaRange, written] of Object.entries(body['content'])) {
      const { media, mediaPointer } = mediaTypeAt(document, written, joinPointer(followed.pointer, 'content', mediaRange), warn);
      const entry: RequestBodySpec['content'][number] = { mediaRange };
      if (isRecord(media)) {
        if (hasSchema(media)) {
          entry.schemaPointer = joinPointer(mediaPointer, 'schema');
          entry.schema = media['schema'];
        }
        const example = exampleOf(document, media, mediaPointer);
        if (example !== undefined) entry.example = example;
      }
      content.push(entry);
    }
  }
  return { required: body['required'] === true, content };
}

function readResponses(document: unknown, value: unknown, pointer: string, warn: Warn): ResponseSpec[] {
  if (!isRecord(value)) return [];
  const responses: ResponseSpec[] = [];
  for (const written of Object.keys(value)) {
    if (written.startsWith('x-')) continue;
    const writtenPointer = joinPointer(pointer, written);
    const followed = followLocalRef(document, value[written], writtenPointer);
    if (!followed.ok) {
      warn('ref-unresolved', writtenPointer, `response $ref "${followed.ref}" cannot be followed: ${followed.reason}; response ${written} ignored`);
      continue;
    }
    if (!isRecord(followed.value)) {
      warn('operation-invalid', writtenPointer, `response ${written} is not an object; ignored`);
      continue;
    }
    const response = followed.value;
    const content: MediaTypeSpec[] = [];
    if (isRecord(response['content'])) {
      for (const [mediaRange, written] of Object.entries(response['content'])) {
        const { media, mediaPointer } = mediaTypeAt(document, written, joinPointer(followed.pointer, 'content', mediaRange), warn);
        const spec: MediaTypeSpec = { mediaRange };
        if (isRecord(media) && hasSchema(media)) spec.schemaPointer = joinPointer(mediaPointer, 'schema');
        if (isRecord(media) && hasSchema(media, 'itemSchema')) spec.itemSchemaPointer = joinPointer(mediaPointer, 'itemSchema');
        content.push(spec);
      }
    }
    responses.push({
      key: responseKey(written),
      content,
      headers: readHeaders(document, response['headers'], joinPointer(followed.pointer, 'headers'), warn),
      pointer: followed.pointer,
    });
  }
  return responses;
}

/**
 * Response keys as later stages compare them: ranges upper-cased, `default` lower-cased.
 *
 * @example responseKey('2xx') // '2XX'
 */
export function responseKey(key: string): string {
  if (/^[1-5]xx$/i.test(key)) return key.toUpperCase();
  if (key.toLowerCase() === 'default') return 'default';
  return key;
}

/**
 * Whether a response key documents a success: a 2xx status or the `2XX` range.
 *
 * @example isSuccessKey('2XX') // true; isSuccessKey('default') // false
 */
export function isSuccessKey(key: string): boolean {
  return /^2(\d\d|XX)$/i.test(key);
}

function readHeaders(document: unknown, value: unknown, pointer: string, warn: Warn): HeaderSpec[] {
  if (!isRecord(value)) return [];
  const headers: HeaderSpec[] = [];
  for (const name of Object.keys(value)) {
    // OpenAPI: a response header named Content-Type "SHALL be ignored" (the media type says it).
    if (name.toLowerCase() === 'content-type') continue;
    const writtenPointer = joinPointer(pointer, name);
    const followed = followLocalRef(document, value[name], writtenPointer);
    if (!followed.ok) {
      warn('ref-unresolved', writtenPointer, `header $ref "${followed.ref}" cannot be followed: ${followed.reason}; header ${name} ignored`);
      continue;
    }
    if (!isRecord(followed.value)) {
      warn('operation-invalid', writtenPointer, `header ${name} is not an object; ignored`);
      continue;
    }
    const header = followed.value;
    const spec: HeaderSpec = { name, required: header['required'] === true };
    if (hasSchema(header)) {
      spec.schemaPointer = joinPointer(followed.pointer, 'schema');
    } else {
      const content = firstMedia(document, header['content'], followed.pointer, warn);
      if (content && hasSchema(content.media)) {
        spec.schemaPointer = joinPointer(content.mediaPointer, 'schema');
        spec.mediaType = content.mediaRange;
      }
    }
    headers.push(spec);
  }
  return headers;
}

/**
 * A Media Type object where it is written, or where its `$ref` leads (OpenAPI
 * 3.2 lets one be a reference to `components/mediaTypes`): schema pointers
 * must name where the schema really is.
 */
function mediaTypeAt(document: unknown, written: unknown, pointer: string, warn: Warn): { media: unknown; mediaPointer: string } {
  const followed = followLocalRef(document, written, pointer);
  if (followed.ok) return { media: followed.value, mediaPointer: followed.pointer };
  warn('ref-unresolved', pointer, `media type $ref "${followed.ref}" cannot be followed: ${followed.reason}; its schema is not used`);
  return { media: undefined, mediaPointer: pointer };
}

/** A schema is an object (possibly a `$ref` object) or, in OpenAPI 3.1, a boolean. */
function hasSchema(container: Record<string, unknown>, key: 'schema' | 'itemSchema' = 'schema'): boolean {
  const schema = container[key];
  return isRecord(schema) || typeof schema === 'boolean';
}

/** The first media type of a parameter's or header's `content`, its `$ref` followed (OpenAPI 3.2's `components/mediaTypes`). */
function firstMedia(document: unknown, content: unknown, pointer: string, warn: Warn): { mediaRange: string; media: Record<string, unknown>; mediaPointer: string } | undefined {
  if (!isRecord(content)) return undefined;
  for (const [mediaRange, written] of Object.entries(content)) {
    const { media, mediaPointer } = mediaTypeAt(document, written, joinPointer(pointer, 'content', mediaRange), warn);
    if (isRecord(media)) return { mediaRange, media, mediaPointer };
  }
  return undefined;
}

/** `example`, else the data of the first entry of `examples` (following its `$ref`): `dataValue` in 3.2, `value` before. */
function exampleOf(document: unknown, holder: Record<string, unknown>, pointer: string): { value: unknown } | undefined {
  if ('example' in holder) return { value: holder['example'] };
  const examples = holder['examples'];
  if (!isRecord(examples)) return undefined;
  for (const name of Object.keys(examples)) {
    const followed = followLocalRef(document, examples[name], joinPointer(pointer, 'examples', name));
    if (!followed.ok || !isRecord(followed.value)) continue;
    // OpenAPI 3.2 names the data `dataValue` (and its serialized form `serializedValue`); 3.0 and 3.1 call it `value`.
    if ('dataValue' in followed.value) return { value: followed.value['dataValue'] };
    if ('value' in followed.value) return { value: followed.value['value'] };
  }
  return undefined;
}

/**
 * Whether an empty requirement (`security: [{}, {bearer: []}]`) makes
 * credentials optional: then an answer without them proves nothing.
 */
function allowsAnonymous(security: unknown): boolean {
  return Array.isArray(security) && security.some((requirement) => isRecord(requirement) && Object.keys(requirement).length === 0);
}

/** `security: []`: the document says this operation takes no credentials, so none given go to it. */
function isExempt(security: unknown): boolean {
  return Array.isArray(security) && security.length === 0;
}

/** Secured when some security requirement names a scheme; `[]` or only `{}` means anonymous access. */
function isSecured(security: unknown): boolean {
  return Array.isArray(security) && security.some((requirement) => isRecord(requirement) && Object.keys(requirement).length > 0);
}

/** The names under `components.securitySchemes`. */
function declaredSecuritySchemes(document: Record<string, unknown>): ReadonlySet<string> {
  const components = document['components'];
  const schemes = isRecord(components) ? components['securitySchemes'] : undefined;
  return new Set(isRecord(schemes) ? Object.keys(schemes) : []);
}

/**
 * The scheme names a `security` requirement list uses that the document does
 * not declare (NocoDB's `xcAuth`), each once. OpenAPI 3.x: each name "MUST
 * correspond to a security scheme which is declared in the Security Schemes
 * under the Components Object".
 */
function undeclaredSchemeNames(security: unknown, declared: ReadonlySet<string>): string[] {
  if (!Array.isArray(security)) return [];
  const names = new Set<string>();
  for (const requirement of security) if (isRecord(requirement)) for (const name of Object.keys(requirement)) if (!declared.has(name)) names.add(name);
  return [...names];
}

function undeclaredSchemeMessage(name: string, where: string): string {
  return `${where} requires the security scheme "${name}", which components.securitySchemes does not declare, as OpenAPI requires (Security Requirement Object): no credential is placed for it, and an alternative naming it cannot be met`;
}
