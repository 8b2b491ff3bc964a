import t from 'tap';
import type { MediaTypeSpec, OperationSpec, ResponseSpec } from '../../harness/profile/profile-types.js';
import { isJsonMediaType, parseMediaType, takesJsonText } from '../../harness/media-type.js';
import { findMediaType, findResponseSpec } from '../../harness/schema/response-lookup.js';

const response = (key: string): ResponseSpec => ({ key, content: [], headers: [], pointer: `/r/${key}` });
const op = (...keys: string[]): OperationSpec => ({
  operationId: 'op', syntheticId: false, method: 'GET', path: '/x', parameters: [], responses: keys.map(response), secured: false, pointer: '/p',
});
const media = (...ranges: string[]): MediaTypeSpec[] => ranges.map((mediaRange) => ({ mediaRange, schemaPointer: `/s/${mediaRange}` }));

t.test('exact code beats range beats default', async (t) => {
  const o = op('default', '2XX', '200', '404');
  t.equal(findResponseSpec(o, 200)?.key, '200');
  t.equal(findResponseSpec(o, 201)?.key, '2XX');
  t.equal(findResponseSpec(o, 404)?.key, '404');
  t.equal(findResponseSpec(o, 500)?.key, 'default');
  t.equal(findResponseSpec(op('200'), 500), undefined, 'nothing documented');
  t.equal(findResponseSpec(op('2XX'), 404), undefined, 'a range covers only its class');
});

t.test('range keys match in any case', async (t) => {
  t.equal(findResponseSpec(op('2xx', 'default'), 204)?.key, '2xx');
  t.equal(findResponseSpec(op('4Xx'), 418)?.key, '4Xx');
});

t.test('media type with charset and case differences', async (t) => {
  const specs = media('text/plain', 'application/json');
  t.equal(findMediaType(specs, 'application/json; charset=utf-8')?.mediaRange, 'application/json');
  t.equal(findMediaType(specs, 'Application/JSON')?.mediaRange, 'application/json');
  t.equal(findMediaType(specs, 'application/xml'), undefined);
  t.equal(findMediaType(specs, ''), undefined, 'missing header matches no specific type');
});

t.test('specificity: exact > type/* > */*', async (t) => {
  const specs = media('*/*', 'application/*', 'application/json');
  t.equal(findMediaType(specs, 'application/json')?.mediaRange, 'application/json');
  t.equal(findMediaType(specs, 'application/xml')?.mediaRange, 'application/*');
  t.equal(findMediaType(specs, 'text/html')?.mediaRange, '*/*');
  t.equal(findMediaType(media('*/*'), '')?.mediaRange, '*/*', 'anything, even no header, falls under */*');
  t.equal(findMediaType(media('application/*', 'application/problem+json'), 'application/problem+json')?.mediaRange, 'application/problem+json');
});

t.test('documented parameters match on type/subtype, prefer a parameter match', async (t) => {
  t.equal(findMediaType(media('application/json; version=2'), 'application/json')?.mediaRange, 'application/json; version=2');
  const both = media('application/json', 'application/json; version=2');
  t.equal(findMediaType(both, 'application/json; version=2')?.mediaRange, 'application/json; version=2');
  t.equal(findMediaType(both, 'application/json; charset=utf-8')?.mediaRange, 'application/json');
});

t.test('isJsonMediaType', async (t) => {
  t.ok(isJsonMediaType('application/json'));
  t.ok(isJsonMediaType('application/json; charset=utf-8'));
  t.ok(isJsonMediaType('application/problem+json'));
  t.ok(isJsonMediaType('application/vnd.police.v1+json'));
  t.notOk(isJsonMediaType('application/x-ndjson'));
  t.notOk(isJsonMediaType('*/*'));
  t.notOk(isJsonMediaType('application/*'));
  t.notOk(isJsonMediaType('application/jsonp'));
  t.notOk(isJsonMediaType('text/html'));
  t.notOk(isJsonMediaType('garbage'));
});

t.test('parseMediaType', async (t) => {
  t.same(parseMediaType('Application/Vnd.X+JSON; Charset="utf-8"; q=0.9'), {
    type: 'application', subtype: 'vnd.x+json', essence: 'application/vnd.x+json', parameters: { charset: 'utf-8', q: '0.9' },
  });
  t.same(parseMediaType('text/plain; title="a;b"')?.parameters, { title: 'a;b' }, 'semicolon inside quotes');
  t.equal(parseMediaType('json'), undefined);
  t.equal(parseMediaType('/json'), undefined);
  t.equal(parseMediaType(''), undefined);
  const proto = parseMediaType('text/plain; __proto__=x; constructor=y')?.parameters;
  t.equal(proto?.['__proto__'], 'x', 'a parameter named __proto__ is data');
  t.equal(proto?.['constructor'], 'y');
  t.equal(Object.getPrototypeOf({}), Object.prototype, 'no prototype pollution');
  t.equal(parseMediaType('text/plain')?.parameters['constructor'], undefined, 'an absent parameter is absent, whatever its name');
});

t.test('takesJsonText: the media ranges a value is written to as JSON text, in one place', async (t) => {
  for (const range of ['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', 'text/json', 'application/merge-patch+json', 'application/x-json', 'text/x-json', 'application/json5', 'application/jsonl', 'application/x-ndjson', '*/*', 'application/*+json', '*/*; q=0.5', 'application/*+json; charset=utf-8', 'application/json; profile="urn:x:*"']) {
    t.ok(takesJsonText(range), range);
  }
  // Review: '/json/i' took application/jsonpath, and a QUERY sent its expression as a quoted JSON string.
  for (const range of ['application/jsonpath', 'text/plain', 'application/*', 'application/xml', 'application/x-www-form-urlencoded', 'not a type']) {
    t.notOk(takesJsonText(range), range);
  }
});
