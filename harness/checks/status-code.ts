import { documentedStatuses, fail, pass, skip, warn, type ResponseCheck } from './check.js';
import { statusHint } from './status-hint.js';

/** The status must be one the operation documents: exactly, by range (`2XX`) or through `default`. */
export const statusCode: ResponseCheck = {
  kind: 'response',
  id: 'status-code',
  scope: 'generic',
  title: 'Documented status code',
  description: 'The response status is documented for the operation, as an exact code, a range such as 2XX, or default (OpenAPI precedence).',
  run({ operation, response, responseSpec, generatedInputs }) {
    if (operation.responses.length === 0) return skip('the operation documents no responses');
    if (!responseSpec) {
      const detail = { expected: `one of ${documentedStatuses(operation)}`, actual: String(response.status) };
      if (response.status >= 400 && response.status < 500 && generatedInputs.length > 0) {
        // The harness invented these values; a supplier refusing them is not shown to be wrong.
        const names = generatedInputs.map((input) => input.replace(/^[a-z]+:/, ''));
        return warn(
          `status ${response.status} is not documented, but the request used generated values for ${names.join(', ')}: pass ${names.map((n) => `--var ${n}=<value>`).join(' ')} to judge it`,
          detail,
        );
      }
      return fail(`status ${response.status} is not documented for ${operation.method} ${operation.path}${statusHint(response)}`, detail);
    }
    const how = responseSpec.key === String(response.status) ? 'exactly' : `by "${responseSpec.key}"`;
    return pass(`status ${response.status} is documented ${how}`);
  },
};
