import { isJsonMediaType } from '../media-type.js';
import { fail, pass, skip, type ResponseCheck } from './check.js';

/**
 * GDS API standards: return JSON objects, not top-level arrays or scalars, so
 * an API can add metadata (paging, links) later without breaking clients.
 */
export const jsonObjectRoot: ResponseCheck = {
  kind: 'response',
  id: 'json-object-root',
  scope: 'profile',
  title: 'JSON bodies are objects',
  description: 'Every JSON response body has an object at its root, never a bare array or scalar, so it can grow (links, paging) without breaking clients.',
  run({ method, response, json }) {
    if (method === 'HEAD' || response.body.length === 0) return skip('no body');
    const type = response.headers['content-type'] ?? '';
    if (!isJsonMediaType(type)) return skip(`${type || 'no Content-Type'} is not a JSON media type`);
    if (response.truncated) return skip('body cut off at the size limit');
    const body = json();
    if (!body.ok) return skip('body is not valid JSON (response-schema reports it)');
    const root = body.value;
    if (root !== null && typeof root === 'object' && !Array.isArray(root)) return pass('the JSON body is an object');
    const actual = Array.isArray(root) ? 'an array' : root === null ? 'null' : `a ${typeof root}`;
    return fail(`the JSON body is ${actual} at the top level, not an object`, { expected: 'a JSON object at the root', actual });
  },
};
