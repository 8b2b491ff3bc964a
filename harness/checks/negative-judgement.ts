/**
 * What the negative phase's checks share: how a change is described in a
 * message, and how a rejection is judged (a documented 4xx passes, an
 * undocumented one warns, a 2xx or a 5xx fails; problem details when the
 * profile requires them).
 */
import type { Finding, NegativeMutation } from '../results.js';
import { documentedStatuses, fail, pass, skip, warn, type NegativeCheckContext } from './check.js';
import { judgeProblem } from './problem-details.js';

/**
 * The change in words, value included.
 *
 * @example
 *   describeChange({ location: 'query', name: 'limit', value: '101', … }) // 'query limit=101'
 */
export function describeChange(negative: NegativeMutation): string {
  if (negative.location === 'method') return `method ${negative.name}`;
  if (negative.location === 'credentials') {
    if (negative.mutation === 'no-credentials') return 'no credentials';
    return negative.mutation === 'invalid-key' ? `an API key nobody issued (${negative.name})` : 'an invalid token';
  }
  if (negative.mutation === 'malformed-json') return negative.location === 'body' ? 'a body that is not well-formed JSON' : `${negative.location} ${negative.name} that is not well-formed JSON (${JSON.stringify(negative.value)})`;
  if (negative.mutation === 'wrong-content-type') return `the body sent as ${negative.value ?? 'another media type'}`;
  if (negative.location === 'body' && negative.value === undefined) return `body property ${negative.name.slice(1)} left out`;
  if (negative.location === 'body') return `body property ${negative.name.slice(1)}=${negative.value}`;
  if (negative.value === undefined) return `${negative.location} ${negative.name} left out`;
  return `${negative.location} ${negative.name}=${JSON.stringify(negative.value)}`;
}

/**
 * The verdict on a request the API must refuse with a 4xx. `what` names the
 * kind of input for the messages ("invalid data", "an unknown id").
 */
export function judgeRejection(context: NegativeCheckContext, what: string): Finding {
  const { response, responseSpec, operation, negative, problemDetailsRequired } = context;
  const status = response.status;
  const change = describeChange(negative);
  const documented = documentedStatuses(operation);
  const expected = `a 4xx the document lists (it lists ${documented})`;
  if (status === 429) return skip(`answered 429 (rate limited) to ${change}: not judged`);
  if (status >= 500) return fail(`answered ${status} to ${what} (${change}): ${negative.reason}; a server error instead of a 4xx rejection`, { expected, actual: String(status) });
  // format is an annotation in OpenAPI 3.1 and optional to enforce in 3.0: taking a value that breaks only it is no failure.
  if (status >= 200 && status < 300 && negative.mutation === 'format') {
    return warn(`accepted a value that breaks only its format (${change}) with ${status}: ${negative.reason}; format is an annotation that validators need not enforce, so this is a warning`, { expected, actual: String(status) });
  }
  if (status < 400) return fail(`accepted ${what} (${change}) with ${status}: ${negative.reason}`, { expected, actual: String(status) });
  if (problemDetailsRequired) {
    const problem = judgeProblem(response);
    if (problem.status === 'fail') return fail(`rejected ${what} (${change}) with ${status}, but not as problem details, which the profile requires: ${problem.message}`, { expected: `${status} as application/problem+json`, actual: problem.actual ?? String(status) });
  }
  if (!responseSpec) {
    return warn(`the API rejected it, with ${status} (${change}: ${negative.reason}); the document should say so: it lists ${documented} for ${operation.method} ${operation.path}`, { expected, actual: `${status} (undocumented)` });
  }
  return pass(`rejected ${what} (${change}) with ${status}, as documented: ${negative.reason}`);
}
