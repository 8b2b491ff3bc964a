import t from 'tap';
import { idPart, replayCommandLine, withResultIds } from '../../harness/report/result-ids.js';
import { makeResult } from './sample-report.js';

t.test('ids name the check, requirement, method and operation, with an ordinal per probe', async (t) => {
  const results = withResultIds([
    makeResult({ check: 'status-code', requirement: null, operationId: 'listPersons', path: '/persons' }),
    makeResult({ check: 'response-schema', requirement: 'BASE-04', operationId: 'getPerson' }),
    makeResult({ check: 'status-code', requirement: null, operationId: 'listPersons', path: '/persons' }),
  ]);
  t.same(
    results.map((r) => r.id),
    ['status-code/GET/listPersons/1', 'response-schema/BASE-04/GET/getPerson/1', 'status-code/GET/listPersons/2'],
  );
  t.equal(Object.keys(results[0]!)[0], 'id', 'the id leads the result in report.json');
});

t.test('an id does not depend on how other operations interleave (concurrent probes)', async (t) => {
  const a = makeResult({ operationId: 'getPerson' });
  const b = makeResult({ operationId: 'getEvent', path: '/events/{eventId}' });
  const first = withResultIds([a, b, a]).map((r) => `${r.operationId} ${r.id}`);
  const second = withResultIds([b, a, a]).map((r) => `${r.operationId} ${r.id}`);
  t.same([...first].sort(), [...second].sort());
});

t.test('supplier or author text in an id is reduced to one safe shell word, and ids stay unique when names slug alike', async (t) => {
  t.equal(idPart('(service)'), 'service');
  t.equal(idPart("get persons/{id}; rm -rf ~ `x` $(y) '\u202e"), 'get-persons-id-rm--rf-x-y');
  t.equal(idPart('???'), 'x');
  t.equal(idPart('a'.repeat(500)).length, 80);
  const ids = withResultIds([makeResult({ operationId: 'get person' }), makeResult({ operationId: 'get/person' })]).map((r) => r.id);
  t.same(ids, ['response-schema/PNC-API-001/GET/get-person/1', 'response-schema/PNC-API-001/GET/get-person/2']);
  for (const id of ids) t.match(id, /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)+$/);
});

t.test('an id already present is recomputed, not kept', async (t) => {
  const [result] = withResultIds([makeResult({ id: 'forged/id/1' })]);
  t.equal(result!.id, 'response-schema/PNC-API-001/GET/getPerson/1');
});

t.test('the replay command names the id as one shell word; an id of another shape (an edited report) is quoted', async (t) => {
  t.equal(replayCommandLine('status-code/GET/listPersons/1'), 'interop-harness replay report.json --result status-code/GET/listPersons/1');
  t.equal(replayCommandLine("x; rm -rf ~ '$(y)'"), `interop-harness replay report.json --result 'x; rm -rf ~ '\\''$(y)'\\'''`);
});

t.test('a negative-phase result names its change, so another seed choosing other cases does not move its id', async (t) => {
  const above = makeResult({ check: 'negative-data-rejection', requirement: null, operationId: 'listPersons', negative: { location: 'query', name: 'limit', mutation: 'above-maximum', value: '101', expect: 'reject', reason: 'limit 101 is above the maximum 100' } });
  const missing = makeResult({ check: 'negative-data-rejection', requirement: null, operationId: 'listPersons', negative: { location: 'query', name: 'limit', mutation: 'missing', expect: 'reject', reason: 'limit is required' } });
  const one = withResultIds([above, missing]).map((r) => r.id);
  const other = withResultIds([missing]).map((r) => r.id);
  t.same(one, ['negative-data-rejection/GET/listPersons/query-limit-above-maximum-101/1', 'negative-data-rejection/GET/listPersons/query-limit-missing/1']);
  t.same(other, ['negative-data-rejection/GET/listPersons/query-limit-missing/1']);
});

t.test('two cases of one kind with different values: the id of each does not depend on whether the seed also picked the other', async (t) => {
  const rejection = (name: string, mutation: string, value: string) => makeResult({ check: 'negative-data-rejection', requirement: null, operationId: 'listPersons', negative: { location: 'query', name, mutation, value, expect: 'reject', reason: 'r' } });
  const minus = rejection('from', 'below-minimum', '-1');
  const zero = rejection('from', 'below-minimum', '0');
  const both = withResultIds([minus, zero]).map((r) => r.id);
  t.same(withResultIds([zero]).map((r) => r.id), [both[1]], 'the 0 case keeps its id without the -1 case before it');
  t.match(both, [/^negative-data-rejection\/GET\/listPersons\/query-from-below-minimum-1-h[0-9a-f]{8}\/1$/, 'negative-data-rejection/GET/listPersons/query-from-below-minimum-0/1']);
  const long = withResultIds([rejection('name', 'too-long', 'a'.repeat(300)), rejection('name', 'too-long', `${'a'.repeat(299)}b`)]).map((r) => r.id);
  t.not(long[0], long[1], 'long values that share a beginning stay apart');
  t.ok(long.every((id) => /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)+$/.test(id) && id.length < 140), `short and shell-safe: ${long.join(' ')}`);
  t.match(withResultIds([rejection('q', 'pattern', 'a b;$(x)')])[0]!.id, /\/query-q-pattern-a-b-x-h[0-9a-f]{8}\/1$/, 'a value that slugs differently gets a hash');
});

t.test('a negative-phase result and another whose fields slug to the same prefix share one counter, so ids stay unique', async (t) => {
  const plain = makeResult({ check: 'c', requirement: 'GET', method: 'listA', operationId: 'query-limit-missing' });
  const negative = makeResult({ check: 'c', requirement: null, method: 'GET', operationId: 'listA', negative: { location: 'query', name: 'limit', mutation: 'missing', expect: 'reject', reason: 'r' } });
  t.same(withResultIds([plain, negative, plain]).map((r) => r.id), ['c/GET/listA/query-limit-missing/1', 'c/GET/listA/query-limit-missing/2', 'c/GET/listA/query-limit-missing/3']);
});
