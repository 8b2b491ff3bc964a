/**
 * Which CommonJS files a child process loaded: a `--require` hook that writes
 * `require.cache`'s keys when the process exits. For tests that show a command
 * does not load what it does not use.
 *
 * @example
 *   const loaded = loadedFilesHook(t.testdir());
 *   spawn(process.execPath, [...loaded.nodeOptions, bin, '--version']);
 *   // after it exits:
 *   loaded.files(); // ['/…/node_modules/yaml/dist/index.js', …]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadedFilesHook(dir: string): { nodeOptions: string[]; files(): string[] } {
  const hook = join(dir, 'list-loaded.cjs');
  const list = join(dir, 'loaded.json');
  writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`);
  return {
    nodeOptions: ['--require', hook],
    files() {
      // A process killed before its exit handlers ran wrote nothing: say so rather than fail on a missing file.
      if (!existsSync(list)) throw new Error('the child process wrote no list of the files it loaded (it did not exit normally)');
      return JSON.parse(readFileSync(list, 'utf8')) as string[];
    },
  };
}

/** The npm packages among loaded files (`@scope/name` or `name`). */
export function packagesOf(files: readonly string[]): Set<string> {
  return new Set(files.flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? []));
}
