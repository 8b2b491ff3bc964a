import { fail, pass, type ResponseCheck } from './check.js';

/** A 5xx is never conformant, documented or not: it says the supplier broke. */
export const serverError: ResponseCheck = {
  kind: 'response',
  id: 'server-error',
  scope: 'generic',
  title: 'No server errors',
  description: 'The supplier answers every probe without a 5xx status. A 5xx is a failure even when the profile documents it.',
  run({ response }) {
    if (response.status >= 500) {
      return fail(`answered ${response.status}: the supplier failed to handle a valid request`, {
        expected: 'a status below 500',
        actual: String(response.status),
      });
    }
    return pass(`answered ${response.status}`);
  },
};
