import { CREDENTIAL_OPTIONS } from '../plan/credentials.js';
/**
 * Honest coverage: for every operation, whether a request was sent, whether a
 * documented success response came back and validated, and where each input
 * came from. A run's counts ("276 passed") say nothing when most answers were
 * 401s or 404s for placeholder ids; this says which operations were really seen.
 */
import { challengeBlamesCredentials, describeBodySource, describePlaceholders, generatedInputs, generatedValuesHint, omittedInputs, omittedValues, placeholderPathInputs, refusedBody, refusedPlaceholders, varHint } from '../checks/placeholder-inputs.js';
import { authorizationWithoutScheme, UNSCHEMED_AUTHORIZATION_HINT } from '../checks/status-hint.js';
import type { HttpExchange } from '../http/exchange-types.js';
import { isSuccessKey } from '../profile/extract-operations.js';
import { documentsRedirect } from '../plan/plan-probe.js';
import type { OperationSpec } from '../profile/profile-types.js';
import type { CheckResult } from '../results.js';
import { mediaTypeEssence } from '../media-type.js';
import { findResponseSpec } from '../schema/response-lookup.js';
import type { CoverageGap, CoverageSummary, OperationCoverage } from './report-types.js';

/** What the verdict and the coverage record need to know about one probe. Kept in memory, not written as is. */
export interface ProbeFact {
  /** The probe's sequence number in the run, from 1, in the order requests were sent. */
  index: number;
  operationId: string;
  method: string;
  path: string;
  /** The response status; undefined when no response came (see `transportError`). */
  status?: number;
  /** The transport failure's code (`timeout`, `connection-refused`, …) when no response came. */
  transportError?: string;
  carriesCredentials: boolean;
  /** Where each input came from, by `in:name`. */
  inputs: Record<string, string>;
  /**
   * A 2xx the operation documents: exactly, by range, or through `default`
   * where the operation documents no 2xx of its own (beside a 200, a 2xx only
   * `default` matches is not the success it describes).
   */
  documentedSuccess: boolean;
  /** An HTML page where the operation documents no HTML (a single-page app's fallback route, say). */
  servedHtml: boolean;
  /** A 401/403 whose challenge puts the refusal on the credentials (`insufficient_scope`, `invalid_token`): no placeholder is to blame. */
  credentialsChallenged?: true;
  /** A 401/403 to a credential the Authorization header carried with no scheme (`authorizationWithoutScheme`). */
  unschemedAuthorization?: true;
  /** The operation is marked `security: []`, so the run sent it no credentials whatever it was given. */
  securityExempt?: true;
  /** A documented success, not HTML, and no status, content-type or schema check failed or errored on it. */
  successValidated: boolean;
  /** The operation documents a redirect and no response a success could match (a download answering 302): see `documentsSuccess`. */
  redirectOnly?: true;
  /** This probe's results (the same objects as in the report's results). */
  results: readonly CheckResult[];
}

/** The checks whose verdict on a success response says it was what the document promised. */
const VALIDATING_CHECKS: ReadonlySet<string> = new Set(['status-code', 'content-type', 'response-schema']);

/**
 * The facts of one probe, from its exchange and its results.
 *
 * @example
 *   facts.push(probeFact({ index: 1, operation, exchange, inputs: { 'path:id': 'harvested' }, results, carriesCredentials: true }));
 */
export function probeFact(probe: {
  index: number;
  operation: Pick<OperationSpec, 'operationId' | 'method' | 'path' | 'responses' | 'securityExempt'>;
  exchange: Pick<HttpExchange, 'response' | 'transportError'>;
  inputs: Record<string, string>;
  results: readonly CheckResult[];
  carriesCredentials: boolean;
  /** The request's headers as sent, for what a refusal may be about. */
  requestHeaders?: Readonly<Record<string, string>>;
}): ProbeFact {
  const { operation, exchange, results } = probe;
  const status = exchange.response?.status;
  const spec = status === undefined ? undefined : findResponseSpec(operation as OperationSpec, status);
  const contentType = exchange.response?.headers['content-type'];
  const essence = contentType === undefined ? undefined : mediaTypeEssence(contentType);
  // The label alone is not a page: a `pong` sent as text/html is a wrong content type (content-type says so), not a web app.
  // A HEAD answer has no body to look at: its label is all there is.
  const servedHtml =
    essence === 'text/html' &&
    (operation.method.toUpperCase() === 'HEAD' || looksLikeMarkup(exchange.response!.body)) &&
    !(spec?.content ?? []).some((media) => /html/i.test(media.mediaRange));
  // A 2xx that only `default` matches, beside a documented success (200), is not the one the document
  // describes: Strapi answers 204 with no body for a user that does not exist, where `default` is its error.
  const byDefaultOnly = spec?.key.toLowerCase() === 'default' && operation.responses.some((r) => isSuccessKey(r.key));
  const documentedSuccess = status !== undefined && status >= 200 && status < 300 && spec !== undefined && !byDefaultOnly;
  const successValidated = documentedSuccess && !servedHtml && results.some((r) => r.status === 'pass') && !results.some(failedValidation);
  // One per probe, kept to the end of the run: no spreads, and the inputs shared with the plan (neither changes them).
  const fact: ProbeFact = {
    index: probe.index,
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    carriesCredentials: probe.carriesCredentials,
    inputs: probe.inputs,
    documentedSuccess,
    servedHtml,
    successValidated,
    results,
  };
  if (status !== undefined) fact.status = status;
  if (!documentsSuccess(operation) && documentsRedirect(operation)) fact.redirectOnly = true;
  if (exchange.transportError) fact.transportError = exchange.transportError.code;
  if ((status === 401 || status === 403) && challengeBlamesCredentials(exchange.response!.headers)) fact.credentialsChallenged = true;
  if ((status === 401 || status === 403) && probe.carriesCredentials && authorizationWithoutScheme(probe.requestHeaders)) fact.unschemedAuthorization = true;
  if (operation.securityExempt) fact.securityExempt = true;
  return fact;
}

/**
 * Whether an operation documents a response a success could match: a 2xx, a
 * `2XX` range, or `default` where no other answer that is not an error (a
 * 1xx or 3xx) is documented beside it: there `default` is the error's. One
 * that documents only a redirect (a download answering 302, with `default`
 * for its errors) can never reach a validated success response.
 *
 * @example
 *   documentsSuccess({ responses: [{ key: '302' }, { key: 'default' }] }); // false
 */
export function documentsSuccess(operation: { responses: ReadonlyArray<{ key: string }> }): boolean {
  const keys = operation.responses.map((r) => r.key);
  if (keys.some(isSuccessKey)) return true;
  return keys.some((key) => key.toLowerCase() === 'default') && !keys.some((key) => /^[13](\d\d|XX)$/i.test(key));
}

/**
 * Whether a body starts as markup does (`<!doctype html>`, `<html>`, a comment),
 * after any byte order mark and white space: an HTML page, rather than text
 * merely labelled text/html.
 *
 * @example
 *   looksLikeMarkup(Buffer.from('\n  <!DOCTYPE html><html>…')); // true
 *   looksLikeMarkup(Buffer.from('pong')); // false
 */
export function looksLikeMarkup(body: Uint8Array): boolean {
  const text = new TextDecoder().decode(body.subarray(0, 512)).replace(/^\uFEFF/, '');
  return /^\s*</.test(text);
}

/** A status, content-type or schema check that failed or errored: the success was not what the document promised. */
function failedValidation(result: CheckResult): boolean {
  return VALIDATING_CHECKS.has(result.check) && (result.status === 'fail' || result.status === 'error');
}

/**
 * Path parameters whose values did not name a known resource (an example, a
 * default, a generated value): a 404 to such a probe says the value does not
 * exist, not that the path is not served.
 *
 * @example
 *   placeholderInputs({ inputs: { 'path:id': 'example', 'query:q': 'var' } }); // ['id']
 */
export function placeholderInputs(fact: Pick<ProbeFact, 'inputs'>): string[] {
  return placeholderPathInputs(fact.inputs);
}

/**
 * Whether some request that carried credentials got a 2xx: the credentials
 * work, as far as the run saw.
 *
 * @example
 *   credentialsAccepted([{ status: 200, carriesCredentials: true }]); // true
 */
function credentialsAccepted(facts: readonly Pick<ProbeFact, 'status' | 'carriesCredentials'>[]): boolean {
  return facts.some((f) => f.carriesCredentials && f.status !== undefined && f.status >= 200 && f.status < 300);
}

/**
 * A 403 to credentials that status-code warns of rather than blaming them
 * (`refusedPlaceholders`): the path's placeholder may name no record.
 *
 * @example
 *   placeholderRefusal({ status: 403, carriesCredentials: true, inputs: { 'path:id': 'generated' } }); // true
 */
export function placeholderRefusal(fact: Pick<ProbeFact, 'status' | 'carriesCredentials' | 'inputs' | 'credentialsChallenged'>): boolean {
  return fact.carriesCredentials && refusedPlaceholders(fact.status, fact.credentialsChallenged === true, fact.inputs).length > 0;
}

/** Why a probe that got an answer did not show a validated success, and what would help. */
function explainProbe(fact: ProbeFact, run: { credentialsAccepted: boolean; answeredElsewhere: boolean }, declaresParameters = false): { reason: string; hint?: string } {
  if (fact.status === undefined) return { reason: `no response (${fact.transportError ?? 'transport failure'})` };
  const status = fact.status;
  const placeholders = placeholderInputs(fact);
  if (placeholderRefusal(fact)) {
    // The parenthesis last: gaps are grouped by the words before it.
    const sources = describePlaceholders(placeholders, fact.inputs);
    return run.credentialsAccepted
      ? { reason: `403 with a placeholder value, which may name no record: the same credentials got a 2xx elsewhere in the run (${sources})`, hint: varHint(placeholders) }
      : { reason: `403 with a placeholder value, which may name no record, or credentials that lack a scope (${sources})`, hint: `${varHint(placeholders)}, or check the token and its scopes` };
  }
  if (fact.carriesCredentials && refusedBody(status, fact.credentialsChallenged === true, fact.inputs)) {
    return { reason: `403 to a request body the harness made, which may name something the credentials may not use (${describeBodySource(fact.inputs)})`, hint: 'an example request body in the document naming records the credentials may use' };
  }
  if (status === 401 || status === 403) {
    if (!fact.carriesCredentials && fact.securityExempt) return { reason: `${status}: the document marks the operation \`security: []\`, so no credentials went to it`, hint: 'security in the document, if the operation needs credentials' };
    if (!fact.carriesCredentials) return { reason: `${status}: credentials missing`, hint: CREDENTIAL_OPTIONS };
    // Only while the bare credential worked nowhere: Unleash takes its key bare, and refused a few operations to it for their own reasons.
    const unschemed = fact.unschemedAuthorization && !run.credentialsAccepted ? `${UNSCHEMED_AUTHORIZATION_HINT}; else ` : '';
    return status === 401
      ? { reason: '401: the credentials sent were rejected', hint: `${unschemed}check the token` }
      : { reason: '403: the credentials sent were refused this operation', hint: `${unschemed}check the token's scopes, and what the account's role, plan or licence allows` };
  }
  if (status === 404 && placeholders.length > 0) {
    return { reason: `404 with a placeholder value (${describePlaceholders(placeholders, fact.inputs)})`, hint: varHint(placeholders) };
  }
  const harvested = Object.entries(fact.inputs).filter(([input, source]) => input.startsWith('path:') && source === 'harvested').map(([input]) => input.slice('path:'.length));
  if (status === 404 && harvested.length > 0) {
    // A list elsewhere gave the value, and it did not fit here (a disabled environment, another project's record).
    return { reason: `404 for a value taken from an earlier list (${harvested.map((n) => `{${n}}`).join(', ')}): it may not belong to this path`, hint: varHint(harvested) };
  }
  const created = Object.entries(fact.inputs).filter(([input, source]) => input.startsWith('path:') && source === 'created').map(([input]) => input.slice('path:'.length));
  if (status === 404 && created.length > 0) {
    // Under the run's record (`/categories/{id}/parent`): the record is there, and what the path names under it may not be
    // (found on Platformatic DB: a category the run made without a parent has none to read).
    const under = /\{([^{}/]+)\}(\/[^{}]+)$/.exec(fact.path);
    if (under !== undefined && under !== null && created.includes(under[1]!)) {
      return { reason: `404 under the run's own record (${under[2]} of {${under[1]}}): the record made may have nothing there, or the path is not served` };
    }
    // The run's own record: the read after its DELETE (as it should), or an id that did not name it;
    // resource-available and status-code say which. Not a path the target does not serve.
    return { reason: "404 for the run's own record (after its DELETE, or under an id that does not name it: see resource-available)" };
  }
  if (status === 404 && run.answeredElsewhere) {
    // NocoDB's groupby answered 404 for a missing column name while 18 paths beside it answered: the base path is right.
    if (declaresParameters || Object.keys(fact.inputs).length > 0) {
      return { reason: '404 where other paths of the target answered 2xx: the record, or a value the request lacks, was not found', hint: "check the operation's parameters, and pass the values it needs with --var name=<value>" };
    }
    // An operation with no parameters: no value to blame, the server has no such path (an older version of the API?).
    return { reason: '404 to an operation with no parameters, where other paths of the target answered 2xx: the target does not serve this path', hint: 'an operation the document lists that this server does not have (another version of the API?)' };
  }
  if (status === 404) return { reason: '404: the target does not serve this path', hint: 'check --target and its base path' };
  if (fact.servedHtml) return { reason: `${status} with an HTML page where the document promises none (the fallback route of a web app?)`, hint: 'check --target and its base path' };
  if (status >= 500) return { reason: `${status}: server error` };
  if (status >= 400) {
    const omitted = omittedInputs(fact.inputs, status);
    if (omitted.length > 0) {
      const { what, hint } = omittedValues(omitted);
      return { reason: `${status} to a request without ${what}, which the run had no value for`, hint };
    }
    const generated = generatedInputs(fact.inputs, status);
    const hint = generatedValuesHint(generated);
    return generated.length > 0 ? { reason: `${status} with generated values`, ...(hint ? { hint } : {}) } : { reason: `${status}: the request was refused` };
  }
  if (status >= 300) return { reason: `${status}: a redirect that was not followed` };
  if (!fact.documentedSuccess) return { reason: `${status} is not a documented success status` };
  if (fact.results.length === 0) return { reason: `${status}: seen, but no check of this run judges an operation's response` };
  const failed = fact.results.filter((r) => VALIDATING_CHECKS.has(r.check) && (r.status === 'fail' || r.status === 'error')).map((r) => r.check);
  if (failed.length > 0) return { reason: `${status} did not validate (${[...new Set(failed)].join(', ')})` };
  // A profile that selects no schema or status check (transparency's) may have nothing to say of this operation's answer.
  if (fact.results.every((r) => r.status === 'skip')) return { reason: `${status}: seen, but every check of this run skipped it` };
  return { reason: `${status}: no check passed on it` };
}

/** The option a skip reason names (`pass --var id=<value>`, `pass --allow-writes`), as a hint. */
function hintFromReason(reason: string): string | undefined {
  return /\bpass (--[a-z-]+(?: [\w.:-]+=\S*[^\s).;,])?)/.exec(reason)?.[1];
}

/**
 * One coverage record per operation (in profile order) and the summary counts.
 * Operations not sent take their reason from their `probe` skip result.
 *
 * @example
 *   const { records, summary } = buildCoverage(profile.operations, facts, results);
 *   `success responses validated for ${summary.successValidated} of ${summary.operations} operations`;
 */
export function buildCoverage(
  operations: ReadonlyArray<Pick<OperationSpec, 'operationId' | 'method' | 'path'> & Partial<Pick<OperationSpec, 'parameters' | 'requestBody'>>>,
  facts: readonly ProbeFact[],
  results: readonly CheckResult[],
): { records: OperationCoverage[]; summary: CoverageSummary } {
  const key = (o: { operationId: string; method: string; path: string }) => `${o.method.toUpperCase()} ${o.path} ${o.operationId}`;
  const factsByOperation = new Map<string, ProbeFact[]>();
  for (const fact of [...facts].sort((a, b) => a.index - b.index)) {
    const list = factsByOperation.get(key(fact));
    if (list) list.push(fact);
    else factsByOperation.set(key(fact), [fact]);
  }
  const run = { credentialsAccepted: credentialsAccepted(facts), answeredElsewhere: facts.some((f) => f.status !== undefined && f.status >= 200 && f.status < 300 && !f.servedHtml) };
  const skipReasons = new Map<string, string>();
  for (const result of results) if (result.check === 'probe' && !skipReasons.has(key(result))) skipReasons.set(key(result), result.message);

  const records = operations.map((operation): OperationCoverage => {
    const own = factsByOperation.get(key(operation)) ?? [];
    const record: OperationCoverage = {
      operationId: operation.operationId,
      method: operation.method,
      path: operation.path,
      sent: own.length > 0,
      answers: own.map((f) => f.status ?? f.transportError ?? 'no-response'),
      successSeen: own.some((f) => f.documentedSuccess),
      successValidated: own.some((f) => f.successValidated),
      inputs: Object.assign({}, ...own.map((f) => f.inputs)) as Record<string, string>,
    };
    if (record.successValidated) return record;
    if (own.length === 0) {
      const reason = skipReasons.get(key(operation)) ?? 'not probed';
      const hint = hintFromReason(reason);
      return { ...record, reason: `not sent: ${reason.replace(/^not probed: /, '')}`, ...(hint ? { hint } : {}) };
    }
    // A success that did not validate says most (a lifecycle's read after its DELETE answers 404, as it
    // should, and is no reason); else the last answer, the one a reader can act on.
    const explained = own.findLast((f) => f.documentedSuccess) ?? own[own.length - 1]!;
    const { reason, hint } = explainProbe(explained, run, (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined);
    return { ...record, reason, ...(hint ? { hint } : {}) };
  });
  const notReached: CoverageGap[] = records
    .filter((r) => !r.successValidated)
    .map((r) => ({ operationId: r.operationId, method: r.method, path: r.path, reason: r.reason ?? 'unknown', ...(r.hint ? { hint: r.hint } : {}) }));
  return {
    records,
    summary: {
      operations: records.length,
      sent: records.filter((r) => r.sent).length,
      successValidated: records.filter((r) => r.successValidated).length,
      notReached,
    },
  };
}

/**
 * The coverage line every format shows.
 *
 * @example
 *   coverageLine({ operations: 8, sent: 6, successValidated: 5, notReached: [] }); // 'success responses validated for 5 of 8 operations (6 sent)'
 */
export function coverageLine(coverage: CoverageSummary): string {
  return `success responses validated for ${coverage.successValidated} of ${coverage.operations} operations (${coverage.sent} sent)`;
}

/**
 * Gaps grouped by reason, largest group first, so a list of 200 operations
 * reads as three causes: `401: credentials missing (86): --token-env VAR, …`.
 *
 * @example
 *   groupGaps(summary.notReached)[0]; // { reason: '401: credentials missing', hint: '--token-env VAR, …', gaps: [...] }
 *   // a placeholder 404 group has no hint of its own: each gap names its --var
 */
export function groupGaps(gaps: readonly CoverageGap[]): Array<{ reason: string; hint?: string; gaps: CoverageGap[] }> {
  const groups = new Map<string, { reason: string; hint?: string; gaps: CoverageGap[] }>();
  for (const gap of gaps) {
    // Group by the reason's kind, not its exact words: placeholder 404s name their parameters, and each its own --var.
    const reason = gap.reason.replace(/\s*\(.*\)$/, '');
    const hint = gap.hint === undefined || gap.hint.startsWith('--var') ? undefined : gap.hint;
    const kind = `${reason}\u0000${hint ?? ''}`;
    const group = groups.get(kind);
    if (group) group.gaps.push(gap);
    else groups.set(kind, { reason, ...(hint ? { hint } : {}), gaps: [gap] });
  }
  return [...groups.values()].sort((a, b) => b.gaps.length - a.gaps.length);
}
