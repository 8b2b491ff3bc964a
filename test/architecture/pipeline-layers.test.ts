import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import t from 'tap';

/**
 * The pipeline runs one way: load profile -> plan probes -> execute -> check
 * -> record evidence -> render. As folders under harness/, bottom to top, a
 * module imports only from its own layer or the ones below it, never from a
 * layer that consumes it. Shared data and parsers (results, errors, JSON
 * readers) sit at the root, below every stage; `run/` wires the stages
 * together, then the library's entry (`index.ts`); `service/` (the evaluation
 * workspace) sits on the library and uses the engine only through it; `web/`
 * (its pages) on the service; `cli/` is on top.
 */
const LAYERS = ['(root)', 'http', 'profile', 'schema', 'plan', 'export', 'checks', 'report', 'run', '(library entry)', 'service', 'web', 'cli'] as const;

const HARNESS = join(import.meta.dirname, '..', '..', 'harness');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [join(dir, entry.name)] : [],
  );
}

function layerOf(file: string): string {
  const parts = relative(HARNESS, file).split(sep);
  if (parts.length === 1) return parts[0] === 'index.ts' ? '(library entry)' : '(root)';
  return parts[0]!;
}

/** Relative specifiers of static imports, re-exports and dynamic imports, type-only ones included. */
function importsOf(source: string): string[] {
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  return [...source.matchAll(pattern)].map((m) => (m[1] ?? m[2])!);
}

t.test('no module imports from a layer above its own', async (t) => {
  const rank = new Map<string, number>(LAYERS.map((layer, index) => [layer, index]));
  const files = sourceFiles(HARNESS);
  t.ok(files.length > 100, `${files.length} modules read`);
  const upward: string[] = [];
  const unknown: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = normalize(join(dirname(file), specifier));
      // The demo and the reference-supplier command start the bundled fixtures: the CLI's to use.
      if (!target.startsWith(HARNESS + sep)) {
        if (from !== 'cli') unknown.push(`${relative(HARNESS, file)} imports ${specifier}, outside harness/`);
        continue;
      }
      const to = layerOf(target);
      if (!rank.has(from) || !rank.has(to)) unknown.push(`${relative(HARNESS, file)} -> ${relative(HARNESS, target)}: a folder with no layer`);
      else if (rank.get(to)! > rank.get(from)!) upward.push(`${relative(HARNESS, file)} (${from}) imports ${relative(HARNESS, target)} (${to})`);
    }
  }
  t.same(upward, [], 'every import points down the pipeline or stays in its layer');
  t.same(unknown, [], 'every folder under harness/ has a place in the layers');
});

t.test('the service uses the engine only through the library entry', async (t) => {
  const service = join(HARNESS, 'service');
  const reaching: string[] = [];
  for (const file of sourceFiles(service)) {
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = normalize(join(dirname(file), specifier));
      if (target.startsWith(service + sep)) continue;
      if (target !== join(HARNESS, 'index.js')) reaching.push(`${relative(HARNESS, file)} imports ${specifier}`);
    }
  }
  t.same(reaching, [], 'service/ imports nothing of the engine but ../index.js');
});

t.test('the import scanner sees the forms the code uses', async (t) => {
  t.same(importsOf("import { a } from './a.js';\nimport type { B } from '../b/b.js';\nexport { c } from './c.js';\nconst d = await import('./d.js');"), ['./a.js', '../b/b.js', './c.js', './d.js']);
  t.same(importsOf("import {\n  a,\n  b,\n} from './multi.js';"), ['./multi.js']);
  t.same(importsOf("import t from 'tap';"), [], 'packages are not layers');
});
