import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { BEHAVIOURS, WELL_BEHAVED, behaviour } from '../../fixtures/hostile-supplier/behaviours.js';
import { createHostileSupplier, HOSTILE_PROFILE_PATH } from '../../fixtures/hostile-supplier/create-hostile-supplier.js';

t.test('the registry and openapi.yaml describe the same operations', async (t) => {
  const document = parse(readFileSync(HOSTILE_PROFILE_PATH, 'utf8')) as { paths: Record<string, { get: { operationId: string } }> };
  const documented = Object.entries(document.paths).map(([path, item]) => [item.get.operationId, path] as const);
  const registered = [[WELL_BEHAVED.operationId, WELL_BEHAVED.path] as const, ...BEHAVIOURS.map((b) => [b.operationId, b.path] as const)];
  t.same(new Map(documented), new Map(registered));
  t.equal(new Set(BEHAVIOURS.map((b) => b.name)).size, BEHAVIOURS.length, 'names are unique');
  for (const entry of BEHAVIOURS) t.doesNotThrow(() => new RegExp(entry.expect.message), `${entry.name}: expect.message is a RegExp`);
});

t.test('an unknown behaviour name is refused at once, listing the known ones', async (t) => {
  t.throws(() => createHostileSupplier({ behaviours: ['nope'] }), /unknown hostile behaviour "nope"; known: headers-never-sent/);
  t.equal(behaviour('drip-body').operationId, 'dripBody');
});
