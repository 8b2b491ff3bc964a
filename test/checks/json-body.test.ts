import t from 'tap';
import { describeJsonFailure, parseJsonBody } from '../../harness/json-body.js';

const failAt = (body: Buffer | string) => {
  const outcome = parseJsonBody(Buffer.isBuffer(body) ? body : Buffer.from(body));
  if (outcome.ok) throw new Error(`parsed: ${JSON.stringify(body)}`);
  return outcome;
};

t.test('strict JSON parses', async (t) => {
  t.same(parseJsonBody(Buffer.from(' {"a": [1, {"b": "é"}]} ')), { ok: true, value: { a: [1, { b: 'é' }] } });
});

t.test('each kind of broken JSON is located by byte', async (t) => {
  t.same(failAt('{"a":}'), { ok: false, byte: 5, reason: "unexpected '}'" });
  t.match(failAt('{"a":1'), { byte: 6, reason: /truncated/ }, 'truncated');
  t.match(failAt('[NaN]'), { byte: 1 }, 'NaN literal');
  t.match(failAt('{"a": Infinity}'), { byte: 6 }, 'Infinity literal');
  t.match(failAt('{"a":1,}'), { byte: 7, reason: /property name/ }, 'trailing comma');
  t.match(failAt('[1,2]x'), { byte: 5, reason: /after the JSON value/ }, 'trailing garbage');
  t.match(failAt('{"a":"b\u0001"}'), { byte: 7, reason: /control character/ }, 'raw control character');
  t.match(failAt(''), { byte: 0 }, 'empty body');
  t.match(failAt(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])), { byte: 0, reason: /byte order mark/ }, 'BOM');
  t.match(failAt(Buffer.from([0x7b, 0x22, 0x61, 0xff, 0x22, 0x7d])), { byte: 3, reason: 'invalid UTF-8' }, 'invalid UTF-8');
  t.match(failAt(Buffer.from('{"é": x}')), { byte: 7 }, 'offsets count bytes, not characters');
});

t.test('a hostile million-deep nesting is located without overflowing the stack', async (t) => {
  t.match(failAt('['.repeat(1_000_000)), { byte: 1_000_000 });
});

t.test('the message a check reports', async (t) => {
  t.equal(describeJsonFailure({ byte: 5, reason: "unexpected '}'" }), "not valid JSON at byte 5: unexpected '}'");
});
