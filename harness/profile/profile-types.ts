import type { Level } from '../results.js';

/** A problem in the profile that did not stop it loading, with where it is. */
export interface ProfileWarning {
  /** Stable short code, e.g. `openapi-invalid`, `duplicate-path-template`, `unknown-format`. */
  code: string;
  message: string;
  /** JSON pointer into the profile document (after conversion), e.g. `/paths/~1countries~1{countries}`. */
  location: string;
}

/** A requirement stated in a profile's `x-interop` metadata. */
export interface Requirement {
  id: string;
  level: Level;
  statement: string;
  /** Check IDs that verify it. */
  checks: string[];
  /** The Charter principle it serves, e.g. `interoperability-first`, when the profile says. */
  principle?: string;
  /** The public standard it traces to, e.g. `RFC 9457 section 3`, when the profile says. */
  source?: string;
  /** Why no check verifies it, for a requirement that cannot be tested by probing. */
  notTestedReason?: string;
}

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** Schema as written in the (bundled) document; may hold internal `$ref`s. */
  schema?: unknown;
  /** `example`, or the first of `examples` (its `value`), when the document gives one. */
  example?: { value: unknown };
  style?: string;
  explode?: boolean;
  /**
   * The media type of a parameter described by `content` instead of `schema`
   * (LoopBack's `filter`, `application/json`): its value is written whole in
   * that media type under its own name, and `style`/`explode` do not apply.
   */
  mediaType?: string;
  /** JSON pointer to the parameter in the document. */
  pointer: string;
}

/** An OpenAPI 3.2 `in: querystring` parameter: the whole query string, one value written in its media type. */
export interface QuerystringSpec {
  name: string;
  required: boolean;
  /** Its one `content` media type: `application/x-www-form-urlencoded` or a JSON one (the forms the harness writes). */
  mediaType: string;
  /** Schema as written in the (bundled) document; may hold internal `$ref`s. */
  schema?: unknown;
  /** `example`, or the first of `examples`, when the document gives one. */
  example?: { value: unknown };
  /** JSON pointer to the parameter in the document. */
  pointer: string;
}

export interface MediaTypeSpec {
  /** The media range as written, e.g. `application/json`, `application/*`, `application/vnd.x+json; version=2`. */
  mediaRange: string;
  /** JSON pointer to the media type's `schema`, when it has one: the key for its compiled validator. */
  schemaPointer?: string;
  /** JSON pointer to its `itemSchema` (OpenAPI 3.2: a stream, such as JSON Lines, whose every item validates against it). */
  itemSchemaPointer?: string;
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  schemaPointer?: string;
  /**
   * For a header described by `content` instead of `schema`: the media type its
   * value is written in (`application/json`: the value is JSON text, parsed
   * before it is validated, not read in the `simple` style).
   */
  mediaType?: string;
}

export interface ResponseSpec {
  /** `200`, `2XX` or `default`, as written (range keys upper-cased). */
  key: string;
  content: MediaTypeSpec[];
  headers: HeaderSpec[];
  pointer: string;
}

export interface RequestBodySpec {
  required: boolean;
  content: Array<MediaTypeSpec & { example?: { value: unknown }; schema?: unknown }>;
}

/** An `Accept` header parameter's example and schema: where the Accept a probe sends may come from. */
export interface AcceptParameterSpec {
  schema?: unknown;
  example?: { value: unknown };
}

export interface OperationSpec {
  /** The document's operationId, or a synthetic one that is stable across runs. */
  operationId: string;
  /** True when `operationId` was made by the harness. */
  syntheticId: boolean;
  /** Upper-case HTTP method. */
  method: string;
  /** Path template as in the document. */
  path: string;
  summary?: string;
  parameters: ParameterSpec[];
  requestBody?: RequestBodySpec;
  responses: ResponseSpec[];
  /** Whether the operation declares security (after applying the document default). */
  secured: boolean;
  /** Set when one of its security requirements is empty (`[{}, {bearer: []}]`): credentials are optional. */
  anonymousAllowed?: true;
  /** Set when its security is `[]`: it takes no credentials, and the run sends it none. */
  securityExempt?: true;
  /** Its `in: querystring` parameter (OpenAPI 3.2), which `parameters` does not list. */
  querystring?: QuerystringSpec;
  /** Its own `Accept` header parameter (which `parameters` does not list: OpenAPI ignores it), whose value is sent as Accept. */
  acceptParameter?: AcceptParameterSpec;
  /** Why the harness cannot build a request for it (a required `in: querystring` parameter in a media type it cannot write); it is never sent. */
  unbuilt?: string;
  /** JSON pointer to the operation object. */
  pointer: string;
}

export interface ProfileInfo {
  /** `x-interop.id`, or in generic mode `info.title` slugified (the file name when there is no title). */
  id: string;
  title: string;
  /** `x-interop.version`, else `info.version`. */
  version: string;
  /** SHA-256 (hex) of the profile file's bytes as read. */
  sha256: string;
  /** Where it came from: an absolute path, the http(s) URL it was fetched from, or `bundled:<id>`. */
  source: string;
  /** OpenAPI version of the document the harness probes (after any conversion). */
  openapi: string;
  /** `swagger-2.0` when the document was converted. */
  convertedFrom?: 'swagger-2.0';
  /** `profile` when the document carries `x-interop` requirements, else `generic`. */
  mode: 'profile' | 'generic';
  /** Server URLs from the document (informational: `--target` always overrides). */
  servers: string[];
}

/** The output of the load stage: everything later stages need, nothing they must re-read. */
export interface LoadedProfile {
  info: ProfileInfo;
  /** The bundled, converted document: internal `$ref`s only, never circular objects. */
  document: Record<string, unknown>;
  operations: OperationSpec[];
  requirements: Requirement[];
  warnings: ProfileWarning[];
}
