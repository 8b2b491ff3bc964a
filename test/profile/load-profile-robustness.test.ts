import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import t from 'tap';
import { parse } from 'yaml';
import { HarnessError } from '../../harness/errors.js';
import { loadProfile } from '../../harness/profile/load-profile.js';

const documents = join(dirname(fileURLToPath(import.meta.url)), 'documents');
const base: unknown = parse(readFileSync(join(documents, 'persons-3.0.yaml'), 'utf8'));

/** Every location in a JSON tree, as key paths. */
function locations(node: unknown, path: string[] = [], out: string[][] = []): string[][] {
  out.push(path);
  if (node !== null && typeof node === 'object') {
    for (const key of Object.keys(node)) locations((node as Record<string, unknown>)[key], [...path, key], out);
  }
  return out;
}

function replaceAt(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

const all = locations(base);
const replacement = fc.oneof(
  fc.constant(null),
  fc.constant({ $ref: '#/components/schemas/Nope' }),
  fc.constant({ $ref: '#/paths' }),
  fc.constant({ $ref: './missing.yaml' }),
  fc.constant({ $ref: '../../../etc/passwd' }),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 3 }),
);

async function onlyHarnessErrors(file: string): Promise<true | string> {
  try {
    const profile = await loadProfile(file);
    JSON.stringify(profile.document);
    return true;
  } catch (error) {
    return error instanceof HarnessError ? true : `threw ${String(error)}`;
  }
}

t.test('mutated documents load or fail with a HarnessError, never anything else', async (t) => {
  const dir = t.testdir({});
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), replacement), { minLength: 1, maxLength: 4 }), async (edits) => {
      let document = base;
      for (const [index, value] of edits) {
        const path = all[index]!;
        try {
          document = replaceAt(document, path, value);
        } catch {
          /* the path no longer exists after an earlier edit */
        }
      }
      const file = join(dir, `m${n++}.json`);
      writeFileSync(file, JSON.stringify(document));
      const outcome = await onlyHarnessErrors(file);
      if (outcome !== true) throw new Error(`${outcome} for ${JSON.stringify(edits)}`);
    }),
    { numRuns: 60, seed: 20240601 },
  );
  t.pass('60 mutated documents');
});

t.test('arbitrary bytes as YAML fail with a HarnessError', async (t) => {
  const dir = t.testdir({});
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
      const file = join(dir, `r${n++}.yaml`);
      writeFileSync(file, text);
      const outcome = await onlyHarnessErrors(file);
      if (outcome !== true) throw new Error(outcome);
    }),
    { numRuns: 100, seed: 7 },
  );
  t.pass('100 random texts');
});
