/**
 * Swagger 2.0 → OpenAPI 3.0, so every later stage reads one shape of document.
 */
import { createRequire, Module } from 'node:module';
import type Swagger2OpenApi from 'swagger2openapi';
import { HarnessError } from '../errors.js';
import { isRecord, joinPointer } from '../json-pointer.js';
import type { ProfileWarning } from './profile-types.js';

/** The property swagger2openapi writes a problem into when `warnOnly` is set. */
const WARNING_KEY = 'x-s2o-warning';
const MAX_DEPTH = 256;
/** Stands in for the source text swagger2openapi would otherwise generate (see below). */
const NO_SOURCE_TEXT = '(source text not kept)';

export interface ConvertResult {
  document: Record<string, unknown>;
  /** `swagger2-conversion`: what the converter could not carry over exactly. */
  warnings: ProfileWarning[];
}

/**
 * Converts a bundled Swagger 2.0 document. Refs were bundled already, so the
 * converter resolves nothing; it patches small mistakes and reports the rest,
 * which become warnings located in the converted document.
 *
 * @example
 *   const { document } = await convertSwagger2({ swagger: '2.0', info: {...}, paths: {...} });
 *   document.openapi // '3.0.0'
 * @throws HarnessError PROFILE_INVALID when the converter gives up
 */
export async function convertSwagger2(swagger: Record<string, unknown>, file = 'profile'): Promise<ConvertResult> {
  let converted: unknown;
  // swagger2openapi prints some failures with console.warn (stack and all); the
  // CLI promises one line, so hold those back while it runs and report our own.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    const swagger2openapi = loadConverter();
    const copy = structuredClone(swagger);
    keepNullableReferences(copy, 0);
    const result = await swagger2openapi.convertObj(copy, {
      patch: true,
      warnOnly: true,
      resolve: false,
      fetch: refuseFetch,
      // Without a text the converter writes the whole document out as YAML first (most of
      // its time on a large document) for messages of a validator it never runs here.
      text: NO_SOURCE_TEXT,
    });
    converted = result.openapi;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HarnessError('PROFILE_INVALID', `${file}: cannot convert Swagger 2.0 to OpenAPI 3: ${message.replace(/\s*\n\s*/g, ' ')}`, {
      cause: error,
    });
  } finally {
    console.warn = warn;
  }
  if (!isRecord(converted)) {
    throw new HarnessError('PROFILE_INVALID', `${file}: converting Swagger 2.0 produced no document`);
  }
  const warnings: ProfileWarning[] = [];
  collectConverterWarnings(converted, '', warnings, 0);
  return { document: converted, warnings };
}

/**
 * The converter, loaded on first use (only a Swagger 2.0 document needs it)
 * without its HTTP client. swagger2openapi and its resolver each require
 * node-fetch-h2 when they load, which brings Node's https and http2 stacks
 * and a client of its own: 40 to 150 ms when required alone, for a client
 * that must never run here anyway. The harness fetches documents itself,
 * under its own rules (origin, allow-list, size and time bounds); the
 * converter is given `resolve: false` and a fetch that refuses, and while it
 * loads, the module it would have loaded is registered as that same refusal.
 * The registration is taken back once it has loaded, so anything else in the
 * process that requires node-fetch-h2 gets the real one; a program that
 * embeds the harness and then calls swagger2openapi itself to fetch must pass
 * its own `fetch` option.
 */
function loadConverter(): typeof Swagger2OpenApi {
  const require = createRequire(import.meta.url);
  const converterPath = require.resolve('swagger2openapi');
  const standIns: string[] = [];
  for (const dependent of [converterPath, createRequire(converterPath).resolve('oas-resolver')]) {
    const clientPath = createRequire(dependent).resolve('node-fetch-h2');
    if (require.cache[clientPath] !== undefined) continue;
    const standIn = new Module(clientPath);
    standIn.filename = clientPath;
    standIn.loaded = true;
    standIn.exports = Object.assign(refuseFetch, { default: refuseFetch });
    require.cache[clientPath] = standIn;
    standIns.push(clientPath);
  }
  try {
    return require('swagger2openapi') as typeof Swagger2OpenApi;
  } finally {
    for (const clientPath of standIns) delete require.cache[clientPath];
  }
}

/** What the converter gets for fetching: a refusal, should any path of it ever try. */
function refuseFetch(url: unknown): Promise<never> {
  return Promise.reject(new Error(`the Swagger 2.0 converter does not fetch (${String(url)}): references are resolved before conversion`));
}

/**
 * `{$ref, x-nullable: true}`, as go-swagger and NSwag write "this reference,
 * or null", becomes `{allOf: [{$ref}], x-nullable: true}`. The converter drops
 * every sibling of a `$ref`, this one with them, so a null there failed as
 * "must be object"; beside `allOf` it becomes `nullable: true`, which the 3.0
 * translation reads as "this schema, or null", as it reads `nullable` beside a
 * `$ref` in a 3.0 document.
 */
function keepNullableReferences(node: unknown, depth: number): void {
  if (depth > MAX_DEPTH || (!isRecord(node) && !Array.isArray(node))) return;
  const holder = node as Record<string, unknown>;
  for (const key of Object.keys(holder)) {
    const value = holder[key];
    if (isRecord(value) && typeof value.$ref === 'string' && value['x-nullable'] === true) {
      const { $ref, ...siblings } = value;
      holder[key] = { ...siblings, allOf: [{ $ref }] };
    } else {
      keepNullableReferences(value, depth + 1);
    }
  }
}

/** Moves each `x-s2o-warning` out of the document and into a located warning. */
function collectConverterWarnings(node: unknown, pointer: string, warnings: ProfileWarning[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    node.forEach((item, index) => collectConverterWarnings(item, joinPointer(pointer, index), warnings, depth + 1));
    return;
  }
  if (!isRecord(node)) return;
  if (WARNING_KEY in node) {
    warnings.push({ code: 'swagger2-conversion', message: `Swagger 2.0 conversion: ${String(node[WARNING_KEY])}`, location: pointer });
    delete node[WARNING_KEY];
  }
  for (const key of Object.keys(node)) collectConverterWarnings(node[key], joinPointer(pointer, key), warnings, depth + 1);
}
