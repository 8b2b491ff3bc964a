import t from 'tap';
import { buildCoverage, groupGaps, looksLikeMarkup, placeholderInputs, probeFact } from '../../harness/report/coverage.js';
import type { OperationSpec } from '../../harness/profile/profile-types.js';
import { makeResult } from './sample-report.js';

const operation = (operationId: string, path: string, method = 'GET'): OperationSpec =>
  ({
    operationId,
    method,
    path,
    responses: [
      { key: '200', content: [{ mediaRange: 'application/json', schemaPointer: '/x' }], headers: [], pointer: '/r/200' },
      { key: '404', content: [], headers: [], pointer: '/r/404' },
    ],
  }) as unknown as OperationSpec;

function exchange(status: number, contentType = 'application/json', body = '') {
  return { response: { status, headers: { 'content-type': contentType }, body: Buffer.from(body), truncated: false } };
}

t.test('a probe fact: documented success, validated only when no status, content-type or schema check failed', async (t) => {
  const op = operation('listThings', '/things');
  const pass = [makeResult({ check: 'status-code' }), makeResult({ check: 'response-schema' })];
  const validated = probeFact({ index: 1, operation: op, exchange: exchange(200), inputs: {}, results: pass, carriesCredentials: false });
  t.match(validated, { status: 200, documentedSuccess: true, servedHtml: false, successValidated: true });
  const failed = probeFact({ index: 2, operation: op, exchange: exchange(200), inputs: {}, results: [...pass, makeResult({ check: 'response-schema', status: 'fail' })], carriesCredentials: false });
  t.equal(failed.successValidated, false, 'a schema failure on the 2xx');
  const html = probeFact({ index: 3, operation: op, exchange: exchange(200, 'text/html; charset=utf-8', '<!doctype html><html></html>'), inputs: {}, results: pass, carriesCredentials: false });
  t.match(html, { servedHtml: true, successValidated: false }, 'an HTML page where JSON is documented validates nothing');
  const undocumented = probeFact({ index: 4, operation: op, exchange: exchange(201), inputs: {}, results: pass, carriesCredentials: false });
  t.equal(undocumented.documentedSuccess, false, '201 is not documented');
  const lost = probeFact({ index: 5, operation: op, exchange: { transportError: { code: 'timeout', message: 'no response' } }, inputs: {}, results: [], carriesCredentials: false });
  t.match(lost, { transportError: 'timeout', documentedSuccess: false, successValidated: false });
  t.equal(lost.status, undefined);

  // Found on Strapi 5: GET /users/{id} documents 200 and a `default` error; a missing user gets 204 with no body.
  const withDefault = { ...op, responses: [...op.responses, { key: 'default', content: [{ mediaRange: 'application/json', schemaPointer: '/e' }], headers: [], pointer: '/r/default' }] } as OperationSpec;
  const byDefault = probeFact({ index: 6, operation: withDefault, exchange: exchange(204), inputs: { 'path:id': 'generated' }, results: pass, carriesCredentials: false });
  t.match(byDefault, { documentedSuccess: false, successValidated: false }, 'a 2xx only `default` matches, beside a documented 200, is not the success the document describes');
  const onlyDefault = { ...op, responses: [{ key: 'default', content: [], headers: [], pointer: '/r/default' }] } as unknown as OperationSpec;
  t.match(probeFact({ index: 7, operation: onlyDefault, exchange: exchange(200), inputs: {}, results: pass, carriesCredentials: false }), { documentedSuccess: true }, 'where `default` is all the document gives, it describes the success');
});

t.test('placeholder inputs: path parameters not filled from a real resource', async (t) => {
  t.same(placeholderInputs({ inputs: { 'path:a': 'example', 'path:b': 'harvested', 'path:c': 'var', 'path:d': 'generated', 'query:e': 'example' } }), ['a', 'd']);
});

t.test('coverage: one record per operation, a reason and a hint for each one not reached', async (t) => {
  const ops = [operation('listThings', '/things'), operation('getThing', '/things/{id}'), operation('getSecret', '/secret'), operation('createThing', '/things', 'POST'), operation('getOther', '/other/{otherId}')];
  const ok = [makeResult({ check: 'status-code', operationId: 'listThings', path: '/things' })];
  const facts = [
    probeFact({ index: 1, operation: ops[0]!, exchange: exchange(200), inputs: {}, results: ok, carriesCredentials: false }),
    probeFact({ index: 2, operation: ops[1]!, exchange: exchange(404), inputs: { 'path:id': 'example' }, results: [], carriesCredentials: false }),
    probeFact({ index: 3, operation: ops[2]!, exchange: exchange(401), inputs: {}, results: [], carriesCredentials: false }),
  ];
  const skipped = [
    makeResult({ check: 'probe', status: 'skip', operationId: 'createThing', method: 'POST', path: '/things', message: 'POST is not probed in a read-only run (pass --allow-writes to probe writes)' }),
    makeResult({ check: 'probe', status: 'skip', operationId: 'getOther', path: '/other/{otherId}', message: 'no value for path parameter {otherId}: pass --var otherId=<value>' }),
  ];
  const { records, summary } = buildCoverage(ops, facts, [...ok, ...skipped]);
  t.same(records.map((r) => r.operationId), ['listThings', 'getThing', 'getSecret', 'createThing', 'getOther'], 'profile order');
  t.match(summary, { operations: 5, sent: 3, successValidated: 1 });
  t.same(
    summary.notReached.map((g) => [g.operationId, g.reason, g.hint]),
    [
      ['getThing', '404 with a placeholder value ({id} from example)', '--var id=<value>'],
      ['getSecret', '401: credentials missing', '--token-env VAR, --api-key-env VAR, --client-id with --client-secret-env, or --header'],
      ['createThing', 'not sent: POST is not probed in a read-only run (pass --allow-writes to probe writes)', '--allow-writes'],
      ['getOther', 'not sent: no value for path parameter {otherId}: pass --var otherId=<value>', '--var otherId=<value>'],
    ],
  );
  t.match(records[1], { sent: true, answers: [404], inputs: { 'path:id': 'example' }, successValidated: false });
  t.match(records[3], { sent: false, answers: [] });
});

t.test('gaps group by the kind of reason, each placeholder keeping its own --var', async (t) => {
  const groups = groupGaps([
    { operationId: 'a', method: 'GET', path: '/a/{x}', reason: '404 with a placeholder value ({x} from example)', hint: '--var x=<value>' },
    { operationId: 'b', method: 'GET', path: '/b/{y}', reason: '404 with a placeholder value ({y} from generated)', hint: '--var y=<value>' },
    { operationId: 'c', method: 'GET', path: '/c', reason: '401: credentials missing', hint: '--token-env VAR' },
  ]);
  t.same(groups.map((g) => [g.reason, g.hint, g.gaps.length]), [['404 with a placeholder value', undefined, 2], ['401: credentials missing', '--token-env VAR', 1]]);
});

t.test('a 404 for a value harvested from another list says so, not that the path is not served', async (t) => {
  const ops = [operation('getStrategies', '/features/{env}/strategies'), operation('getGone', '/gone')];
  const facts = [
    probeFact({ index: 1, operation: ops[0]!, exchange: exchange(404), inputs: { 'path:env': 'harvested' }, results: [], carriesCredentials: true }),
    probeFact({ index: 2, operation: ops[1]!, exchange: exchange(404), inputs: {}, results: [], carriesCredentials: true }),
  ];
  const { summary } = buildCoverage(ops, facts, []);
  t.same(
    summary.notReached.map((g) => [g.operationId, g.reason, g.hint]),
    [
      ['getStrategies', '404 for a value taken from an earlier list ({env}): it may not belong to this path', '--var env=<value>'],
      ['getGone', '404: the target does not serve this path', 'check --target and its base path'],
    ],
  );
});

t.test('an HTML page is a body that starts as markup, not any body labelled text/html', async (t) => {
  const op = operation('ping', '/server/ping');
  const pass = [makeResult({ check: 'status-code' })];
  const fact = (body: string, method = 'GET') =>
    probeFact({ index: 1, operation: { ...op, method }, exchange: exchange(200, 'text/html; charset=utf-8', body), inputs: {}, results: pass, carriesCredentials: false });
  // Directus answers its ping with `pong`, labelled text/html: a wrong content type, not a web app's page.
  t.equal(fact('pong').servedHtml, false, 'pong is no page');
  t.equal(fact('').servedHtml, false, 'nor is an empty body');
  t.equal(fact('\uFEFF\n  <!DOCTYPE html><html lang="en">').servedHtml, true, 'a page after a byte order mark and white space');
  t.equal(fact('<html><body>').servedHtml, true);
  t.equal(fact('', 'HEAD').servedHtml, true, 'a HEAD answer has no body: its label is all there is');
  t.ok(looksLikeMarkup(Buffer.from('  <!-- app -->')));
  t.notOk(looksLikeMarkup(Buffer.from('{"html": "<p>"}')));
  const { records } = buildCoverage([op], [fact('pong')], pass);
  t.notMatch(records[0]?.reason ?? '', /HTML page/, 'coverage does not send the reader to check --target');
});

t.test('a 403 to credentials for a placeholder id reads as the id, saying when the credentials worked elsewhere', async (t) => {
  const ops = [operation('listThings', '/things'), operation('getThing', '/things/{id}'), operation('getOther', '/other/{otherId}')];
  const fact = (index: number, op: OperationSpec, status: number, inputs: Record<string, string>) =>
    probeFact({ index, operation: op, exchange: exchange(status), inputs, results: status === 200 ? [makeResult({ check: 'status-code' })] : [], carriesCredentials: true });
  const gaps = (facts: ReturnType<typeof fact>[]) => buildCoverage(ops, facts, []).summary.notReached.map((g) => [g.operationId, g.reason, g.hint]);
  t.same(
    gaps([fact(1, ops[0]!, 200, {}), fact(2, ops[1]!, 403, { 'path:id': 'generated' }), fact(3, ops[2]!, 403, { 'path:otherId': 'var' })]),
    [
      ['getThing', '403 with a placeholder value, which may name no record: the same credentials got a 2xx elsewhere in the run ({id} from generated)', '--var id=<value>'],
      ['getOther', '403: the credentials sent were refused this operation', "check the token's scopes, and what the account's role, plan or licence allows"],
    ],
  );
  t.same(
    gaps([fact(1, ops[0]!, 403, {}), fact(2, ops[1]!, 403, { 'path:id': 'schema-example' })]).slice(1, 2),
    [['getThing', '403 with a placeholder value, which may name no record, or credentials that lack a scope ({id} from schema-example)', '--var id=<value>, or check the token and its scopes']],
    'no 2xx to the credentials anywhere: they may be at fault too',
  );
  t.same(
    gaps([fact(1, ops[1]!, 401, { 'path:id': 'generated' })]).slice(1, 2),
    [['getThing', '401: the credentials sent were rejected', 'check the token']],
    'a 401 is about the credentials alone',
  );
  // Review: status-code put a 403 whose challenge says insufficient_scope on the credentials, while coverage blamed the id.
  const scoped = exchange(403);
  (scoped.response.headers as Record<string, string>)['www-authenticate'] = 'Bearer error="insufficient_scope"';
  const challenged = probeFact({ index: 2, operation: ops[1]!, exchange: scoped, inputs: { 'path:id': 'generated' }, results: [], carriesCredentials: true });
  t.same(
    gaps([fact(1, ops[0]!, 200, {}), challenged]).slice(0, 1),
    [['getThing', '403: the credentials sent were refused this operation', "check the token's scopes, and what the account's role, plan or licence allows"]],
    'a challenge naming the credentials: them, whatever the path held',
  );
});

t.test("coverage explains a lifecycle's read by the success that did not validate, and a 404 to the run's own record as such", async (t) => {
  // Found on Strapi 5: a read that answered 200 (with nulls its schema does not allow), then 404 after
  // its DELETE, was explained by the last 404 as "the target does not serve this path".
  const op = operation('getThing', '/things/{id}');
  const schemaFailed = [makeResult({ check: 'response-schema', status: 'fail', operationId: 'getThing', path: '/things/{id}' })];
  const created = { 'path:id': 'created' };
  const facts = [
    probeFact({ index: 1, operation: op, exchange: exchange(200), inputs: created, results: schemaFailed, carriesCredentials: false }),
    probeFact({ index: 2, operation: op, exchange: exchange(404), inputs: created, results: [], carriesCredentials: false }),
  ];
  const [record] = buildCoverage([op], facts, schemaFailed).records;
  t.match(record, { successSeen: true, successValidated: false, reason: '200 did not validate (response-schema)' });
  const [missing] = buildCoverage([op], [facts[1]!], []).records;
  t.match(missing, { reason: "404 for the run's own record (after its DELETE, or under an id that does not name it: see resource-available)" });
  t.notOk(missing!.hint, 'no "check --target": the path is served');
  // Found on Platformatic DB: the run's category had no parent, and the 404 blamed the run's record.
  const parent = operation('getCategoryParent', '/categories/{id}/parent');
  const [under] = buildCoverage([parent], [probeFact({ index: 1, operation: parent, exchange: exchange(404), inputs: created, results: [], carriesCredentials: false })], []).records;
  t.match(under, { reason: "404 under the run's own record (/parent of {id}): the record made may have nothing there, or the path is not served" });
});

t.test('a success every check skipped says so, not that nothing passed', async (t) => {
  // The transparency profile selects no schema or status check: its record read had only skips on its 200.
  const op = operation('getThing', '/things/{id}');
  const skips = [makeResult({ check: 'coded-values', status: 'skip', operationId: 'getThing' }), makeResult({ check: 'pagination', status: 'skip', operationId: 'getThing' })];
  const [skipped] = buildCoverage([op], [probeFact({ index: 1, operation: op, exchange: exchange(200), inputs: {}, results: skips, carriesCredentials: false })], skips).records;
  t.match(skipped, { successSeen: true, successValidated: false, reason: '200: seen, but every check of this run skipped it' });
  const warned = [makeResult({ check: 'iso-dates', status: 'warn', operationId: 'getThing' })];
  const [unpassed] = buildCoverage([op], [probeFact({ index: 1, operation: op, exchange: exchange(200), inputs: {}, results: warned, carriesCredentials: false })], warned).records;
  t.match(unpassed, { reason: '200: no check passed on it' });
});

t.test('a refusal of a credential sent bare in Authorization says, in the coverage hint too, how to send it with a scheme', async (t) => {
  // Directus documents its token as an apiKey in Authorization, but takes only `Bearer <token>` there.
  const op = operation('getPresets', '/presets');
  const refused = (status: number, authorization: string) =>
    probeFact({ index: 1, operation: op, exchange: exchange(status), inputs: {}, results: [], carriesCredentials: true, requestHeaders: { authorization } });
  const gap = (fact: ReturnType<typeof refused>) => buildCoverage([op], [fact], []).summary.notReached[0];
  t.match(gap(refused(403, 'k-93b1')), {
    reason: '403: the credentials sent were refused this operation',
    hint: `the Authorization header carried it with no scheme: if the API expects "Bearer <token>" there, pass it with --token-env; else check the token's scopes, and what the account's role, plan or licence allows`,
  });
  t.match(gap(refused(401, 'k-93b1')), { hint: /with no scheme: .*--token-env; else check the token$/ });
  t.match(gap(refused(403, 'Bearer k-93b1')), { hint: "check the token's scopes, and what the account's role, plan or licence allows" }, 'a scheme was sent: nothing to add');
  // Unleash takes its key bare: a 403 for one operation, beside 2xx elsewhere, is not about the scheme.
  const other = operation('getFlags', '/flags');
  const worked = probeFact({ index: 2, operation: other, exchange: exchange(200), inputs: {}, results: [makeResult({ check: 'status-code' })], carriesCredentials: true, requestHeaders: { authorization: 'k-93b1' } });
  t.match(buildCoverage([op, other], [refused(403, 'k-93b1'), worked], []).summary.notReached, [{ operationId: 'getPresets', hint: "check the token's scopes, and what the account's role, plan or licence allows" }]);
});

t.test('a 404 among paths that answered is not put down to the base path', async (t) => {
  // NocoDB: groupby answered 404 for a missing column name while the paths beside it answered 200.
  const ops = [operation('listItems', '/items'), operation('groupItems', '/items/groupby')];
  const fact = (index: number, op: OperationSpec, status: number, inputs: Record<string, string> = {}) =>
    probeFact({ index, operation: op, exchange: exchange(status), inputs, results: status === 200 ? [makeResult({ check: 'status-code' })] : [], carriesCredentials: false });
  t.match(buildCoverage(ops, [fact(1, ops[0]!, 200), fact(2, ops[1]!, 404, { 'query:column_name': 'example' })], []).summary.notReached, [
    { operationId: 'groupItems', reason: '404 where other paths of the target answered 2xx: the record, or a value the request lacks, was not found', hint: "check the operation's parameters, and pass the values it needs with --var name=<value>" },
  ]);
  // NocoDB's groupby declares column_name optional, and sent none: still the values' fault, not the path's.
  const declaring = [ops[0]!, { ...ops[1]!, parameters: [{ name: 'column_name', in: 'query', required: false }] } as unknown as OperationSpec];
  t.match(buildCoverage(declaring, [fact(1, ops[0]!, 200), fact(2, ops[1]!, 404)], []).summary.notReached, [{ operationId: 'groupItems', reason: /a value the request lacks/ }]);
  // Review: `GET /metrics`, no parameters, not served by this version of the server.
  t.match(buildCoverage(ops, [fact(1, ops[0]!, 200), fact(2, ops[1]!, 404)], []).summary.notReached, [
    { operationId: 'groupItems', reason: '404 to an operation with no parameters, where other paths of the target answered 2xx: the target does not serve this path', hint: 'an operation the document lists that this server does not have (another version of the API?)' },
  ]);
  t.match(buildCoverage(ops, [fact(1, ops[0]!, 404), fact(2, ops[1]!, 404)], []).summary.notReached, [
    { reason: '404: the target does not serve this path', hint: 'check --target and its base path' },
    { reason: '404: the target does not serve this path' },
  ], 'every path 404: the base path may be wrong');
});
