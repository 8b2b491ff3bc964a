/**
 * Findings about a supplier, as data. A check never throws to report a problem:
 * it returns findings, and the runner turns each into a `CheckResult` that names
 * the check, the requirement, the operation and the evidence behind it.
 */

export type Level = 'MUST' | 'SHOULD' | 'MAY';

/** Requirement levels, strongest first: the one order every ranking of levels uses. */
export const LEVEL_RANK: readonly Level[] = ['MUST', 'SHOULD', 'MAY'];

export type ResultStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/**
 * The one ranking used for every roll-up, worst first: a group of results takes
 * the status of its worst member. `error` (could not verify) outranks `fail` so a
 * roll-up never hides that evidence is missing.
 */
export const STATUS_RANK: readonly ResultStatus[] = ['error', 'fail', 'warn', 'skip', 'pass'];

export function worstStatus(statuses: Iterable<ResultStatus>): ResultStatus | undefined {
  let worst: ResultStatus | undefined;
  for (const status of statuses) {
    if (worst === undefined || STATUS_RANK.indexOf(status) < STATUS_RANK.indexOf(worst)) worst = status;
  }
  return worst;
}

/** One schema validation error, located by JSON pointer into the response body. */
export interface SchemaError {
  /** JSON pointer (RFC 6901) into the body, '' for the root. */
  pointer: string;
  /** The JSON Schema keyword that failed, e.g. `required`, `type`. */
  keyword: string;
  /** JSON pointer into the schema, for a reader comparing with the profile. */
  schemaPath: string;
  /** The named component schema (`components/schemas/<name>`) the failing keyword is in, when it is in one. */
  schema?: string;
  message: string;
  /** The offending value as JSON, truncated. Absent when the value is missing (e.g. `required`). */
  value?: string;
  /** Only on the note that ends a list cut short (`71 more schema errors not shown`): how many problems it stands for. */
  omitted?: number;
}

export interface RequestEvidence {
  method: string;
  url: string;
  /** Header values after redaction. */
  headers: Record<string, string>;
  /** Body excerpt for requests that send one (only with --allow-writes). */
  body?: string;
}

export interface ResponseEvidence {
  status: number;
  /** Header values after redaction; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** The first bytes of the body (decoded as UTF-8 with replacement), after redaction. */
  bodyExcerpt: string;
  /** Bytes of the body read (after content decoding), up to the body limit. */
  bodyBytes: number;
  /** SHA-256 (hex) of those bytes, so a body larger than the excerpt is still pinned by the report. */
  bodySha256: string;
  /** True when the body was cut off at the limit, so the excerpt and checks saw only part of it. */
  truncated: boolean;
  /** Set when the body is an event stream the harness stopped reading: its start only. */
  eventStream?: EventStreamRead;
}

/**
 * How much of an event stream (`text/event-stream`) was read before the
 * client closed it: such a body never ends on its own, so a probe reads its
 * start and stops, rather than wait out the request deadline for an error.
 */
export interface EventStreamRead {
  /** Milliseconds from the response's headers to the close. */
  readMs: number;
  /** Why reading stopped: a first event (or comment) was complete, the read time ran out, or the byte bound was reached. */
  until: 'first-event' | 'time' | 'size';
}

export interface RedirectHop {
  status: number;
  from: string;
  location: string;
  /** Whether the harness followed it; a redirect off the target's origin never is. */
  followed: boolean;
}

/** A 429 the harness waited out before retrying the request once. */
export interface RetryRecord {
  /** Status of the response that was retried (429). */
  status: number;
  /** Its `Retry-After` header as sent (redacted). */
  retryAfter: string;
  /** Milliseconds actually waited before the retry. */
  waitedMs: number;
}

/** What was sent and what came back, enough to reproduce the probe with curl. */
export interface Evidence {
  request: RequestEvidence;
  response?: ResponseEvidence;
  /** Redirects seen before the final response, in order. */
  redirects?: RedirectHop[];
  /** Responses waited out and retried before the final one (a 429 with a short `Retry-After`). */
  retries?: RetryRecord[];
  /** Milliseconds from sending the request to the end of the body (or the failure), retries included. */
  durationMs: number;
  /** The transport failure, when there was no complete response. */
  transportError?: { code: string; message: string };
  /** A curl command line that repeats the final request, secrets redacted. */
  curl: string;
}

/** What a check returns: a finding, before the runner attaches who, what and where. */
export interface Finding {
  status: ResultStatus;
  message: string;
  expected?: string;
  actual?: string;
  schemaErrors?: SchemaError[];
  /** Evidence of a follow-up exchange the finding is about; defaults to the probe's own. */
  evidence?: Evidence;
  /** For a result of the negative phase (`--negative`): what the request made invalid, or which boundary it tried. */
  negative?: NegativeMutation;
}

/**
 * One change the negative phase made to a valid request, as data: enough for a
 * reader to see what was sent and why, and for `replay` to judge it again.
 *
 * @example
 *   { location: 'query', name: 'limit', mutation: 'above-maximum', value: '101', expect: 'reject', reason: 'limit 101 is above the maximum 100' }
 */
export interface NegativeMutation {
  /** Where the change was made. `method`: the request's method; `credentials`: its credentials; `body`: its body (with --allow-writes). */
  location: 'path' | 'query' | 'header' | 'cookie' | 'method' | 'credentials' | 'body';
  /** The parameter's name, the method sent, `authorization`, or for a forged API key where it went (`query apikey`). */
  name: string;
  /**
   * What was done: `wrong-type`, `below-minimum`, `above-maximum`, `too-short`,
   * `too-long`, `pattern`, `enum`, `format`, `too-few-items`, `too-many-items`,
   * `missing`, `unknown-id`, `boundary`, `enum-value`, `undocumented-method`,
   * `no-credentials`, `invalid-token`, `invalid-key` (the lifecycle branch adds body kinds).
   */
  mutation: string;
  /** The value sent, as text (absent when the change removed it). */
  value?: string;
  /** Whether the document says the API must refuse the request (`reject`) or must take it (`accept`). */
  expect: 'reject' | 'accept';
  /** Why, in words: `limit 101 is above the maximum 100`. */
  reason: string;
}

/** One verdict in the report: a finding with who, what and where attached. */
export interface CheckResult extends Finding {
  /**
   * Stable within a report and across reruns with the same options, e.g.
   * `status-code/GET/listPersons/1` (see report/result-ids.ts); what
   * `interop-harness replay --result` names. Set when the report is assembled.
   */
  id?: string;
  check: string;
  /** Requirement ID from the profile's x-interop metadata, or null in generic mode. */
  requirement: string | null;
  level: Level;
  /** The document's operationId, or a stable synthetic one (`get_persons_personId`). */
  operationId: string;
  method: string;
  /** The path template from the profile, e.g. `/persons/{personId}`. */
  path: string;
}
