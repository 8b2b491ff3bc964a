import t from 'tap';
import { isSecretFieldName } from '../harness/http/redactor.js';
import { withoutQueryPairs } from '../harness/query-pairs.js';

t.test('withoutQueryPairs drops named pairs and keeps the rest byte for byte', async (t) => {
  const key = (name: string) => name === 'api_key' || isSecretFieldName(name);
  const json = encodeURIComponent('{"q":"a b+c"}');
  t.equal(withoutQueryPairs(`http://h/s?${json}&api_key=k`, key), `http://h/s?${json}`, 'a JSON query string, as sent');
  t.equal(withoutQueryPairs('http://h/s?a=x%20y&access_token=t&b=1+2', key), 'http://h/s?a=x%20y&b=1+2', 'the other pairs unchanged (URLSearchParams would write a+b)');
  t.equal(withoutQueryPairs('http://h/s?api_key=1&api_key=2', key), 'http://h/s', 'every occurrence, and no ? left');
  t.equal(withoutQueryPairs('http://h/s?a=1', key), 'http://h/s?a=1', 'nothing to drop: the same string');
  t.equal(withoutQueryPairs('http://h/s?api%5Fkey=1&x=2#top', key), 'http://h/s?x=2#top', 'names are decoded; the fragment stays');
  // Review: a JSON text without `=` was read as one long name, and one ending in "token" was dropped as a credential.
  const secretLooking = encodeURIComponent('{"kind":"token"}');
  t.equal(withoutQueryPairs(`http://h/s?${secretLooking}&api_key=k`, key), `http://h/s?${secretLooking}`, 'a pair without = is never a credential');
});
