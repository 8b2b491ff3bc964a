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
    generatedInputs: [],
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
