import t from 'tap';
import { parseJsonBody } from '../../harness/json-body.js';
import { countJsonValues } from '../../harness/json-value-count.js';

/**
 * `parseJsonBody` skips counting when the body has no more bytes than the bound
 * allows values: that shortcut is sound only if no text holds more values than bytes.
 */
t.test('a JSON text never holds more values than bytes', async (t) => {
  const texts = ['1', '[]', '{}', '[1,2,3]', '[[],[],{}]', '{"a":1,"b":[1,{}]}', '"x"', '[1,"a",null,true,{"k":[0]}]', ' [ 1 , 2 ] '];
  for (const text of texts) t.ok(countJsonValues(Buffer.from(text), Infinity) <= text.length, text);
});

t.test('the value bound still applies, just not below it', async (t) => {
  const body = Buffer.from('[1,2,3]'); // 4 values, 7 bytes
  t.same(parseJsonBody(body, 7), { ok: true, value: [1, 2, 3] });
  t.same(parseJsonBody(body, 4), { ok: true, value: [1, 2, 3] });
  const tooMany = parseJsonBody(body, 3);
  t.equal(tooMany.ok, false);
  t.equal(!tooMany.ok && tooMany.tooLarge, true);
});
