// A profile given as a URL (issue 14, item 8): fetched with the harness's own
// bounded client, its sha256 recorded, relative $refs resolved on its origin
// only, YAML or JSON by content, and named after info.title in generic mode.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadProfile, slugify } from '../../harness/profile/load-profile.js';
import type { Report } from '../../harness/report/report-types.js';
import { serve } from '../http/test-server.js';
import { runCli } from '../support/run-cli.js';
import { outcomeOf } from '../support/harness-error-outcome.js';


const documentWithRef = (ref: string, title = 'Todo API (v2)'): string =>
  JSON.stringify({
    openapi: '3.0.3',
    info: { title, version: '2.0.0' },
    paths: {
      '/todos': {
        get: { operationId: 'listTodos', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } } },
      },
    },
  });

const TODO_SCHEMA_YAML = 'type: array\nitems:\n  type: object\n  required: [id]\n  properties:\n    id: { type: integer }\n';

t.test('a JSON profile from a URL, with a relative $ref to YAML on the same origin', async (t) => {
  const served = documentWithRef('./schemas/todos.yaml');
  const server = await serve(t, (req, res) => {
    if (req.url === '/api/openapi.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(served);
    // Served as text/plain with no telling name: YAML by its content.
    if (req.url === '/api/schemas/todos.yaml') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(TODO_SCHEMA_YAML);
    res.writeHead(404).end();
  });
  const url = `${server.origin}/api/openapi.json`;
  const profile = await loadProfile(url);
  t.equal(profile.info.source, url, 'the source is the URL, not a mangled file path');
  t.equal(profile.info.sha256, createHash('sha256').update(served).digest('hex'), 'sha256 of the bytes served');
  t.equal(profile.info.id, 'todo-api-v2', 'generic mode: the id comes from info.title');
  t.equal(profile.info.title, 'Todo API (v2)');
  t.equal(profile.info.mode, 'generic');
  t.equal(profile.operations.length, 1);
  t.match(JSON.stringify(profile.document), /"required":\["id"\]/, 'the referenced YAML schema is bundled in');
  t.same(
    server.requests.map((r) => r.url),
    ['/api/openapi.json', '/api/schemas/todos.yaml'],
    'only the profile and its same-origin $ref were requested',
  );
});

t.test('a YAML profile at a URL without an extension, through a same-origin redirect', async (t) => {
  const yaml = `openapi: 3.1.0\ninfo: { title: 'Dépôt / ../Files', version: '1' }\npaths:\n  /files: { get: { responses: { '200': { description: ok } } } }\n`;
  const server = await serve(t, (req, res) => {
    if (req.url === '/old-docs') return void res.writeHead(301, { location: '/v3/api-docs' }).end();
    if (req.url === '/v3/api-docs') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(yaml);
    res.writeHead(404).end();
  });
  const profile = await loadProfile(`${server.origin}/old-docs`);
  t.equal(profile.info.openapi, '3.1.0', 'parsed as YAML by its content');
  t.equal(profile.info.id, 'depot-files', 'a title with separators and dots becomes a safe folder name');
  t.notMatch(profile.info.id, /[/\\]|\.\./);
});

t.test('refusals: another origin, an off-origin redirect, local files, plain http off loopback', async (t) => {
  const other = await serve(t, (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(TODO_SCHEMA_YAML));
  const server = await serve(t, (req, res) => {
    if (req.url === '/cross.json') return void res.writeHead(200).end(documentWithRef(`${other.origin}/todos.yaml`));
    if (req.url === '/moved.json') return void res.writeHead(302, { location: `${other.origin}/openapi.json` }).end();
    if (req.url === '/ref-moved.json') return void res.writeHead(200).end(documentWithRef('./elsewhere.yaml'));
    if (req.url === '/elsewhere.yaml') return void res.writeHead(307, { location: `${other.origin}/todos.yaml` }).end();
    if (req.url === '/local.json') return void res.writeHead(200).end(documentWithRef('file:///etc/hostname'));
    if (req.url === '/absolute.json') return void res.writeHead(200).end(documentWithRef('/etc/hostname'));
    res.writeHead(404).end();
  });

  const cross = await outcomeOf(loadProfile(`${server.origin}/cross.json`));
  t.equal(cross.code, 'PROFILE_REF_REFUSED', 'a $ref to another origin is refused');
  t.match(cross.message, new RegExp(`${other.origin.replace(/[.]/g, '\\.')} is not the origin the profile came from`));
  t.equal(other.requests.length, 0, 'and the other origin was never contacted');
  t.equal((await outcomeOf(loadProfile(`${server.origin}/cross.json`, { allowRemoteRefs: true }))).code, 'resolved', 'unless --allow-remote-refs');

  const before = other.requests.length;
  const moved = await outcomeOf(loadProfile(`${server.origin}/moved.json`));
  t.equal(moved.code, 'PROFILE_UNREADABLE');
  t.match(moved.message, /redirects to http:\/\/127\.0\.0\.1:\d+\/openapi\.json, off its origin/);
  const refMoved = await outcomeOf(loadProfile(`${server.origin}/ref-moved.json`));
  t.equal(refMoved.code, 'PROFILE_UNREADABLE', 'a same-origin $ref redirecting off-origin is refused too');
  t.match(refMoved.message, /off its origin/);
  t.equal(other.requests.length, before, 'no redirect was followed to the other origin');

  for (const path of ['/local.json', '/absolute.json']) {
    const local = await outcomeOf(loadProfile(`${server.origin}${path}`, { allowRemoteRefs: true }));
    t.equal(local.code, path === '/local.json' ? 'PROFILE_REF_REFUSED' : 'PROFILE_NOT_FOUND', `${path}: never a local file`);
    t.notMatch(local.message, /^resolved$/);
  }

  const plain = await outcomeOf(loadProfile('http://profiles.example.invalid/openapi.json'));
  t.equal(plain.code, 'PROFILE_UNREADABLE');
  t.match(plain.message, /uses plain http; use https/);
});

t.test('status, size and time bounds', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/big.json') return void res.writeHead(200).end(documentWithRef('#/x', 'x'.repeat(5000)));
    if (req.url === '/error.json') return void res.writeHead(500).end('oops');
    if (req.url === '/hang.json') return; // never answers
    res.writeHead(404).end();
  });
  t.equal((await outcomeOf(loadProfile(`${server.origin}/missing.json`))).code, 'PROFILE_NOT_FOUND');
  const error = await outcomeOf(loadProfile(`${server.origin}/error.json`));
  t.equal(error.code, 'PROFILE_UNREADABLE');
  t.match(error.message, /answered 500/);
  const big = await outcomeOf(loadProfile(`${server.origin}/big.json`, { maxBytes: 1000 }));
  t.equal(big.code, 'PROFILE_TOO_LARGE');
  t.match(big.message, /over the 1000-byte limit/);
  const hang = await outcomeOf(loadProfile(`${server.origin}/hang.json`, { fetchLimits: { requestTimeoutMs: 500 } }));
  t.equal(hang.code, 'PROFILE_UNREADABLE', 'the request deadline holds');
  t.match(hang.message, /no response within/);
  const budget = await outcomeOf(loadProfile(`${server.origin}/hang.json`, { loadTimeoutMs: 300, fetchLimits: { requestTimeoutMs: 60_000 } }));
  t.equal(budget.code, 'PROFILE_LOAD_TIMEOUT', 'and so does the load budget');
  t.match(budget.message, /0\.3 s load budget/);
});

t.test('slugify: safe folder names', async (t) => {
  t.equal(slugify('Supplier API (v2)'), 'supplier-api-v2');
  t.equal(slugify('../../etc/passwd'), 'etc-passwd');
  t.equal(slugify('..'), 'profile');
  t.equal(slugify('a'.repeat(200)).length, 64);
  t.equal(slugify('Überweisungen'), 'uberweisungen');
});

t.test('run --profile <url> records the URL and its sha256', async (t) => {
  const served = documentWithRef('./schemas/todos.yaml', 'Todo Service');
  const server = await serve(t, (req, res) => {
    if (req.url === '/openapi.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(served);
    if (req.url === '/schemas/todos.yaml') return void res.writeHead(200).end(TODO_SCHEMA_YAML);
    if (req.url === '/todos') return void res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id": 1}]');
    res.writeHead(404).end();
  });
  const dir = t.testdir({});
  const outcome = await runCli(['run', '--profile', `${server.origin}/openapi.json`, '--target', server.origin, '--quiet'], { cwd: dir });
  t.equal(outcome.code, 0, outcome.stderr);
  const folders = readdirSync(join(dir, 'reports'));
  t.equal(folders.length, 1);
  t.match(folders[0], /^todo-service-/, 'the report folder is named after info.title');
  const report = JSON.parse(readFileSync(join(dir, 'reports', folders[0]!, 'report.json'), 'utf8')) as Report;
  t.equal(report.profile.source, `${server.origin}/openapi.json`);
  t.equal(report.profile.sha256, createHash('sha256').update(served).digest('hex'));
  t.equal(report.profile.id, 'todo-service');
  t.equal(report.results.find((r) => r.check === 'response-schema')?.status, 'pass');
});

t.test('a document behind the API\'s own credentials: sent to the target\'s origin only', async (t) => {
  const TOKEN = 'doc-token-4f1b9c2e7a';
  const authorised = (req: { headers: Record<string, string | string[] | undefined> }) => req.headers['authorization'] === `Bearer ${TOKEN}`;
  const other = await serve(t, (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(TODO_SCHEMA_YAML));
  const server = await serve(t, (req, res) => {
    // Like Directus: the document, its parts and the API all want the token.
    if (!authorised(req)) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorised"}');
    if (req.url === '/openapi.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(documentWithRef('./schemas/todos.yaml', 'Locked'));
    if (req.url === '/remote.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(documentWithRef(`${other.origin}/todos.yaml`, 'Locked'));
    if (req.url === '/schemas/todos.yaml') return void res.writeHead(200).end(TODO_SCHEMA_YAML);
    if (req.url === '/todos') return void res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id": 1}]');
    res.writeHead(404).end();
  });
  const env = { DOC_TOKEN: TOKEN };
  const dir = t.testdir({});

  const run = await runCli(['run', '--profile', `${server.origin}/openapi.json`, '--target', server.origin, '--token-env', 'DOC_TOKEN', '--quiet'], { cwd: dir, env });
  t.equal(run.code, 0, run.stderr);
  const documentFetches = server.requests.filter((r) => r.url === '/openapi.json' || r.url === '/schemas/todos.yaml');
  t.equal(documentFetches.length, 2);
  t.ok(documentFetches.every(authorised), 'the document and its same-origin $ref were fetched with the token');
  const folder = readdirSync(join(dir, 'reports'))[0]!;
  const written = readdirSync(join(dir, 'reports', folder)).map((file) => readFileSync(join(dir, 'reports', folder, file), 'utf8')).join('\n');
  t.notMatch(written + run.stdout + run.stderr, TOKEN, 'the token is in no report and no output');

  // --header-env and a cookie go the same way; a $ref let off the origin gets none of them.
  const placed = await runCli(
    ['run', '--profile', `${server.origin}/remote.json`, '--target', server.origin, '--header-env', 'Authorization=DOC_AUTH', '--cookie-env', 'sid=DOC_SID', '--allow-remote-refs', '--quiet', '--out', join(dir, 'placed')],
    { cwd: dir, env: { DOC_AUTH: `Bearer ${TOKEN}`, DOC_SID: 'sid-value' } },
  );
  t.equal(placed.code, 0, placed.stderr);
  t.match(server.requests.find((r) => r.url === '/remote.json')?.headers, { authorization: `Bearer ${TOKEN}`, cookie: 'sid=sid-value' });
  t.equal(other.requests.length, 1, 'the remote $ref was fetched');
  t.same([other.requests[0]!.headers['authorization'], other.requests[0]!.headers['cookie']], [undefined, undefined], 'without the target\'s credentials');

  // A profile on another origin than the target: fetched without them, and the refusal says why.
  const elsewhere = await runCli(['run', '--profile', `${server.origin}/openapi.json`, '--target', other.origin, '--token-env', 'DOC_TOKEN', '--quiet'], { cwd: dir, env });
  t.equal(elsewhere.code, 2);
  t.match(elsewhere.stderr, new RegExp(`answered 401, not 200, sent without credentials: they go only with a profile on the target's origin ${other.origin.replace(/\./g, '\\.')};`));
  t.notOk(authorised(server.requests.at(-1)!), 'the token did not go to the profile\'s origin');
  t.notMatch(elsewhere.stderr, TOKEN);

  // None given: the refusal names the options that would send some.
  const none = await outcomeOf(loadProfile(`${server.origin}/openapi.json`));
  t.equal(none.code, 'PROFILE_UNREADABLE');
  t.match(none.message, /answered 401, not 200, sent without credentials: run and replay send the ones they are given \(--header, --header-env.*when the target is on this origin/);

  // The wrong token: said to be refused with it, the header named but not its value.
  const wrong = await runCli(['run', '--profile', `${server.origin}/openapi.json`, '--target', server.origin, '--token-env', 'DOC_TOKEN', '--quiet'], { cwd: dir, env: { DOC_TOKEN: 'wrong-token-value' } });
  t.equal(wrong.code, 2);
  t.match(wrong.stderr, /answered 401, not 200, to the credentials given \(authorization\)/);
  t.notMatch(wrong.stderr, 'wrong-token-value');
});

t.test('a document fetched with credentials: what a hostile target can do with them (review of the above)', async (t) => {
  const TOKEN = 'doc-token-8c3d1e5f2b';
  const authorised = (req: { headers: Record<string, string | string[] | undefined> }) => req.headers['authorization'] === `Bearer ${TOKEN}`;
  const yaml = "openapi: 3.0.3\ninfo: { title: Y, version: '1' }\npaths:\n  /todos: { get: { operationId: listTodos, responses: { '200': { description: ok } } } }\n";
  const target = await serve(t, (req, res) => {
    const sent = String(req.headers['authorization'] ?? '').slice('Bearer '.length);
    // Echoed off-origin in Location, and in the document's own title and a path.
    if (req.url === '/moved.json') return void res.writeHead(302, { location: `https://elsewhere.example/login?from=${sent}` }).end();
    if (req.url === '/echo.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(documentWithRef('#/components/schemas/x', `Todo ${sent}`).replace('"paths":{', `"paths":{"bad-${sent}":{},`));
    // YAML only, honouring Accept: a user's -H Accept for the API must not reach it.
    if (req.url === '/openapi.yaml') return void (/yaml/.test(String(req.headers['accept'])) ? res.writeHead(200, { 'content-type': 'application/yaml' }).end(yaml) : res.writeHead(406).end());
    if (req.url === '/private/todos.yaml') return void res.writeHead(200).end(TODO_SCHEMA_YAML);
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  const other = await serve(t, (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(documentWithRef(`${target.origin}/private/todos.yaml`)));
  const env = { DOC_TOKEN: TOKEN };
  const dir = t.testdir({});
  const run = (profile: string, ...extra: string[]) => runCli(['run', '--profile', profile, '--target', target.origin, '--token-env', 'DOC_TOKEN', '--out', join(dir, String(target.requests.length)), ...extra], { cwd: dir, env });

  const moved = await run(`${target.origin}/moved.json`);
  t.equal(moved.code, 2);
  t.match(moved.stderr, /redirects to https:\/\/elsewhere\.example\/login\?from=\[redacted\], off its origin/, 'the echoed token is redacted in the message');
  t.notMatch(moved.stderr, TOKEN);

  const echoed = await run(`${target.origin}/echo.json`);
  t.notMatch(echoed.stdout + echoed.stderr, TOKEN, 'a title or path echoing the token is redacted in the terminal too');
  t.match(echoed.stdout, /probing \S+ with todo-\[redacted\]@2\.0\.0/, 'the profile id made from the title, redacted');
  t.match(echoed.stdout, /warning: path "bad-\[redacted\]" does not begin with/, 'and a warning naming the path');

  const accept = await run(`${target.origin}/openapi.yaml`, '-H', 'Accept: application/json', '--quiet');
  t.equal(accept.code, 0, accept.stderr);

  const elsewhere = await run(`${other.origin}/openapi.json`, '--allow-remote-refs', '--quiet');
  t.equal(elsewhere.code, 0, elsewhere.stderr);
  const refFetch = target.requests.find((r) => r.url === '/private/todos.yaml');
  t.ok(refFetch, 'a profile elsewhere, its $ref to the target fetched');
  t.notOk(authorised(refFetch!), 'without the credentials: only a profile on the target\'s origin is fetched with them');
});

t.test('a run\'s allow-list binds the fetch of its profile too', async (t) => {
  const { prepareRun } = await import('../../harness/run/prepare-run.js');
  const { parseAllowedTargets } = await import('../../harness/http/target-allow-list.js');
  const target = await serve(t, (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(documentWithRef('#/components/schemas/x')));
  const other = await serve(t, (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(documentWithRef('#/components/schemas/x')));
  const allowedTargets = parseAllowedTargets(target.origin, 'INTEROP_ALLOWED_TARGETS');
  const refused = await outcomeOf(prepareRun({ profile: `${other.origin}/openapi.json`, target: target.origin, allowedTargets }));
  t.equal(refused.code, 'TARGET_NOT_ALLOWED');
  t.equal(other.requests.length, 0, 'the origin off the list was never contacted');
  const allowed = await prepareRun({ profile: `${target.origin}/openapi.json`, target: target.origin, allowedTargets });
  t.equal(allowed.profile.operations.length, 1, 'one on the list is fetched');
});

t.test('a document fetched with credentials leaves nothing of it in the profile cache', async (t) => {
  const TOKEN = 'doc-token-cache-71e0a9';
  const server = await serve(t, (req, res) => {
    const sent = String(req.headers['authorization'] ?? '').slice('Bearer '.length);
    // A path the schema check warns about, echoing the token it was fetched with.
    if (req.url === '/openapi.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(documentWithRef('#/components/schemas/x').replace('"paths":{', `"paths":{"bad-${sent}":{},`));
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  const dir = t.testdir({ cache: {}, 'openapi.json': documentWithRef('#/components/schemas/x').replace('"paths":{', '"paths":{"bad-path":{},') });
  const cache = join(dir, 'cache');
  const entries = () => readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
  const fetched = await runCli(['run', '--profile', `${server.origin}/openapi.json`, '--target', server.origin, '--token-env', 'DOC_TOKEN', '--quiet', '--out', join(dir, 'a')], { cwd: dir, env: { DOC_TOKEN: TOKEN, INTEROP_CACHE_DIR: cache } });
  t.equal(fetched.code, 0, fetched.stderr);
  t.same(entries().filter((text) => text.includes('bad-')), [], 'no conclusion about it was kept');
  const local = await runCli(['run', '--profile', join(dir, 'openapi.json'), '--target', server.origin, '--quiet', '--out', join(dir, 'b')], { cwd: dir, env: { INTEROP_CACHE_DIR: cache } });
  t.equal(local.code, 0, local.stderr);
  t.ok(entries().some((text) => text.includes('bad-path')), 'while a file read without credentials is cached as ever');
});
