/**
 * The benchmark's supplier, run as its own process by probe-bench.ts: one list
 * route per generated operation, answering a pre-serialised page. Prints
 * `listening <url>` and serves until killed.
 */
import Fastify from 'fastify';

const ITEMS_PER_RESPONSE = 20;

/** The page for resource `i`, valid against the generated profile's schema for it. */
function responseBody(i: number): string {
  const data = Array.from({ length: ITEMS_PER_RESPONSE }, (_, k) => ({
    id: `R${i}-${k}`,
    name: `item ${k}`,
    createdAt: '2024-05-01T12:00:00Z',
    count: k,
    tags: ['a', 'b'],
    score: k % 2 ? null : 0.5,
    [`field${i}`]: true,
  }));
  return JSON.stringify({ data, next: null });
}

const operations = Number(process.argv[2] ?? 400);
const app = Fastify({ logger: false });
for (let i = 0; i < operations; i++) {
  const body = responseBody(i);
  app.get(`/resources${i}`, (_req, reply) => reply.type('application/json').send(body));
}
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
process.stdout.write(`listening http://127.0.0.1:${port}\n`);
