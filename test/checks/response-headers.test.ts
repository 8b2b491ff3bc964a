import t from 'tap';
import { responseHeaders } from '../../harness/checks/response-headers.js';
import type { CheckContext } from '../../harness/checks/check.js';

/** A 200 documenting an optional Link and X-Total-Count, with no header schemas to validate. */
function context(headers: Record<string, string>, required = false): CheckContext {
  const documented = [
    { name: 'Link', required },
    { name: 'X-Total-Count', required: false },
  ];
  return {
    response: { status: 200, headers, body: Buffer.alloc(0), truncated: false },
    responseSpec: { key: '200', content: [], headers: documented, pointer: '/paths/~1things/get/responses/200' },
    validators: { has: () => false },
  } as unknown as CheckContext;
}

t.test('a pass names the documented headers that came, and only those', async (t) => {
  // Found on a mock of GitHub's API: "documented headers present and valid: Link" when no Link was sent.
  const one = responseHeaders.run(context({ link: '<https://x/?page=2>; rel="next"' }));
  t.equal(one.status, 'pass');
  t.equal(one.message, 'documented headers present and valid: Link; optional, not sent: X-Total-Count');
  const none = responseHeaders.run(context({}));
  t.equal(none.status, 'skip', 'nothing sent and nothing required: nothing was checked');
  t.equal(none.message, 'none of the documented headers was sent, and none is required (Link, X-Total-Count)');
  const required = responseHeaders.run(context({}, true));
  t.equal(required.status, 'fail', 'a required one missing still fails');
  t.match(required.message, /required header missing: Link/);
});

t.test('a header of the wrong type says what text came, not that it was a string', async (t) => {
  // Found with Prism on Docker's document: "header Docker-Experimental must be boolean, got string" for the text `null`.
  const { default: Fastify } = await import('fastify');
  const { listen } = await import('../support/listen.js');
  const { run } = await import('../../harness/index.js');
  const app = Fastify();
  app.get('/ping', async (_request, reply) => reply.header('docker-experimental', 'null').header('x-count', '7').send({}));
  const target = await listen(t, app);
  const dir = t.testdir({
    'openapi.json': JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'ping', version: '1' },
      paths: { '/ping': { get: { operationId: 'ping', responses: { '200': { description: 'ok', headers: { 'Docker-Experimental': { schema: { type: 'boolean' } }, 'X-Count': { schema: { type: 'integer' } } }, content: { 'application/json': { schema: { type: 'object' } } } } } } } },
    }),
  });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  t.match(report.results.find((r) => r.check === 'response-headers'), { status: 'fail', message: 'header Docker-Experimental must be boolean, got the text "null"' });
});
