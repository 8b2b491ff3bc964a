import t from 'tap';
import { statusCode } from '../../harness/checks/status-code.js';
import type { CheckContext, LifecycleStep } from '../../harness/checks/check.js';
import type { OperationSpec } from '../../harness/profile/profile-types.js';

const getThing = {
  operationId: 'getThing',
  method: 'GET',
  path: '/things/{thingId}',
  parameters: [],
  responses: [{ key: '200', content: [], headers: [], pointer: '/paths/~1things~1{thingId}/get/responses/200' }],
} as unknown as OperationSpec;

function context(status: number, lifecycle?: LifecycleStep): CheckContext {
  return {
    operation: getThing,
    method: 'GET',
    url: 'http://127.0.0.1:1/things/1',
    response: { status, headers: {}, body: Buffer.alloc(0), truncated: false },
    responseSpec: undefined,
    carriesCredentials: false,
    ...(lifecycle ? { lifecycle } : {}),
  } as unknown as CheckContext;
}

const after = { method: 'POST', url: 'http://127.0.0.1:1/things', status: 201 };

t.test('an undocumented 404 to the read of a record whose id the supplier never confirmed is a warning, not a failure', async (t) => {
  const unconfirmed = statusCode.run(context(404, { role: 'read-created', after, idSource: 'request-body' }));
  t.equal(unconfirmed.status, 'warn', 'the id was only in the body the run sent: the harness may have asked for the wrong record');
  t.match(unconfirmed.message, /an id the supplier never confirmed/);
  t.equal(statusCode.run(context(410, { role: 'read-created', after, idSource: 'request-body' })).status, 'warn');
  // An id the supplier gave is its word: a 404 for it is the supplier's defect, as before.
  t.equal(statusCode.run(context(404, { role: 'read-created', after, idSource: 'location' })).status, 'fail');
  t.equal(statusCode.run(context(404)).status, 'fail', 'and without a lifecycle, an undocumented 404 fails');
  t.equal(statusCode.run(context(400, { role: 'read-created', after, idSource: 'request-body' })).status, 'fail', 'only a 404 or 410 is excused');
});

/** A probe of `getThing` answered `status`, with the given input sources and credentials. */
function refused(status: number, inputSources: Record<string, string>, carriesCredentials: boolean, documented403 = false): CheckContext {
  const responses = [...getThing.responses, ...(documented403 ? [{ key: '403', content: [], headers: [], pointer: '/r/403' }] : [])];
  return {
    ...context(status),
    operation: { ...getThing, responses },
    responseSpec: documented403 && status === 403 ? responses[1] : undefined,
    inputSources,
    carriesCredentials,
  } as unknown as CheckContext;
}

t.test('a 403 to credentials for a made-up id does not blame the credentials alone: a warning with the --var that would judge it', async (t) => {
  // Directus answers 403, not 404, for a record that does not exist, to any caller.
  for (const source of ['generated', 'schema-example', 'example', 'default']) {
    const result = statusCode.run(refused(403, { 'path:thingId': source }, true));
    t.equal(result.status, 'warn', `{thingId} from ${source}: not an error about the credentials, never a failure`);
    t.match(result.message, new RegExp(`answered 403 to a request with a placeholder value \\(\\{thingId\\} from ${source}\\): either the credentials lack a scope or the value names no record they may see`));
    t.match(result.message, /so the operation could not be judged; pass --var thingId=<value> to judge it/);
  }
  // Review: a documented 403 (exactly, via 4XX or default) passed, and a token lacking a scope showed as conformant.
  t.match(statusCode.run(refused(403, { 'path:thingId': 'generated' }, true, true)), { status: 'warn', message: /could not be judged/ }, 'a documented 403 to a made-up id shows no success either');
  // The challenge says the token lacks a scope (RFC 6750): the credentials, whatever the path held.
  const scoped = refused(403, { 'path:thingId': 'generated' }, true);
  scoped.response.headers['www-authenticate'] = 'Bearer error="insufficient_scope", scope="things:read"';
  t.match(statusCode.run(scoped), { status: 'error', message: /the credentials were refused this operation \(a scope, a role, or a feature of the plan or licence they lack\)/ });
});

t.test('a 401 or 403 to credentials with real values still says the credentials were refused', async (t) => {
  for (const source of ['var', 'harvested', 'created']) {
    const result = statusCode.run(refused(403, { 'path:thingId': source }, true));
    t.equal(result.status, 'error', `{thingId} from ${source}`);
    t.match(result.message, /the credentials were refused this operation/);
  }
  // A 401 says the authentication failed, whatever the path names.
  t.match(statusCode.run(refused(401, { 'path:thingId': 'generated' }, true)), { status: 'error', message: /answered 401 to a request that carried credentials: the credentials were rejected, so/ });
  t.match(statusCode.run(refused(403, {}, true)), { status: 'error' }, 'no path value at all');
});

t.test('a credential refused in an Authorization header with no scheme: the hint says how to send it with one', async (t) => {
  // Directus documents its token as an apiKey in Authorization, but takes only `Bearer <token>` there.
  const raw = { ...refused(403, {}, true), requestHeaders: { authorization: 'k-93b1', accept: 'application/json' } } as CheckContext;
  t.match(statusCode.run(raw), { status: 'error', message: /could not be judged; the Authorization header carried it with no scheme: if the API expects "Bearer <token>" there, pass it with --token-env$/ });
  const bearer = { ...refused(403, {}, true), requestHeaders: { authorization: 'Bearer k-93b1' } } as CheckContext;
  t.notMatch(statusCode.run(bearer).message, /no scheme/, 'a schemed one gets no such hint');
  const schemeAlone = { ...refused(401, {}, true), requestHeaders: { authorization: 'Bearer' } } as CheckContext;
  t.notMatch(statusCode.run(schemeAlone).message, /no scheme/, 'nor a scheme sent alone');
});

t.test("a 403 to credentials for a body the harness made is about the body as much as them: a warning; a 401 is still an error", async (t) => {
  // Found on Directus 11.3: 403 to a comment on the example's collection "projects", which does not exist.
  t.match(statusCode.run(refused(403, { body: 'schema-example', 'path:thingId': 'var' }, true)), { status: 'warn', message: /^answered 403 to a request whose body is the document's example: / });
  t.match(statusCode.run(refused(403, { body: 'generated' }, true)), { status: 'warn', message: /^answered 403 to a request whose body is generated from its schema: / });
  t.equal(statusCode.run(refused(401, { body: 'generated' }, true)).status, 'error', 'a 401 rejects the credentials, whatever the body');
  t.equal(statusCode.run({ ...refused(403, { body: 'generated' }, true), response: { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' }, body: Buffer.alloc(0), truncated: false } } as unknown as CheckContext).status, 'error', 'nor a 403 whose challenge blames the credentials');
});

t.test('a 403 to the read of a record the run has just deleted, with the credentials that deleted it, is about the record: a warning', async (t) => {
  // Found on Directus 11: 403 for an id it no longer has; the error blamed the credentials and made every write run inconclusive.
  const step: LifecycleStep = { role: 'read-deleted', after: { method: 'DELETE', url: 'http://127.0.0.1:1/things/1', status: 204 }, idSource: 'response-body' };
  const deleted = { ...refused(403, { 'path:thingId': 'created' }, true), lifecycle: step } as CheckContext;
  t.match(statusCode.run(deleted), { status: 'warn', message: /answered to the read of a record the run has just deleted, with the credentials that read and deleted it: the refusal is about the deleted record, not the credentials/ });
  const documented = { ...refused(403, { 'path:thingId': 'created' }, true, true), lifecycle: step } as CheckContext;
  t.equal(statusCode.run(documented).status, 'pass', 'documented, it passes as any documented status');
  t.equal(statusCode.run(refused(403, { 'path:thingId': 'created' }, true)).status, 'error', 'elsewhere a 403 to credentials is still no evidence');
  // Review: a 401 there says the credentials failed (a token expired after the DELETE), documented or not.
  t.equal(statusCode.run({ ...refused(401, { 'path:thingId': 'created' }, true), lifecycle: step } as CheckContext).status, 'error', 'a 401 to the read of a deleted record is still about the credentials');
});

t.test('without credentials, a 401 or 403 to a made-up id names the missing credentials first, and is never a failure', async (t) => {
  const example = statusCode.run(refused(403, { 'path:thingId': 'schema-example' }, false));
  t.equal(example.status, 'warn', 'a schema example is no more a real id than a generated value');
  t.match(example.message, /no credentials were sent and the request used a placeholder value \(\{thingId\} from schema-example\): pass --token-env VAR, --api-key-env VAR, --client-id with --client-secret-env, or --header if the operation needs credentials, and --var thingId=<value>, to judge it/);
  const generated = statusCode.run(refused(401, { 'path:thingId': 'generated' }, false));
  t.equal(generated.status, 'warn');
  t.match(generated.message, /but no credentials were sent \(pass --token-env VAR, --api-key-env VAR, --client-id with --client-secret-env, or --header if the operation needs them\), and the request used generated values for thingId: --var thingId=<value> would let the harness judge it/);
  // A real id: the document does not list the status the supplier gave an anonymous caller.
  t.match(statusCode.run(refused(403, { 'path:thingId': 'var' }, false)), { status: 'fail', message: /not documented .*no credentials were sent/ });
});

t.test('an undocumented 401 or 403 to a request sent without credentials: a warning where the operation declares security, a failure where it does not', async (t) => {
  // Found on Strapi 5 run without a token: GET /upload/files (security: bearerAuth) answered 403, documented nowhere.
  const secured = (status: number) => ({ ...refused(status, {}, false), operation: { ...getThing, secured: true } }) as CheckContext;
  for (const status of [401, 403]) {
    const result = statusCode.run(secured(status));
    t.equal(result.status, 'warn', `${status}: the refusal the security requirement implies`);
    t.match(result.message, new RegExp(`status ${status} is not documented, but no credentials were sent to an operation whose document requires them`));
  }
  t.equal(statusCode.run(refused(401, {}, false)).status, 'fail', 'an operation open to all that answers 401 still fails');
  // Review: `security: [{}, {bearer: []}]` allows anonymous access, so a 401 to it is a defect.
  const optional = { ...refused(401, {}, false), operation: { ...getThing, secured: true, anonymousAllowed: true } } as CheckContext;
  t.equal(statusCode.run(optional).status, 'fail', 'credentials optional: an undocumented 401 without them still fails');
  t.equal(statusCode.run({ ...secured(404) }).status, 'fail', 'only a 401 or 403');
});

t.test('a 401 to an operation the document exempts (`security: []`) does not tell the user to pass credentials', async (t) => {
  // NocoBase marks GET /auth:check `security: []`; the run, given --token-env, rightly sent it none.
  const exempt = statusCode.run({ ...context(401), operation: { ...getThing, securityExempt: true } } as unknown as CheckContext);
  t.equal(exempt.status, 'fail', 'still undocumented');
  t.match(exempt.message, /no credentials were sent: the document marks this operation `security: \[\]`, so none the run was given went to it/);
  t.notMatch(exempt.message, /pass --token-env/);
  t.match(statusCode.run(context(401)).message, /no credentials were sent: if the operation needs them, pass --token-env/, 'elsewhere the hint stands');
});
