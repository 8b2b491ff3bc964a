/**
 * A whole query string (in: querystring) whose object requires nothing: as JSON it
 * sends {}, as a form it gets a property, since an empty form is no query at all.
 */
import Fastify from 'fastify';
import t from 'tap';
import { run } from '../../harness/index.js';
import { listen } from '../support/listen.js';

const mk = (mediaType: string) => ({
  openapi: '3.2.0',
  info: { title: 'q', version: '1' },
  paths: { '/search': { get: {
    operationId: 'search',
    parameters: [{ name: 'q', in: 'querystring', required: true, content: { [mediaType]: { schema: { type: 'object', properties: { term: { type: 'string' }, page: { type: 'integer' } } } } } }],
    responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } }, '400': { description: 'bad', content: { 'application/json': { schema: { type: 'object' } } } } },
  } } },
});

for (const mediaType of ['application/x-www-form-urlencoded', 'application/json']) {
  t.test(mediaType, async (t) => {
    const app = Fastify();
    const seen: string[] = [];
    app.get('/search', async (request) => { seen.push(request.url); return []; });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(mk(mediaType)) });
    const report = await run({ profile: `${dir}/openapi.json`, target });
    t.comment(`sent ${JSON.stringify(seen)}; verdict ${report.summary.verdict}`);
    t.match(seen[0], /\?./, 'the required query string carries something');
  });
}
