import t from 'tap';
import fc from 'fast-check';
import { canonicalizeJson, canonicalNumber, canonicalString, compareCodeUnits } from '../../harness/report/canonical-json.js';

/** A double from its IEEE 754 bit pattern, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

t.test('numbers: the RFC 8785 Appendix B table', async (t) => {
  const table: Array<[string, string]> = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  for (const [bits, expected] of table) t.equal(canonicalNumber(fromBits(bits)), expected, bits);
  for (const bits of ['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000']) {
    t.throws(() => canonicalNumber(fromBits(bits)), TypeError, `${bits} (NaN or Infinity) is refused`);
  }
});

t.test('the RFC 8785 section 3.2.3 example, from its own JSON text', async (t) => {
  const input = String.raw`{
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  }`;
  t.equal(
    canonicalizeJson(JSON.parse(input)),
    String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
  );
});

t.test('keys sort by UTF-16 code units (the RFC 8785 section 3.2.3 sorting example)', async (t) => {
  const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
  const order = Object.keys(JSON.parse(canonicalizeJson(input)) as object);
  // Object.keys puts integer-like keys first whatever the text order, so compare the text instead.
  const text = canonicalizeJson(input);
  const positions = ['\\r', '"1"', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(k));
  t.same([...positions].sort((a, b) => a - b), positions, 'CR, 1, U+0080, U+00F6, U+20AC, U+1F600, U+FB33');
  t.equal(order.length, 7);
  t.ok(compareCodeUnits('\ud83d\ude00', '\ufb33') < 0, 'a surrogate pair sorts by its first code unit, before U+FB33');
});

t.test('strings: only the required escapes, lower-case hex; lone surrogates escaped', async (t) => {
  t.equal(canonicalString('a"b\\c\b\f\n\r\t\u0000\u001f\u007f é 😀'), '"a\\"b\\\\c\\b\\f\\n\\r\\t\\u0000\\u001f\u007f é 😀"');
  t.equal(canonicalString('/'), '"/"', 'the solidus is not escaped');
  t.equal(canonicalString('x\ud800y\udc00'), '"x\\ud800y\\udc00"', 'lone surrogates become escapes, not errors');
});

t.test('structure: no whitespace, undefined members left out, -0 is 0, cycles refused', async (t) => {
  t.equal(canonicalizeJson({ b: [1, { d: -0, c: undefined }], a: null }), '{"a":null,"b":[1,{"d":0}]}');
  t.equal(canonicalizeJson([undefined]), '[null]');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  t.throws(() => canonicalizeJson(cyclic), TypeError);
  t.throws(() => canonicalizeJson({ n: 1n }), TypeError);
});

t.test('property: equal JSON values canonicalise equally whatever their formatting and key order', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const reordered = JSON.parse(JSON.stringify(value, null, 3)) as unknown;
      const canonical = canonicalizeJson(value);
      return canonicalizeJson(reordered) === canonical && canonicalizeJson(JSON.parse(canonical)) === canonical;
    }),
    { numRuns: 300 },
  );
  t.pass('canonical form is stable and idempotent');
});
