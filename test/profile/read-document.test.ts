import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { HarnessError } from '../../harness/errors.js';
import { lineAndColumn, parseDocumentText, readDocument } from '../../harness/profile/read-document.js';

async function failure(promise: Promise<unknown>): Promise<HarnessError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('expected a HarnessError');
}

t.test('reads YAML and JSON with a sha256 of the bytes', async (t) => {
  const dir = t.testdir({ 'a.yaml': 'openapi: 3.0.3\nx: [1, 2]\n', 'b.json': '\ufeff{"openapi": "3.1.0"}' });
  const yaml = await readDocument(join(dir, 'a.yaml'));
  t.same(yaml.data, { openapi: '3.0.3', x: [1, 2] });
  t.equal(yaml.format, 'yaml');
  const { createHash } = await import('node:crypto');
  t.equal(yaml.sha256, createHash('sha256').update('openapi: 3.0.3\nx: [1, 2]\n').digest('hex'));
  const json = await readDocument(join(dir, 'b.json'));
  t.same(json.data, { openapi: '3.1.0' }, 'byte order mark ignored');
});

t.test('size cap', async (t) => {
  const dir = t.testdir({ 'big.yaml': `a: ${'x'.repeat(1000)}\n` });
  const error = await failure(readDocument(join(dir, 'big.yaml'), { maxBytes: 100 }));
  t.equal(error.code, 'PROFILE_TOO_LARGE');
  t.match(error.message, /big\.yaml is \d+ bytes, over the 100-byte limit/);
});

t.test('file errors', async (t) => {
  const dir = t.testdir({ sub: {}, 'secret.yaml': 'a: 1\n' });
  t.equal((await failure(readDocument(join(dir, 'missing.yaml')))).code, 'PROFILE_NOT_FOUND');
  t.equal((await failure(readDocument(join(dir, 'secret.yaml', 'below.yaml')))).code, 'PROFILE_NOT_FOUND');
  t.equal((await failure(readDocument(join(dir, 'sub')))).code, 'PROFILE_UNREADABLE');
  t.test('permission denied', { skip: process.getuid?.() === 0 ? 'running as root: permissions do not apply' : false }, async (t) => {
    chmodSync(join(dir, 'secret.yaml'), 0o000);
    t.teardown(() => chmodSync(join(dir, 'secret.yaml'), 0o644));
    const error = await failure(readDocument(join(dir, 'secret.yaml')));
    t.equal(error.code, 'PROFILE_UNREADABLE');
    t.match(error.message, /permission denied/);
  });
});

t.test('parse errors name the file, line and column on one line', async (t) => {
  const yaml = (() => {
    try {
      parseDocumentText('a: 1\nb: [1, 2\nc: 3\n', 'x.yaml', 'yaml');
    } catch (error) {
      return error as HarnessError;
    }
    throw new Error('expected failure');
  })();
  t.equal(yaml.code, 'PROFILE_PARSE');
  t.match(yaml.message, /^x\.yaml: invalid YAML at line \d+, column \d+: /);
  t.notMatch(yaml.message, /\n/);

  t.throws(() => parseDocumentText('{\n  "a": 1,\n}', 'x.json', 'json'), { code: 'PROFILE_PARSE', message: /^x\.json: invalid JSON at line 3, column 1: / });
  t.throws(() => parseDocumentText('{"a": ', 'x.json', 'json'), { code: 'PROFILE_PARSE', message: /line 1, column 7/ });
  t.throws(() => parseDocumentText('a: 1\na: 2\n', 'dup.yaml', 'yaml'), { code: 'PROFILE_PARSE', message: /dup\.yaml.*line 2/ }, 'duplicate keys');
  t.same(lineAndColumn('ab\ncd', 4), { line: 2, column: 2 });
});

t.test('YAML aliases: expanded as independent copies, bombs and cycles refused', async (t) => {
  const shared = parseDocumentText('a: &x { k: 1 }\nb: *x\n', 'a.yaml', 'yaml') as { a: object; b: object };
  t.same(shared.b, { k: 1 });
  t.not(shared.a, shared.b, 'no shared objects');
  t.same(parseDocumentText('base: &b { k: 1 }\nmerged: { <<: *b, j: 2 }\n', 'm.yaml', 'yaml'), { base: { k: 1 }, merged: { k: 1, j: 2 } }, 'merge keys');

  const lines = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
  for (const name of 'bcdefghij') lines.push(`${name}: &${name} [${Array(10).fill('*' + String.fromCharCode(name.charCodeAt(0) - 1)).join(',')}]`);
  // PROFILE_TOO_LARGE comes only from the expansion bound: a parser that expanded the 10^10 nodes first would never get here.
  t.throws(() => parseDocumentText(lines.join('\n'), 'bomb.yaml', 'yaml'), { code: 'PROFILE_TOO_LARGE', message: /aliases expand the document past/ });
  t.throws(() => parseDocumentText('a: &a [ *a ]\n', 'loop.yaml', 'yaml'), { code: 'PROFILE_PARSE' }, 'self-referencing alias');
});
