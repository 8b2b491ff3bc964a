import { schemaCheckUnavailable, validateDocument } from '../profile/validate-document.js';
import type { ServiceCheck } from './check.js';

/** Problems listed in a discovery failure; the rest are counted. */
const SHOWN_PROBLEMS = 5;

/**
 * Interoperability First and GDS API standards: a supplier publishes a valid
 * OpenAPI 3.x description of its live API where a client can find it.
 */
export const discovery: ServiceCheck = {
  kind: 'service',
  id: 'discovery',
  scope: 'profile',
  title: 'Published API description',
  description: 'The supplier serves a valid OpenAPI 3.0/3.1 document (a 3.2 one is not checked against a schema, and says so), without credentials, at one of the profile\'s discovery paths (x-interop.discovery.paths, else /openapi.json and other common places).',
  async run({ publishedDocument }) {
    const published = await publishedDocument();
    if (!published.found) {
      return {
        method: 'GET',
        path: published.tried[0] ?? '/openapi.json',
        status: 'fail',
        message: `no OpenAPI document found at ${published.tried.join(', ')}: ${published.reason}`,
        expected: 'an OpenAPI 3.x document with status 200',
        actual: published.reason,
        ...(published.evidence ? { evidence: published.evidence } : {}),
      };
    }
    const path = new URL(published.url).pathname;
    const problems = await validateDocument(published.document);
    if (problems.length > 0) {
      const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `${p.location || '/'}: ${p.message}`);
      const more = problems.length > SHOWN_PROBLEMS ? ` (and ${problems.length - SHOWN_PROBLEMS} more)` : '';
      return {
        method: 'GET',
        path,
        status: 'fail',
        message: `the document at ${path} is not valid OpenAPI: ${shown.join('; ')}${more}`,
        expected: 'a document valid against the OpenAPI schema',
        actual: `${problems.length} problem${problems.length === 1 ? '' : 's'}`,
        evidence: published.evidence,
      };
    }
    const unchecked = schemaCheckUnavailable(published.document);
    if (unchecked !== undefined) return { method: 'GET', path, status: 'pass', message: `an OpenAPI ${String(published.document.openapi)} document is served at ${path}; ${unchecked}`, evidence: published.evidence };
    return { method: 'GET', path, status: 'pass', message: `a valid OpenAPI ${String(published.document.openapi)} document is served at ${path}`, evidence: published.evidence };
  },
};
