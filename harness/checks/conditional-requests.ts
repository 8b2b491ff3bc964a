import { error, fail, pass, skip, type ProbeCheck } from './check.js';

/**
 * Sustainability and caching (RFC 9110 sections 8.8 and 13): a successful GET
 * carries a validator, and asking again with it answers 304 Not Modified
 * instead of the whole body.
 */
export const conditionalRequests: ProbeCheck = {
  kind: 'probe',
  id: 'conditional-requests',
  scope: 'profile',
  title: 'Conditional requests',
  description: 'A successful GET carries an ETag (or Last-Modified), and the same GET with If-None-Match (or If-Modified-Since) answers 304 Not Modified.',
  async run({ method, response, request, send }) {
    // Only a 200 has a representation to revalidate: a 202 (an export kick-off, say) or a 204 has none.
    if (method !== 'GET' || response.status !== 200) return skip('only GET responses with status 200 are revalidated');
    const etag = response.headers['etag'];
    const lastModified = response.headers['last-modified'];
    if (!etag && !lastModified) {
      return fail('the response has neither ETag nor Last-Modified, so a client cannot revalidate it', {
        expected: 'an ETag or Last-Modified header',
        actual: 'neither',
      });
    }
    const [name, value] = etag ? ['if-none-match', etag] : ['if-modified-since', lastModified!];
    const again = await send({ ...request, headers: { ...request.headers, [name]: value } });
    if (!again.response) return error(`not checked: ${again.transportError?.message ?? 'no response'}`);
    const detail = { evidence: again.evidence, expected: `304 Not Modified to ${name}: ${value}`, actual: String(again.response.status) };
    if (again.response.status === 304) return pass(`answered 304 Not Modified to ${name}`, detail);
    return fail(`answered ${again.response.status} to ${name}: ${value}; expected 304 Not Modified`, detail);
  },
};
