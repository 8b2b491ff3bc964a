import { getAtPointer, isRecord } from '../json-pointer.js';
import { fail, pass, skip, warn, type NegativeCheck } from './check.js';
import { describeChange } from './negative-judgement.js';

/**
 * An operation the document secures must refuse a request without
 * credentials, and one with a token or API key nobody issued, with 401 or 403. Generic:
 * the profiles' `auth-required` keeps its own, stricter requirement (401 with
 * WWW-Authenticate).
 */
export const ignoredAuth: NegativeCheck = {
  kind: 'negative',
  id: 'ignored-auth',
  scope: 'generic',
  title: 'Declared security enforced',
  description: 'With --negative: on an operation that declares security, the valid request sent without credentials, with an invalid bearer token (where it was sent one), and with an API key nobody issued (where it was sent the key of an apiKey scheme), gets 401 or 403. A 2xx ("credentials ignored") or a 5xx fails; another 4xx or a redirect is a warning.',
  run({ response, negative, operation, document }) {
    const status = response.status;
    const how = describeChange(negative);
    const detail = { expected: '401 or 403', actual: String(status) };
    if (status === 401 || status === 403) return pass(`answered ${status} with ${how}`);
    if (status === 429) return skip(`answered 429 (rate limited) with ${how}: not judged`);
    if (status >= 200 && status < 300) {
      // Say where the declaration is: a document-wide default an operation forgot to override reads differently from its own.
      const own = isRecord(getAtPointer(document, operation.pointer)) && 'security' in (getAtPointer(document, operation.pointer) as Record<string, unknown>);
      const where = own ? 'declares security' : "inherits the document's default security (it sets no `security: []` of its own)";
      return fail(`answered ${status} with ${how}: ${operation.method} ${operation.path} ${where} but does not enforce it`, detail);
    }
    if (status >= 500) return fail(`answered ${status} with ${how}: a server error instead of 401 or 403`, detail);
    return warn(`answered ${status} with ${how}; an operation that declares security should answer 401 or 403`, detail);
  },
};
