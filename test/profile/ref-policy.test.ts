import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { HarnessError } from '../../harness/errors.js';
import { resolvePointer } from '../../harness/json-pointer.js';
import { loadProfile } from '../../harness/profile/load-profile.js';
import { isInside } from '../../harness/profile/ref-policy.js';
import { serve } from '../http/test-server.js';
import { profileWithRef } from '../support/profile-with-ref.js';


async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof HarnessError ? error.code : `not a HarnessError: ${String(error)}`;
  }
}

t.test('isInside', async (t) => {
  t.ok(isInside('/p', '/p/a.yaml'));
  t.ok(isInside('/p', '/p/sub/a.yaml'));
  t.notOk(isInside('/p', '/p2/a.yaml'));
  t.notOk(isInside('/p', '/a.yaml'));
  t.ok(isInside('/p', '/p/..a.yaml'), 'a file whose name starts with two dots is still inside');
});

t.test('a symlink inside the folder that leads outside is refused', async (t) => {
  const outside = mkdtempSync(join(tmpdir(), 'harness-outside-'));
  t.teardown(() => rmSync(outside, { recursive: true, force: true }));
  writeFileSync(join(outside, 'secret.yaml'), 'type: object\n');
  const dir = t.testdir({ 'openapi.yaml': profileWithRef('./link.yaml') });
  symlinkSync(join(outside, 'secret.yaml'), join(dir, 'link.yaml'));
  try {
    await loadProfile(join(dir, 'openapi.yaml'));
    t.fail('expected a refusal');
  } catch (error) {
    t.equal((error as HarnessError).code, 'PROFILE_REF_REFUSED');
    t.match((error as Error).message, /\$ref "\.\/link\.yaml" in .*openapi\.yaml.*symlink/);
  }
});

t.test('a symlink that stays inside the folder is followed', async (t) => {
  const dir = t.testdir({ 'openapi.yaml': profileWithRef('./link.yaml'), 'real.yaml': 'type: string\n' });
  symlinkSync(join(dir, 'real.yaml'), join(dir, 'link.yaml'));
  const profile = await loadProfile(join(dir, 'openapi.yaml'));
  const pointer = profile.operations[0]!.responses[0]!.content[0]!.schemaPointer!;
  t.match(resolvePointer(profile.document, pointer), { found: true, value: { type: 'string' } });
});

t.test('remote refs are refused before any request is made', async (t) => {
  const calls: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request) => {
    calls.push(String(input));
    throw new Error('no network in tests');
  }) as typeof fetch;
  t.teardown(() => {
    globalThis.fetch = realFetch;
  });
  const dir = t.testdir({ 'openapi.yaml': profileWithRef('https://example.invalid/x.yaml#/Thing') });
  t.equal(await codeOf(loadProfile(join(dir, 'openapi.yaml'))), 'PROFILE_REF_REFUSED');
  t.same(calls, [], 'fetch never called');

  // Other schemes are never fetched either, with or without the flag.
  const other = t.testdir({ 'openapi.yaml': profileWithRef('ftp://example.invalid/x.yaml') });
  t.equal(await codeOf(loadProfile(join(other, 'openapi.yaml'))), 'PROFILE_REF_REFUSED');
  t.equal(await codeOf(loadProfile(join(other, 'openapi.yaml'), { allowRemoteRefs: true })), 'PROFILE_REF_REFUSED');
});

t.test('allowRemoteRefs lets a remote ref through to the bounded client', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/x.yaml') return void res.writeHead(200, { 'content-type': 'application/yaml' }).end('Thing:\n  type: integer\n');
    res.writeHead(404).end();
  });
  const dir = t.testdir({ 'openapi.yaml': profileWithRef(`${server.origin}/x.yaml#/Thing`) });
  t.equal(await codeOf(loadProfile(join(dir, 'openapi.yaml'))), 'PROFILE_REF_REFUSED');
  t.equal(server.requests.length, 0, 'refused before any request');
  const profile = await loadProfile(join(dir, 'openapi.yaml'), { allowRemoteRefs: true });
  t.same(server.requests.map((r) => r.url), ['/x.yaml']);
  const pointer = profile.operations[0]!.responses[0]!.content[0]!.schemaPointer!;
  t.match(resolvePointer(profile.document, pointer), { found: true, value: { type: 'integer' } });
});

t.test('allowRemoteRefs also allows files outside the folder', async (t) => {
  const dir = t.testdir({ common: { 'thing.yaml': 'type: boolean\n' }, profile: { 'openapi.yaml': profileWithRef('../common/thing.yaml') } });
  t.equal(await codeOf(loadProfile(join(dir, 'profile', 'openapi.yaml'))), 'PROFILE_REF_REFUSED');
  const profile = await loadProfile(join(dir, 'profile', 'openapi.yaml'), { allowRemoteRefs: true });
  t.match(resolvePointer(profile.document, profile.operations[0]!.responses[0]!.content[0]!.schemaPointer!), {
    found: true,
    value: { type: 'boolean' },
  });
});

t.test('referenced files get the same parse guards as the profile', async (t) => {
  const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]'];
  for (const name of 'bcdefgh') bomb.push(`${name}: &${name} [${Array(9).fill('*' + String.fromCharCode(name.charCodeAt(0) - 1)).join(',')}]`);
  const dir = t.testdir({
    'openapi.yaml': profileWithRef('./bomb.yaml'),
    'bomb.yaml': bomb.join('\n') + '\n',
    'broken.yaml': 'a: [\n',
    'broken-ref.yaml': profileWithRef('./broken.yaml'),
    'dir-ref.yaml': profileWithRef('./sub'),
    'big-ref.yaml': profileWithRef('./big.yaml'),
    'big.yaml': `type: string\ndescription: ${'x'.repeat(5000)}\n`,
    sub: {},
  });
  t.equal(await codeOf(loadProfile(join(dir, 'openapi.yaml'))), 'PROFILE_TOO_LARGE');
  try {
    await loadProfile(join(dir, 'broken-ref.yaml'));
    t.fail('expected a parse error');
  } catch (error) {
    t.equal((error as HarnessError).code, 'PROFILE_PARSE');
    t.match((error as Error).message, /broken\.yaml: invalid YAML at line \d+, column \d+/);
  }
  t.equal(await codeOf(loadProfile(join(dir, 'dir-ref.yaml'))), 'PROFILE_REF_UNRESOLVED');
  t.equal(await codeOf(loadProfile(join(dir, 'big-ref.yaml'), { maxBytes: 2000 })), 'PROFILE_TOO_LARGE', 'size cap applies to referenced files');
  t.equal(await codeOf(loadProfile(join(dir, 'big-ref.yaml'))), 'resolved', 'and only over the cap');
});
