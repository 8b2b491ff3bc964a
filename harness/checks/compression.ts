import { error, fail, pass, skip, type ProbeCheck } from './check.js';

/** Below this, compression saves too little to ask for (and RFC 9110 lets a server decline). */
const WORTH_COMPRESSING_BYTES = 1024;
const ACCEPTED = 'gzip, br';
const COMPRESSED = new Set(['gzip', 'x-gzip', 'br']);

/**
 * Sustainability (Green Software patterns, RFC 9110 content coding): a
 * response worth compressing is compressed when the client says it accepts
 * gzip or br. Asked once more, with `Accept-Encoding`, on the same URL.
 */
export const compression: ProbeCheck = {
  kind: 'probe',
  id: 'compression',
  scope: 'profile',
  title: 'Compression honoured',
  description: `A GET response of ${WORTH_COMPRESSING_BYTES} bytes or more is sent gzip- or br-encoded when the request says Accept-Encoding: ${ACCEPTED}.`,
  async run({ method, response, request, send }) {
    if (method !== 'GET' || response.status < 200 || response.status > 299) return skip('only successful GET responses are asked again compressed');
    // The start of a stream says nothing of its size, and a compressed one would be read to --timeout.
    if (response.eventStream) return skip('an event stream: its size is not known, so compression is not judged');
    if (response.body.length < WORTH_COMPRESSING_BYTES) return skip(`body of ${response.body.length} bytes is too small to expect compression`);
    const again = await send({ ...request, headers: { ...request.headers, 'accept-encoding': ACCEPTED } });
    if (!again.response) return error(`not checked: ${again.transportError?.message ?? 'no response'}`);
    const coding = (again.response.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    const detail = { evidence: again.evidence, expected: `Content-Encoding gzip or br (asked with Accept-Encoding: ${ACCEPTED})`, actual: `Content-Encoding ${coding}` };
    if (!COMPRESSED.has(coding)) {
      return fail(`a ${again.response.body.length}-byte body was sent uncompressed (${coding}) although the request accepted ${ACCEPTED}`, detail);
    }
    return pass(`sent ${coding}-encoded when asked (${again.response.body.length} bytes decoded)`, detail);
  },
};
