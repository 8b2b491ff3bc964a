/**
 * OpenAPI 3.1 schemas are JSON Schema 2020-12 and go to Ajv2020 nearly as written:
 * Ajv in non-strict mode ignores `discriminator`, `xml`, `externalDocs`, `example`
 * and `x-*`. What still needs rewriting is response semantics and habits carried
 * over from 3.0, each of which would otherwise flag a conformant supplier or make
 * Ajv refuse the schema:
 * - `writeOnly` properties are not required in responses;
 * - `discriminator` beside `oneOf`, or inherited by every branch through `allOf`, relaxes it to `anyOf` (the discriminator picks the branch);
 * - a leftover 3.0 `nullable: true` allows null (Ajv would otherwise throw on it without `type`);
 * - a leftover boolean `exclusiveMinimum`/`exclusiveMaximum` becomes numeric;
 * - `#/$defs/x` written relative to a component schema is repointed at it.
 */
import { translateDocument, type TranslatedDocument } from './oas30-schema.js';

/**
 * Prepare every schema of a 3.1 document for Ajv2020, without mutating it.
 * @example
 *   const t = prepareOas31Document(profile.document, pointers);
 *   ajv2020.addSchema(t.document, 'interop-harness:profile');
 */
export function prepareOas31Document(document: Record<string, unknown>, extraRoots: string[] = []): TranslatedDocument {
  return translateDocument(document, '3.1', extraRoots);
}
