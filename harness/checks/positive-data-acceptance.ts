import { fail, pass, warn, type NegativeCheck } from './check.js';
import { describeChange } from './negative-judgement.js';

/**
 * The other side of validation: a value on a valid boundary (limit=1 and
 * limit=100 for `minimum: 1, maximum: 100`, each enum value) must not be
 * refused as invalid. Only query and header values are tried: a valid path
 * value may still name nothing.
 */
export const positiveDataAcceptance: NegativeCheck = {
  kind: 'negative',
  id: 'positive-data-acceptance',
  scope: 'generic',
  title: 'Valid boundary values accepted',
  description: 'With --negative: a query or header value on a valid boundary of its schema (the minimum, the maximum and next to them, each enum value) is not refused: a 400 or 422 ("refused a valid value") or a 5xx fails; another 4xx is a warning, since it may refuse the request for another reason.',
  run({ response, negative }) {
    const status = response.status;
    const change = describeChange(negative);
    const detail = { expected: 'a 2xx: the value is valid', actual: String(status) };
    if (status >= 200 && status < 300) return pass(`accepted ${change} with ${status}: ${negative.reason}`);
    if (status === 400 || status === 422) return fail(`refused a valid value (${change}) with ${status}: ${negative.reason}`, detail);
    if (status >= 500) return fail(`answered ${status} to a valid value (${change}): ${negative.reason}`, detail);
    return warn(`answered ${status} to a valid value (${change}); it may refuse the request for another reason: ${negative.reason}`, detail);
  },
};
