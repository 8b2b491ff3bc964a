/**
 * Build a LoadedProfile from a hand-written OpenAPI document the way the loader
 * would: one OperationSpec per path + method, with the schema pointers of every
 * response media type and header.
 */
import { Ajv } from 'ajv';
import type { Test } from 'tap';
import type { HeaderSpec, LoadedProfile, MediaTypeSpec, OperationSpec, ResponseSpec } from '../../harness/profile/profile-types.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** RFC 6901 escaping of one token. */
export function esc(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Pointer to the schema of `GET <path>` → `<status>` → `<media>`. */
export function bodyPointer(path: string, status = '200', media = 'application/json', method = 'get'): string {
  return `/paths/${esc(path)}/${method}/responses/${status}/content/${esc(media)}/schema`;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** A profile for `document`; `openapi` defaults to the document's own. */
export function makeProfile(document: Obj): LoadedProfile {
  const operations: OperationSpec[] = [];
  for (const [path, item] of Object.entries(obj(document.paths))) {
    for (const method of METHODS) {
      const op = obj(item)[method];
      if (op === undefined) continue;
      const opPointer = `/paths/${esc(path)}/${method}`;
      const responses: ResponseSpec[] = Object.entries(obj(obj(op).responses)).map(([key, r]) => {
        const pointer = `${opPointer}/responses/${esc(key)}`;
        const content: MediaTypeSpec[] = Object.entries(obj(obj(r).content)).map(([mediaRange, mt]) => {
          const spec: MediaTypeSpec = { mediaRange };
          if (obj(mt).schema !== undefined) spec.schemaPointer = `${pointer}/content/${esc(mediaRange)}/schema`;
          return spec;
        });
        const headers: HeaderSpec[] = Object.entries(obj(obj(r).headers)).map(([name, h]) => {
          const spec: HeaderSpec = { name, required: obj(h).required === true };
          if (obj(h).schema !== undefined) spec.schemaPointer = `${pointer}/headers/${esc(name)}/schema`;
          return spec;
        });
        return { key: /^\dxx$/i.test(key) ? key.toUpperCase() : key, content, headers, pointer };
      });
      operations.push({
        operationId: String(obj(op).operationId ?? `${method}_${path}`),
        syntheticId: obj(op).operationId === undefined,
        method: method.toUpperCase(),
        path,
        parameters: [],
        responses,
        secured: false,
        pointer: opPointer,
      });
    }
  }
  const openapi = String(document.openapi ?? '3.0.3');
  return {
    info: { id: 'test', title: 'test', version: '1', sha256: '0'.repeat(64), source: 'test', openapi, mode: 'generic', servers: [] },
    document,
    operations,
    requirements: [],
    warnings: [],
  };
}

/** A document with one `GET /things` whose 200 JSON body is `schema`, plus `components.schemas`. */
export function docWithSchema(schema: unknown, schemas: Obj = {}, openapi = '3.0.3'): Obj {
  return {
    openapi,
    info: { title: 't', version: '1' },
    paths: { '/things': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } } } },
    components: { schemas },
  };
}

/** The pointer of the schema `docWithSchema` puts under GET /things. */
export const THINGS = bodyPointer('/things');

/**
 * Count every Ajv compilation from now until the test ends. Ajv and Ajv2020
 * share the prototype patched here, so both dialects are counted.
 *
 * @example const compiles = countCompiles(t); compileValidators(profile); t.equal(compiles.count, 1);
 */
export function countCompiles(t: Test): { readonly count: number } {
  const core = Object.getPrototypeOf(Ajv.prototype) as { compile: (...args: unknown[]) => unknown };
  const original = core.compile;
  const counter = { count: 0 };
  core.compile = function counted(this: unknown, ...args: unknown[]) {
    counter.count++;
    return original.apply(this, args);
  };
  t.teardown(() => {
    core.compile = original;
  });
  return counter;
}
