import fc from 'fast-check';
import t from 'tap';
import { parseStrictJson, StrictJsonError } from '../harness/strict-json.js';
import { canonicalizeJson } from '../harness/report/canonical-json.js';

t.test('reads what JSON.parse reads, the same content, for any JSON value', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 2, '\t'), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      return canonicalizeJson(parseStrictJson(text)) === canonicalizeJson(JSON.parse(text));
    }),
    { numRuns: 300 },
  );
  t.pass('300 random values');
});

t.test('a duplicate key at any depth is refused with its JSON pointer', async (t) => {
  const table: Array<[string, string]> = [
    ['{"a":1,"a":2}', '/a'],
    ['{"verdict":"non-conformant","summary":{},"verdict":"conformant"}', '/verdict'],
    ['{"results":[{"status":"fail"},{"status":"fail","check":"x","status":"pass"}]}', '/results/1/status'],
    ['[[[{"x":{"y/z~":1,"y/z~":2}}]]]', '/0/0/0/x/y~1z~0'],
    ['{"__proto__":1,"__proto__":2}', '/__proto__'],
    ['{"a":1,"\\u0061":2}', '/a'],
  ];
  for (const [text, pointer] of table) {
    t.throws(() => parseStrictJson(text), { name: 'StrictJsonError', pointer, message: /^duplicate key/ }, text);
  }
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string({ minLength: 1, maxLength: 8 }), (value, key) => {
      // Nest the duplicate inside the value at a random depth: it must be found wherever it is.
      const text = `{"wrap":[${JSON.stringify(value)},{${JSON.stringify(key)}:1,${JSON.stringify(key)}:2}]}`;
      try {
        parseStrictJson(text);
        return false;
      } catch (error) {
        return error instanceof StrictJsonError && error.pointer === `/wrap/1/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      }
    }),
  );
});

t.test('duplicate detection is linear: 200,000 keys in one object, and 200,000 objects', async (t) => {
  const keys = Array.from({ length: 200_000 }, (_, i) => `"k${i}":${i}`);
  t.equal(Object.keys(parseStrictJson(`{${keys.join(',')}}`) as object).length, 200_000);
  t.throws(() => parseStrictJson(`{${keys.join(',')},"k199999":0}`), { name: 'StrictJsonError', pointer: '/k199999' });
  const many = `[${Array.from({ length: 200_000 }, (_, i) => `{"a":${i},"b":[${i}]}`).join(',')}]`;
  t.equal((parseStrictJson(many) as unknown[]).length, 200_000);
});

t.test('objects have no prototype: __proto__, constructor and toString are ordinary keys', async (t) => {
  const value = parseStrictJson('{"__proto__":{"polluted":true},"constructor":1,"toString":"x"}') as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(value), null);
  t.same(Object.keys(value), ['__proto__', 'constructor', 'toString']);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  t.equal(Object.getPrototypeOf(value.__proto__), null, 'the nested object too');
});

t.test('nesting is bounded and never overflows the stack', async (t) => {
  t.same(parseStrictJson('[[[]]]', { maxDepth: 3 }), [[[]]]);
  t.throws(() => parseStrictJson('[[[[]]]]', { maxDepth: 3 }), { message: /nested more than 3 levels deep/ });
  t.throws(() => parseStrictJson('['.repeat(1_000_000)), { message: /nested more than 512 levels deep/ });
  t.throws(() => parseStrictJson('{"a":'.repeat(100_000)), { message: /nested more than 512 levels deep/ });
});

t.test('numbers: the same value in any spelling; more precision than a double holds is refused', async (t) => {
  for (const [text, value] of [['1', 1], ['1.0', 1], ['1e0', 1], ['10E-1', 1], ['-0', 0], ['0.1', 0.1], ['1.5e300', 1.5e300], ['295147905179352830000', 2 ** 68]] as const) {
    t.equal(parseStrictJson(text), value, text);
  }
  for (const text of ['12345678901234567891', '0.1000000000000000000001', '1e400', '-1e400', '295147905179352825856', '9007199254740993']) {
    t.throws(() => parseStrictJson(text), { name: 'StrictJsonError' }, text);
  }
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      // The shortest form, the exponent form and that with a trailing zero all read as the same number.
      const exponent = n.toExponential();
      const padded = exponent.replace(/^(-?\d)(\.\d+)?e/, (_m, lead: string, fraction = '.') => `${lead}${fraction}0e`);
      return [String(n), exponent, padded].every((spelling) => parseStrictJson(spelling) === n);
    }),
  );
});

t.test('not JSON, or JSON with a trick: refused with a reason and a place', async (t) => {
  const table: Array<[string | Uint8Array, RegExp]> = [
    ['', /unexpected end of input/],
    ['{', /expected a quoted key|unexpected end/],
    ['{"a":1,}', /expected a quoted key/],
    ['[1,]', /not a JSON value/],
    ['[1 2]', /expected ',' or '\]'/],
    ['{"a" 1}', /expected ':'/],
    ['NaN', /not a JSON value/],
    ['"a\nb"', /unescaped control character U\+000A/],
    ['"\\x41"', /invalid escape/],
    ['"\\u12"', /invalid \\u escape/],
    ['{"a":1} {"a":2}', /unexpected text after the JSON value/],
    ['\ufeff{}', /byte order mark/],
    [Buffer.from([0x22, 0xc3, 0x28, 0x22]), /not valid UTF-8/],
    [Buffer.from([0x22, 0xff, 0x22]), /not valid UTF-8/],
    ["{'a':1}", /expected a quoted key/],
    ['[01]', /expected ','/],
  ];
  for (const [input, reason] of table) {
    t.throws(() => parseStrictJson(input), { name: 'StrictJsonError', message: reason }, JSON.stringify(typeof input === 'string' ? input : [...input]));
  }
  t.throws(() => parseStrictJson('{\n  "a": 1,\n  "a": 2\n}'), { message: 'duplicate key "a" at /a (line 3, column 3)' });
});
