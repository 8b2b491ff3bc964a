import { parseMediaType } from '../media-type.js';
import { isRecord } from '../json-pointer.js';
import type { ReceivedResponse } from './check.js';
import { error, fail, pass, skip, type ProbeCheck } from './check.js';
import { parseJsonBody } from '../json-body.js';
import type { Finding } from '../results.js';

/** An id no supplier issues, to provoke a 404 on an operation with a path parameter. */
export const ABSENT_ID = 'interop-harness-absent-0';

/**
 * RFC 9457: errors are `application/problem+json` objects whose `title` says
 * what went wrong and whose `status` repeats the HTTP status, so a client can
 * handle every supplier's errors one way. Judged on the probe's own response
 * when it is an error, else on a 404 provoked by asking for an id that cannot
 * exist (operations with a path parameter only).
 */
export const problemDetails: ProbeCheck = {
  kind: 'probe',
  id: 'problem-details',
  scope: 'profile',
  title: 'Errors as problem details',
  description: 'Error responses (4xx and 5xx, including a 404 provoked with an id that cannot exist) are application/problem+json objects with type, title and a status equal to the HTTP status (RFC 9457).',
  async run({ operation, method, response, request, send }) {
    if (response.status >= 400) return judgeProblem(response);
    const last = [...operation.path.matchAll(/\{([^{}]+)\}/g)].pop();
    if (method !== 'GET' || !last) return skip('no error response to judge, and no path parameter to provoke a 404 with');
    const url = new URL(request.url);
    const segments = url.pathname.split('/');
    // The last templated segment of the path is the id; swap its value for one that cannot exist.
    const index = lastTemplatedSegment(operation.path, segments.length);
    if (index === undefined) return skip('could not locate the path parameter in the URL');
    segments[index] = ABSENT_ID;
    url.pathname = segments.join('/');
    const provoked = await send({ ...request, url: url.href });
    if (!provoked.response) return error(`not checked: ${provoked.transportError?.message ?? 'no response'}`);
    if (provoked.response.status < 400) {
      return { ...fail(`asking for an id that cannot exist (${ABSENT_ID}) answered ${provoked.response.status}, not an error`, { expected: '404 problem details', actual: String(provoked.response.status) }), evidence: provoked.evidence };
    }
    return { ...judgeProblem(provoked.response), evidence: provoked.evidence };
  },
};

function lastTemplatedSegment(template: string, urlSegments: number): number | undefined {
  const templateSegments = template.split('/');
  const offset = urlSegments - templateSegments.length; // the target's base path comes first
  for (let i = templateSegments.length - 1; i >= 0; i--) {
    if (/\{[^{}]+\}/.test(templateSegments[i]!)) return i + offset;
  }
  return undefined;
}

export function judgeProblem(response: ReceivedResponse): Finding {
  const status = response.status;
  const type = response.headers['content-type'];
  const essence = type ? parseMediaType(type)?.essence : undefined;
  if (essence !== 'application/problem+json') {
    return fail(`the ${status} error is ${type ?? 'without a Content-Type'}, not application/problem+json`, { expected: 'Content-Type application/problem+json', actual: type ?? '(none)' });
  }
  const body = parseJsonBody(response.body);
  if (!body.ok || !isRecord(body.value)) return fail(`the ${status} problem details body is not a JSON object`, { expected: 'a JSON object', actual: body.ok ? typeof body.value : 'invalid JSON' });
  const problem = body.value;
  const missing = ['type', 'title', 'status'].filter((member) => problem[member] === undefined);
  if (missing.length > 0) return fail(`the ${status} problem details lack ${missing.join(', ')}`, { expected: 'type, title and status', actual: `missing ${missing.join(', ')}` });
  if (problem.status !== status) {
    return fail(`the problem details say status ${JSON.stringify(problem.status)} but the HTTP status is ${status}`, { expected: String(status), actual: JSON.stringify(problem.status) });
  }
  if (typeof problem.title !== 'string' || typeof problem.type !== 'string') return fail('type and title must be strings', { expected: 'strings', actual: `${typeof problem.type}, ${typeof problem.title}` });
  return pass(`the ${status} error is problem details: "${problem.title}"`);
}
