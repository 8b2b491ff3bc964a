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
  t.match(failAt(Buffer.from([0x7b, 0x22, 0x61, 0xff, 0x22, 0x7d])), { byte: 3, reason: 'invalid UTF-8: byte 0xff (a lone byte like this is how ISO-8859-1 or Windows-1252 writes a letter, not UTF-8)' }, 'invalid UTF-8');
  // Latin-1 `café` after a secret's value: the byte is named, and none of the text before it.
  const latin1 = Buffer.concat([Buffer.from('{"token":"live-4f9a","name":"caf'), Buffer.from([0xe9, 0x22, 0x7d])]);
  t.same(failAt(latin1), { ok: false, byte: latin1.length - 3, reason: 'invalid UTF-8: byte 0xe9 (a lone byte like this is how ISO-8859-1 or Windows-1252 writes a letter, not UTF-8)' }, 'Latin-1 named as such');
  t.match(failAt(Buffer.from([0x5b, 0x22, 0xe2, 0x82])), { byte: 2, reason: 'invalid UTF-8: the body ends inside a character (byte 0xe2 starts it)' }, 'a character cut at the end');
  // At the end, but no later byte could complete them: not "cut inside a character" (review of 4bcf035).
  for (const second of [0x80, 0xa0, 0x90, 0x8f]) {
    const lead = { 0x80: 0xe0, 0xa0: 0xed, 0x90: 0xf4, 0x8f: 0xf0 }[second]!;
    t.match(failAt(Buffer.from([0x7b, lead, second])), { byte: 1, reason: `invalid UTF-8: byte 0x${lead.toString(16)}` }, `0x${lead.toString(16)} 0x${second.toString(16)} at the end`);
  }
  // isUtf8 refuses these too: the byte named is the one that starts them, not the end of the body.
  t.match(failAt(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])), { byte: 1, reason: 'invalid UTF-8: byte 0xed' }, 'an encoded surrogate');
  t.match(failAt(Buffer.from([0x22, 0xe0, 0x80, 0xaf, 0x22])), { byte: 1, reason: 'invalid UTF-8: byte 0xe0' }, 'an overlong form');
  t.match(failAt(Buffer.from([0x22, 0xf4, 0x90, 0x80, 0x80, 0x22])), { byte: 1, reason: 'invalid UTF-8: byte 0xf4' }, 'past U+10FFFF');
  t.match(failAt(Buffer.from([0xc3, 0x28])), { byte: 0, reason: 'invalid UTF-8: byte 0xc3' }, 'a lead byte with no continuation, first');
  t.match(failAt(Buffer.from('{"é": x}')), { byte: 7 }, 'offsets count bytes, not characters');
});

t.test('a hostile million-deep nesting is located without overflowing the stack', async (t) => {
  t.match(failAt('['.repeat(1_000_000)), { byte: 1_000_000 });
});

t.test('the message a check reports', async (t) => {
  t.equal(describeJsonFailure({ byte: 5, reason: "unexpected '}'" }), "not valid JSON at byte 5: unexpected '}'");
});
