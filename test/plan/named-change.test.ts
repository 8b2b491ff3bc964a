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
  };
  for (const [name, verb] of Object.entries(cases)) t.equal(changeVerbOf(name), verb === '' ? undefined : verb, name);
});

t.test('reads whose names only look like changes', async (t) => {
  for (const name of ['listDeletedItems', 'getSettings', 'settingsGet', 'createdThings', 'resetsCount', 'postcodeLookup', 'getUpdates', 'mergeRequests', 'merge_requests', 'stopTimes', 'importStatus', 'syncStatus', 'lockStatus', 'postComments', 'closeReasons', 'startDate']) {
    t.equal(changeVerbOf(name), undefined, name);
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
  const asked = undocumentedGetProbes(operations as never, operations as never, context, createValueHarvest()).map((p) => p.operation.path);
  t.same(asked, ['/search'], 'only the path whose name says nothing of a change');
});
