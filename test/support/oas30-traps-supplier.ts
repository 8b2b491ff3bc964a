import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A supplier for test/documents/oas30-traps: conformant where the document
 * leans on OpenAPI 3.0 features, and exactly one planted defect per core check
 * on the `broken*` operations. Bodies are written as raw text so the JSON on the
 * wire is exactly what a real supplier would send (e.g. an int64 past 2^53).
 */
export function createOas30TrapsSupplier(): FastifyInstance {
  const app = Fastify({ logger: false });
  const json = (type = 'application/json') => ({ 'content-type': type });
  const widget = '{"id":9007199254740993,"name":"sprocket","nickname":null,"owner":null,"tags":["a"],"weight":2.5}';

  app.get('/widgets', async (_req, reply) => reply.headers({ ...json(), 'x-rate-limit': '100' }).send(`{"items":[${widget}]}`));
  app.get('/widgets/:id', async (_req, reply) => reply.headers(json('application/json; charset=utf-8')).send(widget));
  app.get('/pets/:id', async (_req, reply) => reply.headers(json()).send('{"petType":"cat","lives":9}'));
  app.get('/counts', async (_req, reply) =>
    reply.code(200).headers(json('application/vnd.acme.counts+json')).send('{"total":12345678901234,"ratio":null,"checksum":"aGVsbG8=","window":null}'),
  );
  app.get('/widgets/:id/touch', async (_req, reply) => reply.code(204).headers(json()).send());
  app.get('/legacy', async (_req, reply) => reply.code(418).headers(json()).send('{"message":"short and stout","code":null}'));

  app.get('/broken/server', async (_req, reply) => reply.code(503).headers(json()).send('{}'));
  app.get('/broken/status', async (_req, reply) => reply.code(201).headers(json()).send('{}'));
  app.get('/broken/content-type', async (_req, reply) => reply.headers(json('text/html')).send('<p>not json</p>'));
  app.get('/broken/schema', async (_req, reply) => reply.headers(json()).send('{"id":"seven","name":5,"tags":[]}'));
  app.get('/broken/header', async (_req, reply) => reply.headers(json()).send('{}'));
  return app;
}
