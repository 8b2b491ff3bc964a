import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { run } from '../../harness/run/run.js';
import { listen } from '../support/listen.js';

/**
 * A response header described by `content` instead of `schema` is text in
 * that media type (OpenAPI's Header Object follows the Parameter Object): an
 * `application/json` header carries JSON text. Found with Mockoon: the value
 * `{"v":1}` was read in the `simple` style, a string, and failed
 * `response-headers` against `type: object` as a MUST.
 */

function document(header: Record<string, unknown>): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'meta', version: '1' },
    paths: {
      '/meta': {
        get: {
          operationId: 'getMeta',
          responses: { '200': { description: 'ok', headers: { 'X-Meta': { required: true, ...header } }, content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  });
}

const JSON_OBJECT = { content: { 'application/json': { schema: { type: 'object', required: ['v'], properties: { v: { type: 'integer' } } } } } };

async function judge(t: Test, header: Record<string, unknown>, value: string) {
  const app = Fastify();
  app.get('/meta', async (_request, reply) => reply.header('X-Meta', value).send({}));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': document(header) });
  const report = await run({ profile: `${dir}/openapi.json`, target });
  return report.results.find((r) => r.check === 'response-headers')!;
}

t.test('an application/json header is parsed, and the JSON validated', async (t) => {
  t.equal((await judge(t, JSON_OBJECT, '{"v":1}')).status, 'pass');
  const wrong = await judge(t, JSON_OBJECT, '{"v":"one"}');
  t.equal(wrong.status, 'fail');
  t.match(wrong.schemaErrors, [{ pointer: '/X-Meta/v', keyword: 'type' }]);
  const notJson = await judge(t, JSON_OBJECT, 'v,1');
  t.equal(notJson.status, 'fail');
  t.equal(notJson.message, 'header X-Meta is not JSON, which its media type application/json says it is');
});

t.test('a header in another media type, or with a schema, is read in the simple style', async (t) => {
  const text = { content: { 'text/plain': { schema: { type: 'string', pattern: '^v=\\d+$' } } } };
  t.equal((await judge(t, text, 'v=1')).status, 'pass');
  t.equal((await judge(t, text, '{"v":1}')).status, 'fail');
  // Review: read as the string alone, `100` failed `type: integer`.
  t.equal((await judge(t, { content: { 'text/plain': { schema: { type: 'integer' } } } }, '100')).status, 'pass');
  const simple = { schema: { type: 'object', required: ['v'], properties: { v: { type: 'integer' } } } };
  t.equal((await judge(t, simple, 'v,1')).status, 'pass', 'v,1 is {v: 1} in the simple style');
});
