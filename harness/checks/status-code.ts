import { documentedStatuses, fail, pass, skip, type ResponseCheck } from './check.js';

/** The status must be one the operation documents: exactly, by range (`2XX`) or through `default`. */
export const statusCode: ResponseCheck = {
  id: 'status-code',
  title: 'Documented status code',
  description: 'The response status is documented for the operation, as an exact code, a range such as 2XX, or default (OpenAPI precedence).',
  run({ operation, response, responseSpec }) {
    if (operation.responses.length === 0) return skip('the operation documents no responses');
    if (!responseSpec) {
      return fail(`status ${response.status} is not documented for ${operation.method} ${operation.path}`, {
        expected: `one of ${documentedStatuses(operation)}`,
        actual: String(response.status),
      });
    }
    const how = responseSpec.key === String(response.status) ? 'exactly' : `by "${responseSpec.key}"`;
    return pass(`status ${response.status} is documented ${how}`);
  },
};
