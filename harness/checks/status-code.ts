import { CREDENTIAL_OPTIONS } from '../plan/credentials.js';
import { documentedStatuses, error, fail, pass, skip, warn, type ResponseCheck } from './check.js';
import { challengeBlamesCredentials, describeBodySource, describePlaceholders, generatedInputs, generatedValuesHint, generatedValuesLabel, omittedInputs, omittedValues, refusedBody, refusedPlaceholders, varHint } from './placeholder-inputs.js';
import { authorizationWithoutScheme, statusHint, UNSCHEMED_AUTHORIZATION_HINT } from './status-hint.js';

/**
 * The status must be one the operation documents: exactly, by range (`2XX`) or through `default`.
 *
 * Two statuses are judged elsewhere, so that one defect is one result:
 * - a 5xx is the `server-error` check's (a documented 5xx still passes here, since it is documented);
 * - a 401 or 403 to a request that carried credentials is an `error`, never a pass:
 *   the supplier refused the harness, so the operation was not shown to conform.
 *   Except a 403 to a path value or a body the harness made up (an example, a generated value) whose
 *   challenge does not blame the credentials: some APIs answer 403 rather than 404 for a record that
 *   does not exist, so neither cause is shown; a warning, documented or not (it shows no success).
 */
export const statusCode: ResponseCheck = {
  kind: 'response',
  id: 'status-code',
  scope: 'generic',
  title: 'Documented status code',
  description: 'The response status is documented for the operation, as an exact code, a range such as 2XX, or default (OpenAPI precedence). An undocumented 5xx is left to server-error where it runs at a level no weaker (else it fails here); a 401 or 403 to a request that carried credentials is no evidence (error), except a 403 to a path value or request body the harness made up (an example, a generated value) whose challenge does not blame the credentials (insufficient_scope), which may name no record, or to the read of a record the run has just deleted with those credentials: a warning; an undocumented 404 or 410 to an id the harness chose (generated, or its own record under an id the supplier never confirmed or that the run chose among several id fields of the answer to its create) is a warning, and so is an undocumented 401 or 403 to a request sent without credentials to an operation that requires them (security with no empty alternative).',
  run({ operation, response, responseSpec, inputSources, carriesCredentials, lifecycle, requestHeaders, serverErrorsJudged }) {
    if (operation.responses.length === 0) return skip('the operation documents no responses');
    // A 401 is about the credentials alone, and so is a 403 whose challenge says so (insufficient_scope);
    // another 403 may be about the record a made-up path value names (or fails to).
    const placeholders = inputSources ? refusedPlaceholders(response.status, challengeBlamesCredentials(response.headers), inputSources) : [];
    const bodyRefused = inputSources !== undefined && refusedBody(response.status, challengeBlamesCredentials(response.headers), inputSources);
    if (response.status === 403 && carriesCredentials === true && lifecycle?.role === 'read-deleted') {
      // The same credentials read this record and deleted it: the refusal is about the deleted record, not them
      // (Directus answers 403 for an id it no longer has, not to say whether a record exists). A 401 says the
      // credentials failed (a token expired after the DELETE): an error, as anywhere.
      if (responseSpec) return pass(`status ${response.status} is documented ${responseSpec.key === String(response.status) ? 'exactly' : `by "${responseSpec.key}"`}`);
      return warn(
        `status ${response.status} is not documented for ${operation.method} ${operation.path}, answered to the read of a record the run has just deleted, with the credentials that read and deleted it: the refusal is about the deleted record, not the credentials (some APIs answer 403 rather than 404, not to say whether a record exists); the document should list it`,
        { expected: `one of ${documentedStatuses(operation)}`, actual: String(response.status) },
      );
    }
    if ((response.status === 401 || response.status === 403) && carriesCredentials === true && placeholders.length === 0 && !bodyRefused) {
      return {
        ...error(`answered ${response.status} to a request that carried credentials: ${refusedCredentials(response.status)}, so the operation could not be judged${authorizationWithoutScheme(requestHeaders) ? `; ${UNSCHEMED_AUTHORIZATION_HINT}` : ''}`),
        expected: 'a response to an authorised request',
        actual: String(response.status),
      };
    }
    if (placeholders.length > 0 && carriesCredentials === true) {
      // Documented or not, it shows no success: the credentials may lack a scope, or the value may name no record.
      return warn(
        `answered 403 to a request with a placeholder value (${describePlaceholders(placeholders, inputSources!)}): either the credentials lack a scope or the value names no record they may see (some APIs answer 403 rather than 404 for one), so the operation could not be judged; pass ${varHint(placeholders)} to judge it`,
        { expected: 'a response to an authorised request', actual: '403' },
      );
    }
    if (bodyRefused && carriesCredentials === true) {
      // As a placeholder path value: the body may name something that does not exist, or that these credentials may not use.
      return warn(
        `answered 403 to a request whose body is ${describeBodySource(inputSources!)}: either the credentials lack a permission or the body names something they may not use (Directus answers 403 for a collection that does not exist), so the operation could not be judged; an example request body in the document naming records the credentials may use would let the harness judge it`,
        { expected: 'a response to an authorised request', actual: '403' },
      );
    }
    if (!responseSpec) {
      const detail = { expected: `one of ${documentedStatuses(operation)}`, actual: String(response.status) };
      // One defect, one failure: server-error fails every 5xx, where it runs at a level no weaker than this check's.
      if (response.status >= 500 && serverErrorsJudged === true) return skip(`status ${response.status} is not documented; a 5xx is reported by server-error, not twice`);
      if (lifecycle?.role === 'read-deleted' && (response.status === 404 || response.status === 410)) {
        // The right answer for a record the run deleted (use-after-delete passes it); only the document is short.
        return warn(`status ${response.status} is not documented for ${operation.method} ${operation.path}, though it is the right answer for a record the run has just deleted: the document should list it`, detail);
      }
      const guessedId = lifecycle?.idSource === 'request-body' || (lifecycle?.idSource === 'response-body' && (lifecycle.otherIdFields?.length ?? 0) > 0);
      if (lifecycle?.role === 'read-created' && guessedId && (response.status === 404 || response.status === 410)) {
        // The supplier never named the id the path takes: the run sent it, or chose one of the answer's id fields
        // (`id` where the path takes `documentId`). A 404 to it shows no defect of the document
        // (resource-available says what it does show).
        const how = lifecycle.idSource === 'request-body' ? 'an id the supplier never confirmed (the run sent it, or the document wrote it), so the supplier may have stored it under another' : `an id the run took from one of the create's answer's id fields, and the path may take another (${lifecycle.otherIdFields!.join(', ')})`;
        return warn(`status ${response.status} is not documented, but the run read its record with ${how}`, detail);
      }
      if (placeholders.length > 0) {
        // No credentials were sent (with them, see above): the harness chose the value, and sent nothing that could pass.
        return warn(
          operation.securityExempt
            ? `status 403 is not documented, but the request used a placeholder value (${describePlaceholders(placeholders, inputSources!)}), and the document marks the operation \`security: []\`, so no credentials went to it: ${varHint(placeholders)} to judge it`
            : `status 403 is not documented, but no credentials were sent and the request used a placeholder value (${describePlaceholders(placeholders, inputSources!)}): pass ${CREDENTIAL_OPTIONS} if the operation needs credentials, and ${varHint(placeholders)}, to judge it`,
          detail,
        );
      }
      const omitted = omittedInputs(inputSources ?? {}, response.status);
      if (omitted.length > 0) {
        // The request lacked what the document calls required: a refusal of it shows nothing wrong but a document that does not list it.
        const { label, hint } = omittedValues(omitted);
        return warn(`status ${response.status} is not documented, but the request went without ${label}: pass ${hint} to judge it`, detail);
      }
      const generated = generatedInputs(inputSources ?? {}, response.status);
      if (response.status >= 400 && response.status < 500 && generated.length > 0) {
        // The harness invented these values; a supplier refusing them is not shown to be wrong.
        // The hint coverage gives too: --var for the parameters, an example for a body (none for the run's own id).
        const helps = generatedValuesHint(generated);
        const hint = helps === '' ? '' : `: ${helps} would let the harness judge it`;
        // Without credentials, a 401 or 403 says they are missing before it says anything about a value.
        const anonymous = (response.status === 401 || response.status === 403) && carriesCredentials === false
          ? operation.securityExempt
            ? ' no credentials were sent (the document marks the operation `security: []`), and'
            : ` no credentials were sent (pass ${CREDENTIAL_OPTIONS} if the operation needs them), and`
          : '';
        return warn(`status ${response.status} is not documented, but${anonymous} the request used generated values for ${generatedValuesLabel(generated)}${hint}`, detail);
      }
      if ((response.status === 401 || response.status === 403) && carriesCredentials === false && operation.secured && !operation.anonymousAllowed) {
        // The refusal the document's own security requirement implies: the run chose to send no credentials,
        // so the answer shows nothing wrong but a document that does not list it (ignored-auth judges the refusal).
        return warn(
          `status ${response.status} is not documented, but no credentials were sent to an operation whose document requires them, and this is the refusal that requirement implies; the document should list it (pass ${CREDENTIAL_OPTIONS} to judge the operation)`,
          detail,
        );
      }
      return fail(`status ${response.status} is not documented for ${operation.method} ${operation.path}${statusHint(response, { carriesCredentials: carriesCredentials ?? false, securityExempt: operation.securityExempt === true })}`, detail);
    }
    const how = responseSpec.key === String(response.status) ? 'exactly' : `by "${responseSpec.key}"`;
    return pass(`status ${response.status} is documented ${how}`);
  },
};

/**
 * What a 401 or 403 to credentials says of them. A 403 is a permission the
 * account lacks, which need not be a scope: n8n answers 403 to a valid key
 * for a feature its licence does not include.
 */
function refusedCredentials(status: number): string {
  return status === 401 ? 'the credentials were rejected' : 'the credentials were refused this operation (a scope, a role, or a feature of the plan or licence they lack)';
}
