import t from 'tap';
import { changeVerbOf, namedAsChange, namedAsCreate } from '../../harness/plan/named-change.js';

t.test('names that begin with a change verb, in the styles APIs name operations', async (t) => {
  const cases: Record<string, string> = {
    deletePadUsingGET: 'delete',
    DELETE_PAD: 'delete',
    pads_delete_all: '',
    remove_user: 'remove',
    'Set-Text': 'set',
    PadController_deletePad: 'delete',
    activateUser: 'activate',
    generateToken: 'generate',
    refreshToken: 'refresh',
    toggleFeature: 'toggle',
    'chat.delete': 'delete',
    'conversations.archive': 'archive',
    Pets_Delete: 'delete',
    // Noun phrases only when the verb is a noun too and one reported noun follows: these are changes.
    deleteHistory: 'delete',
    deletePadHistory: 'delete',
    setPublicStatus: 'set',
    copyPadWithoutHistory: 'copy',
    updateStatus: 'update',
    resetStats: 'reset',
    setState: 'set',
    purgeLogs: 'purge',
    wipeHistory: 'wipe',
  };
  for (const [name, verb] of Object.entries(cases)) t.equal(changeVerbOf(name), verb === '' ? undefined : verb, name);
});

t.test('reads whose names only look like changes', async (t) => {
  for (const name of ['listDeletedItems', 'getSettings', 'settingsGet', 'createdThings', 'resetsCount', 'postcodeLookup', 'getUpdates', 'mergeRequests', 'merge_requests', 'stopTimes', 'importStatus', 'syncStatus', 'lockStatus', 'postComments', 'closeReasons', 'startDate']) {
    t.equal(changeVerbOf(name), undefined, name);
  }
});

t.test('the path speaks by its fixed segments, and not where the operationId says it reads', async (t) => {
  const get = (path: string, operationId: string) => ({ method: 'GET', path, operationId, syntheticId: false });
  t.equal(namedAsChange(get('/post', 'listPosts')), undefined, 'a collection named /post, listed');
  t.equal(namedAsChange(get('/post/{postId}', 'getPost')), undefined, 'a record of /post');
  t.equal(namedAsChange({ ...get('/post/{postId}', 'get_post_postId'), syntheticId: true }), undefined, 'no action in a path that ends in an id');
  t.match(namedAsChange({ ...get('/things/{id}/purge', 'get_things_id_purge'), syntheticId: true }), /its path's last segment begins with "purge"/);
  t.match(namedAsChange(get('/api/chat.delete', 'chatRemoval')), /its path's last segment says "delete"/);
  // Third review: a verb in a segment before the id, or last in the operationId, was read by nobody.
  t.match(namedAsChange({ ...get('/users/delete/{id}', 'x'), syntheticId: true }), /its path's segment "delete" begins with "delete"/);
  t.match(namedAsChange(get('/deletePad/{padID}', 'padDelete')), /its operationId says "delete"/);
  t.equal(namedAsChange({ ...get('/import/{jobId}', 'x'), syntheticId: true }), undefined, 'a verb that is a noun too, right before an id, names the thing');
  t.equal(namedAsChange(get('/settings', 'getAutoDelete')), undefined, 'a name that begins by reading reads');
  t.match(namedAsChange({ ...get('/apiKeys:destroy/{id}', 'x'), method: 'OPTIONS', syntheticId: true }), /action is "destroy"/, 'OPTIONS too: a server dispatching by path alone runs it');
  // And reads it must not skip: GKE's upgrade info, NocoBase's restore status, currency conversion, change events.
  for (const [path, operationId] of [['/v1/{name}:fetchClusterUpgradeInfo', 'x'], ['/backup:restoreStatus', 'x'], ['/convert', 'convertCurrency'], ['/change_events', 'x'], ['/upgrade-options', 'x'], ['/things:getUpdateInfo', 'x']] as const) {
    t.equal(namedAsChange({ ...get(path, operationId), syntheticId: operationId === 'x' }), undefined, `${path} reads`);
  }
  t.match(namedAsChange({ ...get('/things:getOrCreate', 'x'), syntheticId: true }), /says "create"/, 'unless it goes on to another');
  // Fourth review: an operationId that begins by reading hid a destructive path; noun phrases as segments; asking names.
  t.match(namedAsChange(get('/checks/{id}/delete', 'checkDelete')), /its path's last segment begins with "delete"/);
  t.match(namedAsChange(get('/users/delete/{id}', 'getUserById')), /its path's segment "delete" begins with "delete"/);
  t.match(namedAsChange(get('/sessions', 'getOrCreateSession')), /its operationId says "create"/);
  t.match(namedAsChange({ ...get('/things:getThenDelete', 'x'), syntheticId: true }), /says "delete"/);
  for (const [path, operationId] of [['/sync/status', 'syncStatus'], ['/import/status', 'x'], ['/deploy/logs', 'x'], ['/settings', 'canDelete'], ['/hooks', 'onDelete'], ['/settings', 'autoDelete']] as const) {
    t.equal(namedAsChange({ ...get(path, operationId), syntheticId: operationId === 'x' }), undefined, `${path} (${operationId}) reads`);
  }
});

t.test('the operationId first, then the path: a made-up operationId is not a name', async (t) => {
  const op = { method: 'GET', path: '/deletePad', operationId: 'padRemoval', syntheticId: false };
  t.match(namedAsChange(op), /^named as a change \(its path's last segment begins with "delete"\), though GET should change nothing/);
  t.equal(namedAsChange({ ...op, method: 'POST' }), undefined, 'only reads are named as changes: a POST is a write anyway');
  t.equal(namedAsChange({ method: 'GET', path: '/things', operationId: 'deleteThings', syntheticId: true }), undefined, 'a synthetic id says nothing');
  t.ok(namedAsCreate({ method: 'GET', path: '/createGroup', operationId: 'createGroupUsingGET', syntheticId: false }));
  t.notOk(namedAsCreate({ method: 'GET', path: '/deletePad', operationId: 'deletePadUsingGET', syntheticId: false }));
});

t.test('--allow-writes --negative asks no undocumented GET of a path whose name says it changes state', async (t) => {
  const { undocumentedGetProbes } = await import('../../harness/plan/negative-plan.js');
  const { createValueHarvest } = await import('../../harness/plan/value-harvest.js');
  const op = (path: string, operationId: string) => ({ operationId, syntheticId: false, method: 'POST', path, parameters: [], responses: [], secured: false, pointer: `/paths/${path.slice(1)}/post` });
  const operations = [op('/deletePad', 'deletePadUsingPOST'), op('/notes/archive-all', 'archiveAllNotes'), op('/search', 'searchThings')];
  const context = { document: {}, target: new URL('http://127.0.0.1:9/'), vars: {}, headers: {}, allowWrites: true };
  // As if the write plan made a lifecycle of each: the names alone are judged here.
  const creating = (ops: ReadonlyArray<{ method: string; path: string }>) => ({ lifecycles: ops.map((create) => ({ create, entries: [] })) }) as never;
  const asked = undocumentedGetProbes(operations as never, operations as never, context, createValueHarvest(), creating(operations)).map((p) => p.operation.path);
  t.same(asked, ['/search'], 'only the path whose name says nothing of a change');
  t.same(undocumentedGetProbes(operations as never, operations as never, context, createValueHarvest(), creating([])), [], 'and only a collection the run creates its own records in');
  // Third review: the operationId names the POST, and the GET goes to the path.
  const notes = [op('/notes', 'createNote')];
  t.same(undocumentedGetProbes(notes as never, notes as never, context, createValueHarvest(), creating(notes)).map((p) => p.operation.path), ['/notes'], 'a create named so is still asked');

  // NocoBase (helper run, 2.2.15): its actions ran on GET. `GET /app:restart` restarted it, `/roles:create` made a
  // role, `/apiKeys:destroy/1` deleted the key the run was using. Synthetic ids, so only the path speaks.
  const nocobase = [
    { ...op('/notes:create', 'post_notes_create'), syntheticId: true },
    { ...op('/app:restart', 'post_app_restart'), syntheticId: true },
    { ...op('/apiKeys:destroy/{filterByTk}', 'post_apiKeys_destroy'), syntheticId: true },
    { ...op('/things/{id}:cancel', 'CancelThing') },
    { ...op('/roles:create/extra', 'post_roles_extra'), syntheticId: true },
    { ...op('/notes/{id}/comments', 'addComment'), syntheticId: true },
    { ...op('/app:check', 'post_app_check'), syntheticId: true },
  ];
  const askedOf = undocumentedGetProbes(nocobase as never, nocobase as never, context, createValueHarvest(), creating(nocobase)).map((p) => p.operation.path);
  t.same(askedOf, ['/app:check'], 'not a path naming a change in any fixed part, nor one with a parameter');
  const { undocumentedGetRefusal } = await import('../../harness/plan/negative-plan.js');
  t.match(undocumentedGetRefusal(nocobase[0]!, creating(nocobase)), /is named as a change \(its path's action is "create"\)/);
  t.match(undocumentedGetRefusal(nocobase[4]!, creating(nocobase)), /is named as a change \(its path's action is "create"\)/);
  t.match(undocumentedGetRefusal(nocobase[5]!, creating(nocobase)), /has a parameter \(\{id\}\), which may name a record the run did not create/);
  t.equal(changeVerbOf('notes:destroy'), 'destroy', '`:` parts a name as `.` and `_` do');
  // An action's words are read wherever its verb stands; a noun phrase or a read is no change.
  for (const [path, verb] of [['/users:firstOrCreate', 'create'], ['/notes:batchDestroy', 'destroy'], ['/notes:bulkDelete', 'delete'], ['/auth:signOut', 'sign'], ['/auth:changePassword', 'change'], ['/pm:upgrade', 'upgrade'], ['/uiSchemas:batchPatch', 'patch']] as const) {
    t.match(namedAsChange({ method: 'GET', path, operationId: 'x', syntheticId: true }), new RegExp(`its path's action .*"${verb}"`), path);
  }
  for (const path of ['/jobs:startTime', '/api/users:list', '/v1/books:batchGet', '/time:zone', '/v1/{name=projects/*}:get']) {
    t.equal(namedAsChange({ method: 'GET', path, operationId: 'x', syntheticId: true }), undefined, `${path} reads`);
  }
  // Once those were named, NocoBase's `GET /workflows:revision` copied a user's workflow: no word list is complete.
  t.match(undocumentedGetRefusal({ method: 'POST', path: '/workflows:revision', operationId: 'post_workflows_revision', syntheticId: true }, creating([])), /is not a collection the run creates its own records in/);
});
