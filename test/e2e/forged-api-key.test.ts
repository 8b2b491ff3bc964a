import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

/**
 * `ignored-auth` forges an API key where the document's apiKey scheme puts
 * one: a supplier that checks only that a key is there, not which (found on
 * Etherpad's own test double of it), passed before, since only a request
 * without the key was sent. The forged key is published: evidence shows it,
 * the curl line repeats the request, and replay sends it again.
 */

const KEY = 'k3y-real-7d41c2';

function document(place: 'query' | 'header' | 'cookie') {
  return {
    openapi: '3.0.3',
    info: { title: 'keys', version: '1' },
    components: { securitySchemes: { key: { type: 'apiKey', in: place, name: place === 'header' ? 'X-Api-Key' : 'apikey' } } },
    security: [{ key: [] }],
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          parameters: [{ name: 'filter', in: 'query', required: true, schema: { type: 'string', example: 'a b' } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } }, '401': { description: 'no key' } },
        },
      },
    },
  };
}

interface Result {
  id: string;
  check: string;
  status: string;
  negative?: { mutation: string; name: string; value?: string };
  evidence?: { curl: string; request: { url: string; headers: Record<string, string> } };
}

for (const place of ['query', 'header', 'cookie'] as const) {
  t.test(`an API key in the ${place} that is there but wrong is refused, or ignored-auth fails`, async (t) => {
    const keys: string[] = [];
    // Refuses a request with no key; takes any key at all.
    const app = Fastify({ logger: false });
    app.get('/things', async (request, reply) => {
      const cookie = /(?:^|;\s*)apikey=([^;]*)/.exec(request.headers.cookie ?? '')?.[1];
      const key = place === 'query' ? (request.query as Record<string, string>).apikey : place === 'header' ? request.headers['x-api-key'] : cookie;
      keys.push(String(key));
      return typeof key === 'string' && key !== '' ? { data: [] } : reply.code(401).send({});
    });
    const target = await listen(t, app);
    const dir = t.testdir({ 'openapi.json': JSON.stringify(document(place)) });
    const env = { KEY };
    const outcome = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', target, '--api-key-env', 'KEY', '--negative', '--seed', '1', '--out', 'out', '--format', 'json', '--quiet'], { env, cwd: dir });
    t.equal(outcome.code, 1, outcome.stdout);
    t.ok(keys.includes('interop-harness-invalid-key'), 'the forged key was sent');
    const written = readFileSync(join(dir, 'out', 'report.json'), 'utf8');
    t.notOk(written.includes(KEY), 'the real key is in no report');
    const results = (JSON.parse(written) as { results: Result[] }).results;
    const forged = results.find((r) => r.check === 'ignored-auth' && r.negative?.mutation === 'invalid-key');
    const where = place === 'header' ? 'header x-api-key' : `${place} apikey`;
    t.match(forged, { status: 'fail', negative: { name: where, value: 'interop-harness-invalid-key' }, message: new RegExp(`answered 200 with an API key nobody issued \\(${where}\\)`) });
    t.match(forged!.evidence!.curl, 'interop-harness-invalid-key', 'the curl line repeats what was sent');
    t.notMatch(forged!.evidence!.curl, /\$\{KEY\}|\[redacted\]/, 'neither the real key variable nor a redaction stands in for it');
    t.equal(results.find((r) => r.check === 'ignored-auth' && r.negative?.mutation === 'no-credentials')?.status, 'pass');
    if (place === 'query') t.match(forged!.evidence!.request.url, /\?filter=a\+b&apikey=interop-harness-invalid-key$/, 'the rest of the query as the valid request sent it');

    keys.length = 0;
    const again = await runCli(['replay', 'out/report.json', '--result', forged!.id, '--api-key-env', 'KEY'], { env, cwd: dir });
    t.equal(again.code, 1, again.stdout + again.stderr);
    t.match(again.stdout, new RegExp(`^REPRODUCES +${forged!.id.replace(/[/.]/g, '\\$&')}`, 'm'));
    t.same(keys, ['interop-harness-invalid-key'], 'replay sends the forged key, not the real one');
  });
}

t.test('a supplier that checks the key passes: the forged key is refused with 401', async (t) => {
  const app = Fastify({ logger: false });
  app.get('/things', async (request, reply) => ((request.query as Record<string, string>).apikey === KEY ? { data: [] } : reply.code(401).send({})));
  const target = await listen(t, app);
  const dir = t.testdir({ 'openapi.json': JSON.stringify(document('query')) });
  const outcome = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', target, '--api-key-env', 'KEY', '--negative', '--seed', '1', '--out', join(dir, 'out'), '--format', 'json', '--quiet'], { env: { KEY } });
  t.not(outcome.code, 2, outcome.stderr);
  const results = (JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { results: Result[] }).results;
  t.match(results.find((r) => r.negative?.mutation === 'invalid-key'), { status: 'pass', message: /answered 401 with an API key nobody issued \(query apikey\)/ });
  t.same(results.filter((r) => r.check === 'ignored-auth').map((r) => r.status), ['pass', 'pass'], 'no key and a forged key both refused');
});
