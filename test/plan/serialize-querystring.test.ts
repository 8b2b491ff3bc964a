import t from 'tap';
import { serializeQuerystring } from '../../harness/plan/serialize-parameter.js';

t.test('a whole query string from one value (OpenAPI 3.2 in: querystring)', async (t) => {
  const form = 'application/x-www-form-urlencoded';
  t.equal(serializeQuerystring({ name: 'one two', tag: ['a', 'b'], page: 2, flag: true, skip: null }, form), 'name=one+two&tag=a&tag=b&page=2&flag=true');
  t.equal(serializeQuerystring({ filter: { name: 'x' } }, form), 'filter=%7B%22name%22%3A%22x%22%7D', 'an object member is written as JSON');
  t.equal(serializeQuerystring('a=1&b=two words', form), 'a=1&b=two+words', 'a string is the query string, normalised');
  t.equal(serializeQuerystring(['a'], form), undefined, 'a list has no form of its own');
  t.equal(serializeQuerystring(7, form), undefined);
  t.equal(serializeQuerystring({ name: 'one' }, 'application/json'), '%7B%22name%22%3A%22one%22%7D', 'JSON text, percent-encoded');
  t.equal(serializeQuerystring({ a: 1 }, 'application/vnd.x+json'), '%7B%22a%22%3A1%7D');
  t.equal(serializeQuerystring(undefined, 'application/json'), undefined);
});
