import { isSuccessKey } from './extract-operations.js';
import type { OperationSpec, ProfileWarning } from './profile-types.js';

/** Operations named in the warning; the rest are counted. */
const NAMED = 5;

/**
 * A warning when reads among `operations` document no body for their success
 * response (a `200` with no `content`): the run can check only their status,
 * so "validated" says little of them. Found on Homebridge's UI, whose document
 * gives 33 of its 34 reads no body, and which came out CONFORMANT on status
 * codes alone. Undefined when every read documents one.
 *
 * @example undocumentedSuccessBodies(ops) // { code: 'success-body-undocumented', message: '33 of 47 GET operations document no body …', … }
 */
export function undocumentedSuccessBodies(operations: readonly OperationSpec[]): ProfileWarning | undefined {
  const reads = operations.filter((o) => o.method === 'GET');
  const bodiless = reads.filter((operation) => {
    const successes = operation.responses.filter((r) => isSuccessKey(r.key));
    const documented = successes.length > 0 ? successes : operation.responses.filter((r) => r.key.toLowerCase() === 'default');
    // A 204 (or a document with no success at all) promises no body: nothing is missing there.
    return documented.length > 0 && documented.every((r) => r.content.length === 0 && r.key !== '204');
  });
  if (bodiless.length === 0) return undefined;
  const named = bodiless.slice(0, NAMED).map((o) => o.operationId);
  const rest = bodiless.length > NAMED ? `, and ${bodiless.length - NAMED} more` : '';
  return {
    code: 'success-body-undocumented',
    message: `${bodiless.length} of ${reads.length} GET operations document no body for their success response (${named.join(', ')}${rest}): for them the run checks the status and headers only, never what the body says`,
    location: '/paths',
  };
}
