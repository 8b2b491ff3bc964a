import t from 'tap';
import { buildPlanCredentials, givenCredentials, missingCredentialsWarning, secretPlacements } from '../../harness/plan/credentials.js';
import { displayPath, reportArgv } from '../../harness/run/report-paths.js';
import type { OperationSpec } from '../../harness/profile/profile-types.js';

const document = {
  openapi: '3.0.3',
  components: {
    securitySchemes: {
      jwt: { type: 'http', scheme: 'bearer' },
      api_key: { type: 'apiKey', in: 'query', name: 'api_key' },
      basic: { type: 'http', scheme: 'basic' },
    },
  },
  security: [{ jwt: [] }, { api_key: [] }],
  paths: {
    '/a': { get: {} },
    '/public': { get: { security: [] } },
    '/both': { get: { security: [{ jwt: [], api_key: [] }] } },
    '/basic': { get: { security: [{ basic: [] }] } },
  },
};

const op = (path: string) => ({ operationId: path, pointer: `/paths/~1${path.slice(1)}/get`, method: 'GET', path }) as OperationSpec;
const operations = ['/a', '/public', '/both', '/basic'].map(op);

t.test('each operation gets the alternative its security requirement allows; security: [] gets none', async (t) => {
  const plan = buildPlanCredentials(document, operations, { apiKey: 'k-1234567890', placed: [] });
  t.same(plan.perOperation['/paths/~1a/get'], { headers: {}, query: { api_key: 'k-1234567890' }, cookies: {} }, 'the satisfiable alternative');
  t.notOk(Object.hasOwn(plan.perOperation, '/paths/~1public/get'));
  t.same(plan.perOperation['/paths/~1both/get']?.query, { api_key: 'k-1234567890' }, 'a partly satisfiable requirement gets what there is');
  t.notOk(Object.hasOwn(plan.perOperation, '/paths/~1basic/get'), 'basic is not invented from an API key');
  t.same(plan.schemeParameters, ['query:api_key']);

  const both = buildPlanCredentials(document, operations, { token: 'tok-abcdefgh', apiKey: 'k-1234567890', placed: [{ in: 'header', name: 'X-Tenant', value: 't1' }] });
  t.same(both.perOperation['/paths/~1both/get'], { headers: { authorization: 'Bearer tok-abcdefgh', 'x-tenant': 't1' }, query: { api_key: 'k-1234567890' }, cookies: {} });
  t.same(both.perOperation['/paths/~1a/get']?.headers.authorization, 'Bearer tok-abcdefgh', 'the first fully satisfied alternative');
  t.notOk(Object.hasOwn(both.perOperation, '/paths/~1public/get'), 'explicit placements respect security: [] too');
});

t.test('a --var named like an apiKey parameter is the key, and a secret', async (t) => {
  const { given, secretVars } = givenCredentials(document, { vars: { api_key: 'short', other: 'x' } });
  t.equal(given.apiKey, 'short');
  t.same(secretVars, ['api_key']);
  t.same(secretPlacements(document, given), [{ in: 'query', name: 'api_key', value: 'short' }], 'the placement knows its credential, so the redactor can tell whose value a request carries');
  t.throws(() => givenCredentials({ openapi: '3.0.3' }, { apiKey: 'k', vars: {} }), { code: 'USAGE' }, '--api-key-env needs an apiKey scheme');
});

t.test('the warning names every scheme the document uses and the flags that satisfy them', async (t) => {
  const none = missingCredentialsWarning(document, operations, { placed: [] });
  t.match(none?.message, /declares security \(bearer 'jwt', apiKey 'api_key' in query \(api_key\), basic 'basic'\) and no credentials were given: pass --token-env VAR \/ --api-key-env VAR \/ --basic-env USER_VAR:PASS_VAR/);
  const partly = missingCredentialsWarning(document, operations, { token: 'tok-abcdefgh', placed: [] });
  t.match(partly?.message, /^1 operation\(s\) require security/, 'only /basic is left without');
  t.equal(missingCredentialsWarning({ openapi: '3.0.3' }, operations, { placed: [] }), undefined, 'nothing declared, nothing said');
  // Directus documents its token as an apiKey in Authorization, which goes there bare, but takes only `Bearer <token>`.
  const inAuthorization = { ...document, components: { securitySchemes: { Auth: { type: 'apiKey', in: 'header', name: 'Authorization' } } }, security: [{ Auth: [] }] };
  t.match(missingCredentialsWarning(inAuthorization, operations, { placed: [] })?.message, /pass --api-key-env VAR \(or --token-env VAR, if the API wants "Bearer <key>" in Authorization\);/);
  // NocoDB: a valid API key passed with --token-env went out as a bearer token; every answer was 401.
  const keyOnly = { openapi: '3.0.3', components: { securitySchemes: { xcToken: { type: 'apiKey', in: 'header', name: 'xc-token' } } }, security: [{ xcToken: [] }], paths: { '/a': { get: {} } } };
  t.match(missingCredentialsWarning(keyOnly, [op('/a')], { token: 'tok-abcdefgh', placed: [] }), {
    code: 'credentials-missing',
    message: `the token (--token-env) is sent as "Authorization: Bearer <token>", but the document's security describes no bearer token (apiKey 'xcToken' in header (xc-token)): if it is the key for that, pass it with --api-key-env VAR`,
  });
  t.equal(missingCredentialsWarning(keyOnly, [op('/a')], { token: 'tok-abcdefgh', apiKey: 'k-1234567890', placed: [] }), undefined, 'the key given too: nothing to say');
  t.equal(missingCredentialsWarning(document, [op('/a')], { token: 'tok-abcdefgh', placed: [] }), undefined, 'a bearer scheme takes it');
  // Review: a key in Authorization may want `Bearer <key>` (Directus), as the advice above says.
  t.equal(missingCredentialsWarning(inAuthorization, [op('/a')], { token: 'tok-abcdefgh', placed: [] }), undefined, 'the advice followed: nothing to say');
});

t.test('the command line in a report: secrets hidden, local paths relative or a file name', async (t) => {
  t.same(
    reportArgv(['run', '--profile', '/home/ana/work/p.yaml', '--client-secret', 'cs-1', '--token=t', '--var', 'api_key=k', '--var=personId=PER-1', '--var', 'X-Api-Key=k2', '-o', '/tmp/out', '--sign=/home/ana/.keys/k.key', '--target', 'http://h/'], '/home/ana', ['api_key']),
    ['run', '--profile', 'work/p.yaml', '--client-secret', '[redacted]', '--token=[redacted]', '--var', 'api_key=[redacted]', '--var=personId=PER-1', '--var', 'X-Api-Key=[redacted]', '-o', '…/out', '--sign=.keys/k.key', '--target', 'http://h/'],
  );
  t.equal(displayPath('bundled:baseline', '/x'), 'bundled:baseline');
  t.equal(displayPath('C:\\Users\\ana\\p.yaml', '/x'), 'p.yaml', 'a Windows path names no user either');
  t.equal(displayPath('~/keys/k.key', '/x'), 'k.key');
});
