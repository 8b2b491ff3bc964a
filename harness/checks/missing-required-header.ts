import { type NegativeCheck } from './check.js';
import { judgeRejection } from './negative-judgement.js';

/** A header the document marks required and the API does not need is a contract clients are made to keep for nothing, or a check the API forgot. */
export const missingRequiredHeader: NegativeCheck = {
  kind: 'negative',
  id: 'missing-required-header',
  scope: 'generic',
  title: 'Required request header enforced',
  description: 'With --negative: a request without a header parameter the document marks as required gets a 4xx the document lists (an undocumented 4xx warns; a 2xx or 5xx fails).',
  run: (context) => judgeRejection(context, 'a request without a required header'),
};
