import type { OperationSpec } from '../profile/profile-types.js';
import { fail, pass, skip, warn, type NegativeCheck } from './check.js';

function documentsHtml(operation: OperationSpec): boolean {
  return operation.responses.some((r) => r.content.some((m) => /html/i.test(m.mediaRange)));
}

/**
 * RFC 9110 section 15.5.6: a method the resource does not support gets 405,
 * and a 405 MUST carry an `Allow` header listing what it does support, so a
 * client can correct itself. Only safe methods are sent: GET where the path
 * documents no GET, else TRACE without credentials.
 */
export const unsupportedMethod: NegativeCheck = {
  kind: 'negative',
  id: 'unsupported-method',
  scope: 'generic',
  title: 'Undocumented methods refused with 405',
  description: 'With --negative: a safe method the path does not document (GET where it documents none, else TRACE, sent without credentials) gets 405 with an Allow header (RFC 9110 section 15.5.6), or 501. A 2xx, a 405 without Allow or a 5xx fails; another 4xx, an HTML page (the fallback page of a web app), or a 2xx message/http echo of TRACE (RFC 9110 section 9.3.8), is a warning; a 401/403 is not judged.',
  run({ response, negative, operation }) {
    const status = response.status;
    const method = negative.name;
    const expected = '405 with an Allow header, or 501';
    if (status === 405) {
      const allow = response.headers['allow'];
      if (allow === undefined) return fail(`answered 405 to ${method} ${operation.path} without an Allow header, which RFC 9110 requires on every 405`, { expected, actual: '405 without Allow' });
      return pass(`answered 405 to ${method} ${operation.path}, Allow: ${allow}`);
    }
    if (status === 501) return pass(`answered 501 (not implemented) to ${method} ${operation.path}`);
    if (status === 401 || status === 403) return skip(`answered ${status} to ${method} ${operation.path} (sent without credentials): it asks for credentials before it looks at the method`);
    if (status === 429) return skip(`answered 429 (rate limited) to ${method} ${operation.path}: not judged`);
    if (status >= 500) return fail(`answered ${status} to ${method} ${operation.path}, a method the document does not give this path: a server error instead of 405`, { expected, actual: String(status) });
    if (status < 300 && /^text\/html\b/i.test(response.headers['content-type'] ?? '') && !documentsHtml(operation)) {
      // A single-page web app answers every unknown GET with its index page: that is the app, not the API, serving it.
      return warn(`answered ${status} with an HTML page to ${method} ${operation.path}, a method the document does not give this path (probably a web app's fallback page); RFC 9110 expects 405 with an Allow header, or 501 for a method the server does not implement`, { expected, actual: `${status} text/html` });
    }
    if (method === 'TRACE' && status >= 200 && status < 300 && /^message\/http\b/i.test(response.headers['content-type'] ?? '')) {
      // RFC 9110 section 9.3.8 defines TRACE: a 200 message/http echo is the server implementing it, not the API taking an unknown method.
      return warn(`answered ${status} message/http to TRACE ${operation.path}: the server implements TRACE (RFC 9110 section 9.3.8), which echoes requests back; many sites turn it off`, { expected, actual: `${status} message/http` });
    }
    if (status < 400) return fail(`answered ${status} to ${method} ${operation.path}, a method the document does not give this path: ${negative.reason}`, { expected, actual: String(status) });
    return warn(`answered ${status} to ${method} ${operation.path}, a method the document does not give this path; RFC 9110 expects 405 with an Allow header, or 501 for a method the server does not implement`, { expected, actual: String(status) });
  },
};
