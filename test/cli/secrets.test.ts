import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { listen } from '../support/listen.js';
import { runCli } from '../support/run-cli.js';

const small = join(import.meta.dirname, '..', 'documents', 'small', 'openapi.yaml');
const TOKEN = 'tok-3f9a1c7e-very-secret';
const API_KEY = 'key-8d2b-also-secret';

t.test('a token from --token-env and a --header value appear in no output, even when echoed back', async (t) => {
  const seen: string[] = [];
  const app = Fastify({ logger: false });
  app.get('/items', (request, reply) => {
    seen.push(String(request.headers.authorization));
    // A careless supplier echoes credentials in a header and in a body that fails the schema.
    reply
      .header('x-echo', String(request.headers.authorization))
      .type('application/json')
      .send({ data: 'not-an-array', auth: request.headers.authorization, key: request.headers['x-api-key'] });
  });
  const target = await listen(t, app);
  const out = t.testdir();
  const outcome = await runCli(
    ['run', '--profile', small, '--target', target, '--token-env', 'SUPPLIER_TOKEN', '--header', `X-Api-Key: ${API_KEY}`, '--out', out],
    { env: { SUPPLIER_TOKEN: TOKEN } },
  );
  t.equal(outcome.code, 1, 'the schema failure is reported');
  t.same(seen, [`Bearer ${TOKEN}`], 'the token was sent to the target');

  const outputs: Record<string, string> = { stdout: outcome.stdout, stderr: outcome.stderr };
  for (const file of readdirSync(out)) outputs[file] = readFileSync(join(out, file), 'utf8');
  t.ok(outputs['report.json'] && outputs['junit.xml'], 'report.json and junit.xml written');
  for (const [name, text] of Object.entries(outputs)) {
    t.notOk(text.includes(TOKEN), `token absent from ${name}`);
    t.notOk(text.includes(API_KEY), `API key absent from ${name}`);
  }
  t.match(outputs['report.json'], /\[redacted\]/, 'redaction is visible');
});

t.test('--dry-run prints the planned requests, redacted, and sends nothing', async (t) => {
  let requests = 0;
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async () => {
    requests++;
  });
  const target = await listen(t, app);
  const outcome = await runCli(['run', '--profile', small, '--target', target, '--token-env', 'T', '--dry-run'], { env: { T: TOKEN } });
  t.equal(outcome.code, 0);
  t.match(outcome.stdout, new RegExp(`GET ${target}/items`));
  t.match(outcome.stdout, /authorization: Bearer \$\{T\}/, 'the token is named by its variable, so the line can be reproduced');
  t.notOk(outcome.stdout.includes(TOKEN));
  t.equal(requests, 0, 'no request reached the target');
});
