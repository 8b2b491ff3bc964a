/**
 * Only an action after `:` is dropped from a resource's name (`/users:list`): a namespace before
 * one (`/admin:users`) is part of it. Dropping everything after the last `:` made `/admin:users`
 * the resource `admin`, whose `adminId` in a create's answer was taken for the record's own id,
 * and `--allow-writes` deleted admin 1 (review of 5317a1e).
 */
import t from 'tap';
import { run } from '../../harness/index.js';
import { createValueHarvest, resourceName } from '../../harness/plan/value-harvest.js';
import { startServer } from '../http/test-server.js';

t.test('different resources behind one namespace prefix keep their names', async (t) => {
  t.not(resourceName('/admin:users'), resourceName('/admin:roles'), '/admin:users and /admin:roles are different resources');
  // Third review: an exception for what reads as an action let `/admin:postTypes` be `admin` again.
  t.equal(resourceName('/admin:postTypes'), 'adminposttype', 'the name a record\'s own id goes by keeps every part');
  t.equal(resourceName('/sys:syncJobs'), 'syssyncjob');
  const harvest = createValueHarvest();
  harvest.recordCollection('/admin:users', { data: [{ id: 5, login: 'alice' }] });
  t.equal(harvest.lookup('/admin:roles', 'roleId'), undefined, 'a user id is not offered as a role id');
});

// The first shape is the review of 5317a1e's; the second, the third review's (an action-like word after the `:`).
for (const collection of ['/admin:users', '/admin:postTypes']) {
  t.test(`--allow-writes: a create at ${collection} whose answer names its admin (adminId) does not delete that admin`, async (t) => {
    const server = await startServer((req, res, seen) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        res.statusCode = 201;
        return res.end(JSON.stringify({ adminId: 1, label: (JSON.parse(seen.body || '{}') as { label?: string }).label }));
      }
      res.end('{}');
    });
    t.teardown(server.close);
    const ok = (code: string) => ({ [code]: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } });
    const document = {
      openapi: '3.0.3',
      info: { title: 'ns', version: '1' },
      paths: {
        [collection]: { post: { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['label'], properties: { label: { type: 'string' } } } } } }, responses: ok('201') } },
        [`${collection}/{id}`]: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          get: { responses: ok('200') },
          delete: { responses: { '204': { description: 'gone' } } },
        },
      },
    };
    const dir = t.testdir({ 'openapi.json': JSON.stringify(document) });
    await run({ profile: `${dir}/openapi.json`, target: server.origin, allowWrites: true });
    t.same(server.requests.filter((r) => r.method !== 'GET' && r.method !== 'POST').map((r) => `${r.method} ${r.url}`), [], 'no DELETE of admin 1, whom the run did not create');
  });
}
