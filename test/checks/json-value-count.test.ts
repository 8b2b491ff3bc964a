import t from 'tap';
import { parseJsonBody } from '../../harness/json-body.js';
import { countJsonValues, MAX_JSON_VALUES } from '../../harness/json-value-count.js';

t.test('countJsonValues counts values, not keys, and ignores what is inside strings', async (t) => {
  const cases: Array<[string, number]> = [
    ['1', 1],
    ['"x"', 1],
    ['[]', 1],
    ['{}', 1],
    ['[1,2]', 3],
    ['[[],[]]', 3],
    ['{"a":1,"b":"c,}[{"}', 3],
    ['{"a":[1,2,{}]}', 5],
    ['[{"a":{"b":[true,null]}}]', 6],
    ['"\\"[,,,]"', 1],
  ];
  for (const [text, expected] of cases) t.equal(countJsonValues(Buffer.from(text)), expected, text);
});

t.test('a body with more values than the bound is not parsed: 3.6 MB of {} would be ~120 MB of heap', async (t) => {
  const body = Buffer.from(`[${'{},'.repeat(MAX_JSON_VALUES + 10)}{}]`);
  const before = process.memoryUsage().heapUsed;
  const outcome = parseJsonBody(body);
  t.match(outcome, { ok: false, tooLarge: true, reason: /more than 1000000 JSON values, so it was not parsed \(memory bound; raise --max-json-values\)/ });
  t.ok(process.memoryUsage().heapUsed - before < 50 * 1024 * 1024, 'nothing large was built');
  t.match(parseJsonBody(Buffer.from(`[${'0,'.repeat(1000)}0]`)), { ok: true }, 'ordinary bodies parse');
});
