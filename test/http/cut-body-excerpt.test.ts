/**
 * Fifth review: a body the client stopped reading (--max-body below --evidence-bytes) ends
 * mid-value as an excerpt cut short does, so a form key cut there is masked, not shown in part.
 */
import Fastify from 'fastify';
import t from 'tap';
import { clientFor, get, testLimits } from './test-server.js';
import { listen } from '../support/listen.js';

const body = 'status=ok&signing_key=9f86d081884c7d659a2feaa0c55ad015';

for (const [title, limits] of [
  ['the read stopped by --max-body below --evidence-bytes', { maxBodyBytes: body.length - 24, evidenceBodyBytes: 4096 }],
  ['the excerpt cut by --evidence-bytes', { maxBodyBytes: 4096, evidenceBodyBytes: body.length - 24 }],
] as const) {
  t.test(`a form body cut inside signing_key, ${title}: the key's start is masked`, async (t) => {
    const app = Fastify();
    app.get('/settings', async (_request, reply) => reply.type('application/x-www-form-urlencoded').send(body));
    const target = await listen(t, app);
    const client = clientFor(t, target, testLimits(limits));
    const exchange = await client.send(get(`${target}/settings`));
    t.equal(exchange.response?.truncated, limits.maxBodyBytes < body.length, 'whether the body read was cut');
    t.equal(exchange.evidence.response?.bodyExcerpt, 'status=ok&signing_key=[redacted]');
  });
}
