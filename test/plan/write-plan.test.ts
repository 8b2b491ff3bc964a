import t from 'tap';
import { selectOperations } from '../../harness/plan/operation-selection.js';
import { evaluateExpression } from '../../harness/plan/runtime-expression.js';
import { lifecycleOperations, planWrites, type Lifecycle } from '../../harness/plan/write-plan.js';
import type { OperationSpec } from '../../harness/profile/profile-types.js';

const op = (method: string, path: string, operationId: string, over: Partial<OperationSpec> = {}): OperationSpec => ({
  operationId,
  syntheticId: false,
  method,
  path,
  parameters: [],
  responses: [{ key: method === 'POST' ? '201' : '200', content: [], headers: [], pointer: `/paths/${path.replace(/\//g, '~1')}/${method.toLowerCase()}/responses/201` }],
  secured: false,
  pointer: `/paths/${path.replace(/\//g, '~1')}/${method.toLowerCase()}`,
  ...over,
});

const steps = (lifecycle: Lifecycle) => lifecycle.entries.map((e) => (e.kind === 'child' ? `child ${e.lifecycle.create.operationId}` : `${e.role} ${e.operation.operationId}`));

t.test('a POST to a collection with a DELETE for its records is a lifecycle, in order', async (t) => {
  const ops = [
    op('GET', '/things', 'listThings'),
    op('POST', '/things', 'createThing'),
    op('GET', '/things/{thingId}', 'getThing'),
    op('PUT', '/things/{thingId}', 'replaceThing'),
    op('PATCH', '/things/{thingId}', 'patchThing'),
    op('DELETE', '/things/{thingId}', 'deleteThing'),
    op('POST', '/things/{thingId}/archive', 'archiveThing'),
    op('POST', '/things/{thingId}/parts', 'createPart'),
    op('DELETE', '/things/{thingId}/parts/{partId}', 'deletePart'),
  ];
  const plan = planWrites(ops, ops, new Set(), {});
  t.equal(plan.lifecycles.length, 1, 'the nested lifecycle is a child, not a root');
  const [things] = plan.lifecycles;
  t.equal(things!.itemPath, '/things/{thingId}');
  t.equal(things!.idParam, 'thingId');
  t.same(steps(things!), [
    'read getThing',
    'update replaceThing',
    'read-updated getThing',
    'update patchThing',
    'read-updated getThing',
    'action archiveThing',
    'child createPart',
    'delete deleteThing',
    'read-deleted getThing',
  ]);
  t.same(plan.notSent, []);
  // A lifecycle a run stops before lists each of these as not probed, its child's included (review: only the create was).
  t.same(lifecycleOperations(things!).map((o) => o.operationId), ['createThing', 'getThing', 'replaceThing', 'patchThing', 'archiveThing', 'createPart', 'deletePart', 'deleteThing']);
});

t.test('writes that cannot be attached to a created record are not sent, each with why', async (t) => {
  const ops = [
    op('PUT', '/maintenance', 'setMaintenance'),
    op('GET', '/things', 'listThings'),
    op('POST', '/things', 'createThing'),
    op('DELETE', '/things', 'deleteAllThings'),
    op('GET', '/users/{userId}', 'getUser'),
    op('DELETE', '/users/{userId}', 'deleteUser'),
    op('POST', '/audit', 'appendAudit'),
    op('GET', '/audit/{entryId}', 'getAudit'),
    op('POST', '/reports/run', 'runReport'),
    op('POST', '/{collectionName}:create', 'createInCollection'),
    op('POST', '/things/{id}:cancel', 'cancelThing'),
  ];
  const plan = planWrites(ops, ops, new Set(['deleteUser']), {});
  t.same(plan.lifecycles, [], 'no POST here has records the document can delete');
  const reasons = Object.fromEntries(plan.notSent.map(({ operation, reason }) => [operation.operationId, reason]));
  t.match(reasons.setMaintenance, /^would change existing state: it changes a resource the run did not create \(a singleton/);
  t.match(reasons.deleteAllThings, /^would change existing state: it acts on a whole collection/);
  t.match(reasons.createThing, 'creates records the run could not remove afterwards (the document has no DELETE one segment under its path)');
  t.match(planWrites(ops, ops, new Set(), {}).notSent.find((n) => n.operation.operationId === 'deleteUser')?.reason, "it changes a record the run did not create (none of the run's own creates makes one it could use)");
  t.match(reasons.appendAudit, /creates records the run could not remove afterwards/);
  // NocoBase: a create under a parameter changes no record; the parameter is what is not the run's.
  t.match(reasons.createInCollection, "it goes under a parameter that names what the run did not create (none of the run's own creates makes one it could use)");
  t.match(reasons.cancelThing, "it changes a record the run did not create", 'an action on a record changes it');
  t.match(reasons.setMaintenance, /; name it to send it \(its operationId in --operations, or its method and path in --paths\)$/);
  // The reason names no operation (the result does): operations skipped alike are grouped under one reason.
  t.equal(reasons.createThing, reasons.appendAudit);
  t.match(reasons.runReport, /it is an action, or a create the run could not undo \(no item path with a DELETE lies under it\)/);
  t.notOk('deleteUser' in reasons, 'a named write is not refused');
  t.same(plan.namedWrites.map((o) => o.operationId), ['deleteUser'], 'it is sent as a named write');
});

t.test('records read at one template and deleted at another (Strapi: /roles/{id}, /roles/{role}): the DELETE is found', async (t) => {
  const ops = [op('GET', '/roles', 'listRoles'), op('POST', '/roles', 'createRole'), op('GET', '/roles/{id}', 'getRole'), op('PUT', '/roles/{role}', 'updateRole'), op('DELETE', '/roles/{role}', 'deleteRole')];
  const plan = planWrites(ops, ops, new Set(), {});
  t.match(plan.lifecycles, [{ create: { operationId: 'createRole' }, itemPath: '/roles/{role}', idParam: 'role', remove: { operationId: 'deleteRole' } }]);
  t.notOk(plan.notSent.some(({ reason }) => /has no DELETE/.test(reason)), 'never "the document has no DELETE for them"');
  // Review: a link from the create to the read's template wins, and there is no DELETE there.
  const linked = ops.map((o) => (o.operationId === 'createRole' ? { ...o, pointer: '/paths/~1roles/post' } : o));
  const document = { paths: { '/roles': { post: { responses: { '201': { description: 'ok', links: { GetRole: { operationId: 'getRole', parameters: { id: '$response.body#/id' } } } } } } } } };
  const withLink = planWrites(linked, linked, new Set(), document);
  t.same(withLink.lifecycles, []);
  t.match(withLink.notSent.find(({ operation }) => operation.operationId === 'createRole')?.reason, /the document has DELETE \/roles\/\{role\}, but the create's links name the record at a path with no DELETE/);
});

t.test('OpenAPI links name the record and the expression that gives its id', async (t) => {
  const document = {
    paths: {
      '/features': {
        post: {
          responses: {
            '201': {
              description: 'created',
              links: {
                Read: { operationRef: '#/paths/~1features~1{name}/get', parameters: { name: '$response.body#/name' } },
                Remove: { $ref: '#/components/links/Remove' },
              },
            },
          },
        },
      },
    },
    components: { links: { Remove: { operationId: 'deleteFeature', parameters: { name: '$request.body#/name' } } } },
  };
  const ops = [
    op('POST', '/features', 'createFeature', { responses: [{ key: '201', content: [], headers: [], pointer: '/paths/~1features/post/responses/201' }] }),
    op('GET', '/features/{name}', 'getFeature'),
    op('DELETE', '/features/{name}', 'deleteFeature'),
    op('GET', '/features/{id}/history', 'featureHistory'),
  ];
  const plan = planWrites(ops, ops, new Set(), document);
  t.equal(plan.lifecycles[0]?.itemPath, '/features/{name}');
  t.same(plan.lifecycles[0]?.idExpressions, ['$response.body#/name', '$request.body#/name']);
});

t.test('the selection: a lifecycle needs its create selected; its clean-up DELETE is used even when left out', async (t) => {
  const ops = [op('POST', '/things', 'createThing'), op('GET', '/things/{id}', 'getThing'), op('DELETE', '/things/{id}', 'deleteThing'), op('PATCH', '/things/{id}', 'patchThing')];
  const withoutCreate = planWrites(ops, ops.slice(1), new Set(), {});
  t.same(withoutCreate.lifecycles, []);
  t.same(withoutCreate.notSent.map((n) => n.operation.operationId), ['deleteThing', 'patchThing']);
  const withoutDelete = planWrites(ops, [ops[0]!, ops[3]!], new Set(), {});
  t.same(steps(withoutDelete.lifecycles[0]!), ['update patchThing', 'delete deleteThing']);
});

t.test('selectOperations: globs, tags, METHOD /glob paths, and what counts as naming', async (t) => {
  const document = { paths: { '/a': { get: { tags: ['alpha'] }, put: {} }, '/a/{id}': { get: { tags: ['beta'] } }, '/b/c/d': { get: {} } } };
  const ops = [op('GET', '/a', 'getA'), op('PUT', '/a', 'putA'), op('GET', '/a/{id}', 'getAItem'), op('GET', '/b/c/d', 'deep')];
  const ids = (selection: Parameters<typeof selectOperations>[2]) => selectOperations(ops, document, selection).operations.map((o) => o.operationId);
  t.same(ids({}), ['getA', 'putA', 'getAItem', 'deep']);
  t.same(ids({ operations: ['get*'] }), ['getA', 'getAItem']);
  t.same(ids({ skipOperations: ['get?'] }), ['putA', 'getAItem', 'deep']);
  t.same(ids({ tags: ['beta'] }), ['getAItem']);
  t.same(ids({ paths: ['GET /a/*'] }), ['getAItem']);
  t.same(ids({ paths: ['/a'] }), ['getA', 'putA'], 'no method: any method');
  t.same(ids({ paths: ['get /b/*', 'GET /a'] }), ['getA'], 'a * stays within one segment');
  t.same(ids({ paths: ['GET /b/**'] }), ['deep']);
  t.same(ids({ operations: ['deep'], paths: ['PUT /a'] }), ['putA', 'deep'], '--operations and --paths include the union');
  t.same([...selectOperations(ops, document, { tags: ['alpha'] }).named], [], 'a tag names nothing');
  t.same([...selectOperations(ops, document, { paths: ['PUT /a'] }).named], ['putA']);
  t.throws(() => selectOperations(ops, document, { operations: ['nope'] }), { code: 'USAGE', message: /leaves no operation of the 4/ });
  t.throws(() => selectOperations(ops, document, { paths: ['GET a'] }), { code: 'USAGE', message: /METHOD \/path-glob/ });
});

t.test('runtime expressions', async (t) => {
  const context = {
    url: 'http://h/things?kind=a',
    method: 'POST',
    statusCode: 201,
    pathValues: { tenant: 't1' },
    requestHeaders: { 'X-Trace': 'abc' },
    requestBody: { name: 'n1' },
    responseHeaders: { location: '/things/9' },
    responseBody: { data: { id: 9 }, 'a/b': 'slash' },
  };
  t.equal(evaluateExpression('$response.body#/data/id', context), 9);
  t.equal(evaluateExpression('$response.body#/a~1b', context), 'slash');
  t.equal(evaluateExpression('$response.header.Location', context), '/things/9');
  t.equal(evaluateExpression('$request.body#/name', context), 'n1');
  t.equal(evaluateExpression('$request.path.tenant', context), 't1');
  t.equal(evaluateExpression('$request.query.kind', context), 'a');
  t.equal(evaluateExpression('$request.header.x-trace', context), 'abc');
  t.equal(evaluateExpression('$statusCode', context), 201);
  t.equal(evaluateExpression('things-{$response.body#/data/id}', context), 'things-9');
  t.equal(evaluateExpression('$response.body#/missing', context), undefined);
  t.equal(evaluateExpression('constant', context), 'constant');
});

// Platformatic writes collections `/incidents/` and items `/incidents/{id}`; Django REST framework `/incidents/{id}/` too.
for (const item of ['', '/']) {
  t.test(`collections named with a trailing slash, items ${item ? 'with' : 'without'} one, are lifecycles, nested ones included`, async (t) => {
    const ops = [
      op('GET', '/incidents/', 'listIncidents'),
      op('POST', '/incidents/', 'createIncident'),
      op('GET', `/incidents/{id}${item}`, 'getIncident'),
      op('PUT', `/incidents/{id}${item}`, 'updateIncident'),
      op('DELETE', `/incidents/{id}${item}`, 'deleteIncident'),
      op('POST', '/incidents/{id}/notes/', 'createNote'),
      op('DELETE', `/incidents/{id}/notes/{noteId}${item}`, 'deleteNote'),
    ];
    const plan = planWrites(ops, ops, new Set(), {});
    t.same(plan.notSent, []);
    t.equal(plan.lifecycles.length, 1);
    const [incidents] = plan.lifecycles;
    t.match(incidents, { itemPath: `/incidents/{id}${item}`, idParam: 'id' });
    t.same(steps(incidents!), ['read getIncident', 'update updateIncident', 'read-updated getIncident', 'child createNote', 'delete deleteIncident', 'read-deleted getIncident']);
    const note = incidents!.entries.find((e) => e.kind === 'child');
    t.match(note?.kind === 'child' && note.lifecycle, { itemPath: `/incidents/{id}/notes/{noteId}${item}`, idParam: 'noteId' });
  });
}

t.test('a read named as a change is an action on the record, at its own path or below; a read whose path merely looks like one is read', async (t) => {
  const ops = [
    op('GET', '/post', 'listPosts'),
    op('POST', '/post', 'createPost'),
    op('GET', '/post/{postId}', 'getPost'),
    op('HEAD', '/post/{postId}', 'publishPostUsingHEAD'),
    op('GET', '/post/{postId}/archive', 'archivePost'),
    op('DELETE', '/post/{postId}', 'deletePost'),
  ];
  const [posts] = planWrites(ops, ops, new Set(), {}).lifecycles;
  t.equal(posts?.read?.operationId, 'getPost', 'the record is read back, and can confirm its id');
  t.same(steps(posts!), ['read getPost', 'action publishPostUsingHEAD', 'action archivePost', 'delete deletePost', 'read-deleted getPost']);
});

t.test("a path parameter's type is read through $ref and allOf, each schema once", async (t) => {
  const lifecycleFor = (schema: unknown, schemas: Record<string, unknown>) => {
    const param = { name: 'id', in: 'path', required: true, schema } as unknown as OperationSpec['parameters'][number];
    const ops = [op('POST', '/things', 'createThing'), op('GET', '/things/{id}', 'getThing', { parameters: [param] }), op('DELETE', '/things/{id}', 'deleteThing', { parameters: [param] })];
    return planWrites(ops, ops, new Set(), { components: { schemas } }).lifecycles[0]!;
  };
  t.equal(lifecycleFor({ allOf: [{ $ref: '#/components/schemas/Number' }], description: 'n' }, { Number: { type: 'integer' } }).idTakesText, false, 'allOf: [{$ref}] to an integer');
  t.equal(lifecycleFor({ type: 'string' }, {}).idTakesText, undefined, 'text');
  // Fifth review: twelve self-references in an allOf were followed to a depth of 8 each, about 12^9 calls.
  const ref = { $ref: '#/components/schemas/Id' };
  t.equal(lifecycleFor(ref, { Id: { allOf: Array.from({ length: 12 }, () => ref) } }).idTakesText, undefined, 'a schema that refers to itself twelve times is read once, and is no number');
});
