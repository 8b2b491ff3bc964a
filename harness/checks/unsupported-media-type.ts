import { warn, type NegativeCheck } from './check.js';
import { judgeRejection } from './negative-judgement.js';

/**
 * A body in a media type the operation does not document must be refused
 * with 415 Unsupported Media Type (RFC 9110 section 15.5.16), not read as if
 * it were JSON. Judged like any rejection (2xx or 5xx fails, an undocumented
 * 4xx warns), and a documented 4xx other than 415 is a warning too: it was
 * refused, but a client cannot tell the media type was the problem.
 */
export const unsupportedMediaType: NegativeCheck = {
  kind: 'negative',
  id: 'unsupported-media-type',
  scope: 'generic',
  title: 'Wrong Content-Type refused with 415',
  description: 'With --negative and --allow-writes: a create or update of the run\'s own record whose valid body is sent as text/plain (a media type the operation does not document) answers 415. A 2xx ("accepted a body in a media type it does not document") or a 5xx fails; another 4xx, or an undocumented 415, is a warning.',
  run(context) {
    const verdict = judgeRejection(context, 'a body in a media type the operation does not take');
    if (verdict.status === 'pass' && context.response.status !== 415) {
      return warn(`refused the body sent as ${context.negative.value ?? 'another media type'} with ${context.response.status}, not 415 Unsupported Media Type: a client cannot tell the media type was the problem`, { expected: '415', actual: String(context.response.status) });
    }
    return verdict;
  },
};
