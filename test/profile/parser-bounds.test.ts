// Parsers are bounded by size, not count (issue 10, class 4): alias expansion by
// expanded size, duplicate keys found in linear time, FIFOs and devices refused
// before a read could block, and the whole load under a deadline.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { HarnessError } from '../../harness/errors.js';
import fc from 'fast-check';
import { findDuplicateJsonKey, hasDuplicateJsonKey } from '../../harness/profile/json-duplicate-keys.js';
import { loadProfile } from '../../harness/profile/load-profile.js';
import { parseDocumentText, readDocument } from '../../harness/profile/read-document.js';
import { outcomeOf } from '../support/harness-error-outcome.js';
import { profileWithRef } from '../support/profile-with-ref.js';


function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
    return { code: 'returned', message: '' };
  } catch (error) {
    if (error instanceof HarnessError) return { code: error.code, message: error.message };
    return { code: `not a HarnessError: ${String(error)}`, message: String(error) };
  }
}


t.test('a YAML bomb with few aliases is refused by its expanded size', async (t) => {
  // 30 aliases, each naming a 1 MB string: 30 MB expanded from a 1 MB file.
  const text = `big: &big "${'x'.repeat(1024 * 1024)}"\ncopies: [${Array(30).fill('*big').join(', ')}]\n`;
  const outcome = thrown(() => parseDocumentText(text, 'wide.yaml', 'yaml'));
  t.equal(outcome.code, 'PROFILE_TOO_LARGE');
  t.match(outcome.message, /wide\.yaml: YAML aliases expand the document past the 20971520-byte profile size limit/);

  // The bound is the caller's size limit: 3 aliases to 1 KB are fine under 10 KB, not under 3 KB.
  const small = `a: &a "${'y'.repeat(1024)}"\nb: [*a, *a, *a]\n`;
  t.same((parseDocumentText(small, 's.yaml', 'yaml', { maxBytes: 10_000 }) as { b: string[] }).b.length, 3);
  t.equal(thrown(() => parseDocumentText(small, 's.yaml', 'yaml', { maxBytes: 3000 })).code, 'PROFILE_TOO_LARGE');

  // Nested anchors: each level 10 times the one before; refused before anything is built.
  const nested = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
  for (const name of 'bcdefghijklmnop') nested.push(`${name}: &${name} [${Array(10).fill('*' + String.fromCharCode(name.charCodeAt(0) - 1)).join(',')}]`);
  t.equal(thrown(() => parseDocumentText(nested.join('\n'), 'deep.yaml', 'yaml')).code, 'PROFILE_TOO_LARGE');

  // Merge keys count too.
  const merges = [`base: &base { k: "${'z'.repeat(1024)}" }`, ...Array.from({ length: 20 }, (_, i) => `m${i}: { <<: *base }`)].join('\n');
  t.equal(thrown(() => parseDocumentText(merges, 'merge.yaml', 'yaml', { maxBytes: 10_000 })).code, 'PROFILE_TOO_LARGE');
});

t.test('many aliases of a small anchor are an honest document, not a bomb', async (t) => {
  const text = `s: &s { type: string }\nlist: [${Array(5000).fill('*s').join(', ')}]\n`;
  const value = parseDocumentText(text, 'many.yaml', 'yaml') as { list: unknown[] };
  t.equal(value.list.length, 5000);
  t.same(value.list[4999], { type: 'string' });
  t.not(value.list[0], value.list[1], 'independent copies');
});


t.test('200,000 keys: duplicate detection is linear (loads, or a duplicate is named)', async (t) => {
  const count = 200_000;
  const keys = Array.from({ length: count }, (_, i) => `k${i}`);
  const json = `{${keys.map((k, i) => `"${k}": ${i}`).join(',')}}`;
  t.equal(Object.keys(parseDocumentText(json, 'wide.json', 'json') as object).length, count);
  const jsonDup = `{${keys.map((k, i) => `"${k}": ${i}`).join(',')}, "k7": 0}`;
  const jsonOutcome = thrown(() => parseDocumentText(jsonDup, 'dup.json', 'json'));
  t.equal(jsonOutcome.code, 'PROFILE_PARSE');
  t.match(jsonOutcome.message, /dup\.json: invalid JSON at line 1, column \d+: duplicate key "k7"/);

  const yaml = keys.map((k, i) => `${k}: ${i}`).join('\n') + '\n';
  t.equal(Object.keys(parseDocumentText(yaml, 'wide.yaml', 'yaml') as object).length, count);
  const yamlOutcome = thrown(() => parseDocumentText(yaml + 'k7: again\n', 'dup.yaml', 'yaml'));
  t.equal(yamlOutcome.code, 'PROFILE_PARSE');
  t.match(yamlOutcome.message, new RegExp(`dup\\.yaml: invalid YAML at line ${count + 1}, column 1: duplicate key "k7"`));
});

t.test('duplicate JSON keys: per object, escapes decoded, strings skipped', async (t) => {
  t.same(findDuplicateJsonKey('{"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]}'), undefined, 'same name in different objects');
  t.same(findDuplicateJsonKey('{"a": "\\"a\\"", "b": "{\\"a\\": 1, \\"a\\": 2}"}'), undefined, 'braces and quotes inside strings');
  t.same(findDuplicateJsonKey('{"a\\u0062": 1, "ab": 2}'), { key: 'ab', offset: 15 }, 'escaped spelling of the same name');
  t.same(findDuplicateJsonKey('{"__proto__": 1, "__proto__": 2}')?.key, '__proto__');
  t.same(findDuplicateJsonKey('[{"x": 1}, {"x": 1, "y": {"x": 1}, "x": 2}]')?.key, 'x');
  t.same(findDuplicateJsonKey('{"a\\\\": 1, "a": 2}'), undefined, 'a backslash at the end of a key');
});

/** A JSON tree written member by member, so an object may name a key twice. */
type Written = { kind: 'object'; members: Array<{ key: string; escaped: boolean; spaced: boolean; value: Written }> } | { kind: 'array'; items: Written[] } | { kind: 'scalar'; value: unknown };

const writtenTree = fc.letrec<{ node: Written }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('scalar' as const), value: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean()) }),
    fc.record({ kind: fc.constant('array' as const), items: fc.array(tie('node'), { maxLength: 4 }) }),
    fc.record({
      kind: fc.constant('object' as const),
      // Few distinct names, so duplicates are common; names with quotes, backslashes, colons and braces.
      members: fc.array(
        fc.record({ key: fc.oneof(fc.constantFrom('a', 'b', '__proto__', '":', 'x\\', '\\', '"', '{"a":1}', ''), fc.string({ maxLength: 4 })), escaped: fc.boolean(), spaced: fc.boolean(), value: tie('node') }),
        { maxLength: 5 },
      ),
    }),
  ),
}));

function writeTree(node: Written): string {
  if (node.kind === 'scalar') return JSON.stringify(node.value);
  if (node.kind === 'array') return `[${node.items.map(writeTree).join(', ')}]`;
  const member = (m: { key: string; escaped: boolean; spaced: boolean; value: Written }) => {
    // The same name spelled with \u escapes: a duplicate all the same.
    const key = m.escaped ? `"${[...m.key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(m.key);
    return `${key}${m.spaced ? ' \n\t:' : ':'}${writeTree(m.value)}`;
  };
  return `{${node.members.map(member).join(',')}}`;
}

function writesDuplicate(node: Written): boolean {
  if (node.kind === 'scalar') return false;
  if (node.kind === 'array') return node.items.some(writesDuplicate);
  return new Set(node.members.map((m) => m.key)).size < node.members.length || node.members.some((m) => writesDuplicate(m.value));
}

t.test('counting finds a duplicate JSON key exactly when the scan does', async (t) => {
  fc.assert(
    fc.property(writtenTree.node, (tree) => {
      const text = writeTree(tree);
      const expected = writesDuplicate(tree);
      return hasDuplicateJsonKey(text, JSON.parse(text)) === expected && (findDuplicateJsonKey(text) !== undefined) === expected;
    }),
    { numRuns: 2000 },
  );
  t.equal(hasDuplicateJsonKey('{"a": "\\":", "b": 1}', { a: '":', b: 1 }), false, 'an escaped quote before a colon is inside a string');
  t.equal(hasDuplicateJsonKey('{"a\\\\" : 1, "a\\\\" : 2}', { 'a\\': 2 }), true, 'a key ending in a backslash, spaced from its colon');
  // Millions of escapes in one string: a backtracking pattern overflowed its stack here.
  const escapes = `{"a": "${'\\n'.repeat(4_000_000)}", "b": 1}`;
  t.equal(hasDuplicateJsonKey(escapes, JSON.parse(escapes)), false, 'a string of 4,000,000 escapes');
  const repeated = `{"a": "${'\\n'.repeat(4_000_000)}", "a": 1}`;
  t.equal(hasDuplicateJsonKey(repeated, JSON.parse(repeated)), true, 'and with its key repeated');
  // Polluted, for...in would walk the inherited key as a member of each object, offsetting the duplicate.
  (Object.prototype as Record<string, unknown>)['polluted'] = 1;
  try {
    t.equal(hasDuplicateJsonKey('{"a": 1, "a": 2}', JSON.parse('{"a": 1, "a": 2}')), true, 'a duplicate with Object.prototype polluted');
  } finally {
    delete (Object.prototype as Record<string, unknown>)['polluted'];
  }
  t.equal(hasDuplicateJsonKey('[1, "a", {"x": [{}], "y": {"x": 1}}]', [1, 'a', { x: [{}], y: { x: 1 } }]), false);
});

t.test('a FIFO, a device, a socket or a directory as the profile is refused without blocking', async (t) => {
  const dir = t.testdir({ sub: {} });
  const fifo = join(dir, 'profile.yaml');
  execFileSync('mkfifo', [fifo]);
  // Nobody ever writes to the FIFO: a blocking open or read would hang this test.
  const fromFifo = await outcomeOf(readDocument(fifo));
  t.equal(fromFifo.code, 'PROFILE_UNREADABLE');
  t.match(fromFifo.message, /it is a FIFO \(named pipe\), not a regular file/);
  t.equal((await outcomeOf(loadProfile(fifo))).code, 'PROFILE_UNREADABLE', 'through loadProfile too');

  const device = await outcomeOf(readDocument('/dev/zero'));
  t.equal(device.code, 'PROFILE_UNREADABLE');
  t.match(device.message, /character device/);

  // A socket path must be short (about 100 bytes): not under the test folder.
  const socketDir = mkdtempSync(join(tmpdir(), 'ih-sock-'));
  t.teardown(() => rmSync(socketDir, { recursive: true, force: true }));
  const socketPath = join(socketDir, 'p.sock');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const socket = await outcomeOf(readDocument(socketPath));
  t.equal(socket.code, 'PROFILE_UNREADABLE');
  t.match(socket.message, /socket/);

  t.match((await outcomeOf(readDocument(join(dir, 'sub')))).message, /directory/);
});

t.test('a $ref to a FIFO or a device is refused without blocking', async (t) => {
  const dir = t.testdir({ 'openapi.yaml': profileWithRef('./schema.yaml'), 'dev.yaml': profileWithRef('/dev/zero') });
  execFileSync('mkfifo', [join(dir, 'schema.yaml')]);
  const fifo = await outcomeOf(loadProfile(join(dir, 'openapi.yaml')));
  t.equal(fifo.code, 'PROFILE_REF_REFUSED');
  t.match(fifo.message, /schema\.yaml is a FIFO \(named pipe\), not a regular file/);
  // Outside the folder it is refused anyway; with the confinement lifted the kind is the reason.
  const device = await outcomeOf(loadProfile(join(dir, 'dev.yaml'), { allowRemoteRefs: true }));
  t.equal(device.code, 'PROFILE_REF_REFUSED');
  t.match(device.message, /\/dev\/zero is a character device/);
});

t.test('loading has a deadline that names its limit', async (t) => {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < 3000; i++) {
    paths[`/things${i}/{id}`] = {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } } },
      },
    };
  }
  const dir = t.testdir({});
  const file = join(dir, 'big.json');
  writeFileSync(file, JSON.stringify({ openapi: '3.0.3', info: { title: 'Big', version: '1' }, paths }));
  // 3,000 operations cannot be read, validated and extracted in 5 ms on any machine.
  const outcome = await outcomeOf(loadProfile(file, { loadTimeoutMs: 5 }));
  t.equal(outcome.code, 'PROFILE_LOAD_TIMEOUT');
  t.match(outcome.message, /big\.json: loading the profile took longer than the 0\.005 s load budget \(stopped (before|while) /);
  t.equal((await outcomeOf(loadProfile(file))).code, 'resolved', 'the default budget is ample');
});
