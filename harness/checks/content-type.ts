import { findMediaType } from '../schema/response-lookup.js';
import { BODYLESS_STATUSES, fail, pass, serverErrorSkip, skip, type ResponseCheck } from './check.js';

/** The Content-Type must be one the documented response lists for this status. */
export const contentType: ResponseCheck = {
  kind: 'response',
  id: 'content-type',
  scope: 'generic',
  title: 'Documented media type',
  description: 'The response Content-Type matches a media type documented for that status (parameters such as charset ignored; ranges such as application/* honoured). A 5xx is left to server-error where it runs at a level no weaker.',
  run(context) {
    const { method, response, responseSpec } = context;
    if (!responseSpec) return skip(`status ${response.status} is not documented, so there is no media type to compare`);
    const serverError = serverErrorSkip(context);
    if (serverError) return serverError;
    if (responseSpec.content.length === 0) return skip(`no media type is documented for ${responseSpec.key}`);
    if (BODYLESS_STATUSES.has(response.status)) return skip(`a ${response.status} response has no body to label`);
    const documented = responseSpec.content.map((m) => m.mediaRange).join(', ');
    const header = response.headers['content-type'];
    if (header === undefined || header.trim() === '') {
      // A HEAD response, or a response with no body at all, has nothing to label.
      if (method === 'HEAD' || (response.body.length === 0 && !response.truncated)) {
        return skip('no body and no Content-Type to compare');
      }
      return fail('the response has a body but no Content-Type', { expected: documented, actual: '(none)' });
    }
    const match = findMediaType(responseSpec.content, header);
    if (!match) {
      return fail(`Content-Type ${header} is not documented for ${responseSpec.key}`, { expected: documented, actual: header });
    }
    return pass(`Content-Type ${header} matches ${match.mediaRange}`);
  },
};
