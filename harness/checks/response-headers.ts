import { ownValue } from '../json-pointer.js';
import type { SchemaError } from '../results.js';
import { ValidationNotRun } from '../schema/validation-not-run.js';
import { error, fail, pass, serverErrorSkip, skip, warn, type ResponseCheck } from './check.js';
import { FORMAT_ANNOTATION, onlyAnnotatedFormats } from '../schema/schema-errors.js';
import type { CompiledValidators } from '../schema/compile-validators.js';
import { isJsonMediaType } from '../media-type.js';

/** Documented `required: true` headers must be present; documented headers that are present must be valid. */
export const responseHeaders: ResponseCheck = {
  kind: 'response',
  id: 'response-headers',
  scope: 'generic',
  title: 'Documented response headers',
  description: 'Every response header the profile marks required is present, and every documented header that is present has a value valid against its schema; a 5xx is left to server-error where it runs at a level no weaker (in OpenAPI 3.1 and later, a value that breaks only a format is a warning: a format is an annotation there).',
  run(context) {
    const { response, responseSpec, validators, document } = context;
    if (!responseSpec) return skip(`status ${response.status} is not documented, so there are no headers to compare`);
    const serverError = serverErrorSkip(context);
    if (serverError) return serverError;
    // OpenAPI says a documented Content-Type header is ignored: the media type covers it.
    const documented = responseSpec.headers.filter((h) => h.name.toLowerCase() !== 'content-type');
    if (documented.length === 0) return skip(`no response headers are documented for ${responseSpec.key}`);
    const missing: string[] = [];
    const invalid: SchemaError[] = [];
    const present: string[] = [];
    for (const header of documented) {
      const raw = ownValue(response.headers, header.name.toLowerCase());
      if (raw === undefined) {
        if (header.required) missing.push(header.name);
        continue;
      }
      present.push(header.name);
      if (header.schemaPointer && validators.has(header.schemaPointer)) {
        let errors: SchemaError[];
        try {
          errors = header.mediaType === undefined ? validators.validateHeader(header.schemaPointer, raw) : contentHeaderErrors(header.schemaPointer, header.mediaType, raw, validators);
        } catch (caught) {
          // A schema the validator cannot finish (self-recursive): not verified, so an error, never a pass.
          if (caught instanceof ValidationNotRun) return error(`header ${header.name} ${caught.message}`);
          throw caught;
        }
        for (const e of errors) {
          // Every header is text: "must be boolean, got string" said nothing of what came (Prism sends the text `null`).
          const said = e.keyword === 'type' && e.pointer === '' ? e.message.replace(/, got string$/, `, got the text ${JSON.stringify(raw.slice(0, 60))}`) : e.message;
          invalid.push({ ...e, pointer: `/${header.name}${e.pointer}`, message: `header ${header.name} ${said}` });
        }
      }
    }
    if (missing.length > 0) {
      return fail(`required header${missing.length === 1 ? '' : 's'} missing: ${missing.join(', ')}`, {
        expected: documented.filter((h) => h.required).map((h) => h.name).join(', '),
        actual: `missing ${missing.join(', ')}`,
        ...(invalid.length > 0 ? { schemaErrors: invalid } : {}),
      });
    }
    if (invalid.length > 0) {
      const detail = { expected: 'header values valid against their documented schemas', actual: invalid.map((e) => e.value ?? '').join(', '), schemaErrors: invalid };
      const message = invalid[0]!.message + (invalid.length > 1 ? ` (and ${invalid.length - 1} more)` : '');
      return onlyAnnotatedFormats(document, invalid) ? warn(`${message}: ${FORMAT_ANNOTATION}`, detail) : fail(message, detail);
    }
    // Name only what came: an optional header that was not sent was neither present nor checked.
    const absent = documented.filter((h) => !present.includes(h.name)).map((h) => h.name);
    const absentNote = absent.length === 0 ? '' : `; optional, not sent: ${absent.join(', ')}`;
    // Nothing required and nothing sent: nothing was checked, so no pass is claimed.
    if (present.length === 0) return skip(`none of the documented headers was sent, and none is required (${absent.join(', ')})`);
    return pass(`documented headers present and valid: ${present.join(', ')}${absentNote}`);
  },
};

/**
 * The errors of a header described by `content`: its value is text in that
 * media type (OpenAPI's Header Object follows the Parameter Object), so an
 * `application/json` header's value is parsed and the JSON validated, where a
 * `simple` reading of `{"v":1}` is a string that no object schema takes (found
 * with Mockoon). A value in another media type is read as any header's is:
 * `text/plain` `100` under `type: integer` is the number (review: read as the
 * string alone, it failed).
 */
function contentHeaderErrors(schemaPointer: string, mediaType: string, raw: string, validators: CompiledValidators): SchemaError[] {
  if (!isJsonMediaType(mediaType)) return validators.validateHeader(schemaPointer, raw);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return [{ pointer: '', keyword: 'contentMediaType', schemaPath: schemaPointer, message: `is not JSON, which its media type ${mediaType} says it is` }];
  }
  return validators.validate(schemaPointer, value);
}
