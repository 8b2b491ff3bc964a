import { type NegativeCheck } from './check.js';
import { judgeRejection } from './negative-judgement.js';

/**
 * An API that takes what its document forbids stores or acts on data no
 * client should have sent. A path or query value of the wrong type, outside
 * its range, length, pattern or enum, or a required query parameter left out,
 * must get a 4xx: documented passes, undocumented warns, 2xx or 5xx fails.
 */
export const negativeDataRejection: NegativeCheck = {
  kind: 'negative',
  id: 'negative-data-rejection',
  scope: 'generic',
  title: 'Invalid input rejected',
  description: 'With --negative: a request made invalid in exactly one way by the document (a path or query value of the wrong type, outside minimum/maximum, minLength/maxLength, pattern or enum, a required query parameter left out) gets a 4xx the document lists. An undocumented 4xx is a warning (the API rejected it; the document should say so); a 2xx ("accepted invalid data") or a 5xx fails.',
  run: (context) => judgeRejection(context, 'invalid data'),
};
