/**
 * The `yaml` package, loaded the first time a YAML text is parsed: a run on a
 * JSON profile (most published documents) never loads it. Synchronous, because
 * parsing is: Node's `require` of the package's CommonJS build, the one an
 * `import` of it resolves to as well.
 */
import { createRequire } from 'node:module';

type YamlLibrary = typeof import('yaml');

let loaded: YamlLibrary | undefined;

/**
 * @example yamlLibrary().parseDocument('openapi: 3.0.3').toJS() // { openapi: '3.0.3' }
 */
export function yamlLibrary(): YamlLibrary {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlLibrary;
  return loaded;
}
