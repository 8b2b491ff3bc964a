import { getAtPointer, isRecord } from '../json-pointer.js';
import { fail, pass, type ResponseCheck } from './check.js';

const MAJOR_VERSION_SEGMENT = /\/v\d+(\/|$)/;

/**
 * GDS API standards: the major version is in the path (`/v1/`), and a
 * deprecated operation says so on every response (`Deprecation`, RFC 9745)
 * so clients learn before it goes.
 */
export const versioning: ResponseCheck = {
  kind: 'response',
  id: 'versioning',
  scope: 'profile',
  title: 'Versioned paths, signalled deprecation',
  description: 'The request path carries a major version segment such as /v1/, and responses of operations marked deprecated carry a Deprecation header.',
  run({ operation, url, response, document }) {
    const path = new URL(url).pathname;
    if (!MAJOR_VERSION_SEGMENT.test(path)) {
      return fail(`the path ${path} carries no major version segment such as /v1/`, { expected: 'a /v<major>/ segment', actual: path });
    }
    const definition = getAtPointer(document, operation.pointer);
    if (isRecord(definition) && definition.deprecated === true) {
      const signal = response.headers['deprecation'];
      if (!signal) return fail('the operation is deprecated but its response carries no Deprecation header', { expected: 'a Deprecation header', actual: '(none)' });
      return pass(`versioned path; deprecation signalled (Deprecation: ${signal}${response.headers['sunset'] ? `, Sunset: ${response.headers['sunset']}` : ''})`);
    }
    return pass(`the path ${path} carries its major version`);
  },
};
