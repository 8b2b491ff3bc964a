import { findMediaType, isJsonMediaType } from '../schema/response-lookup.js';
import { BODYLESS_STATUSES, error, fail, pass, skip, type ResponseCheck } from './check.js';
import { describeJsonFailure } from '../json-body.js';
import type { SchemaError } from '../results.js';
import { ValidationNotRun } from '../schema/validation-not-run.js';
import { schemaNameAt } from '../schema/schema-locations.js';

/** The body must validate against the schema documented for its status and media type. */
export const responseSchema: ResponseCheck = {
  kind: 'response',
  id: 'response-schema',
  scope: 'generic',
  title: 'Body matches the documented schema',
  description: 'A JSON response body parses as strict JSON (UTF-8, no BOM, no NaN) and validates against the schema documented for its status and media type; every error is reported with its JSON pointer.',
  run(context) {
    const { method, response, responseSpec, validators } = context;
    if (method === 'HEAD') return skip('HEAD responses carry no body');
    if (BODYLESS_STATUSES.has(response.status)) return skip(`a ${response.status} response has no body`);
    if (!responseSpec) return skip(`status ${response.status} is not documented, so there is no schema`);
    const header = response.headers['content-type'];
    const media = header ? findMediaType(responseSpec.content, header) : undefined;
    if (!media) return skip('no documented media type matches this response, so there is no schema');
    if (!media.schemaPointer) return skip(`no schema is documented for ${media.mediaRange}`);
    if (!isJsonMediaType(header ?? '')) return skip(`${header} is not a JSON media type; its body is not validated`);
    if (!validators.has(media.schemaPointer)) return skip(`the schema for ${media.mediaRange} could not be compiled (see profile warnings)`);
    if (response.truncated) {
      return error(`body cut off at the ${response.body.length}-byte limit, so it was not validated (raise --max-body)`);
    }
    const parsed = context.json();
    if (!parsed.ok && parsed.tooLarge) return error(`body ${parsed.reason}; not validated`);
    if (!parsed.ok) {
      return fail(`body is ${describeJsonFailure(parsed)}`, { expected: `JSON valid against ${media.mediaRange} schema`, actual: 'invalid JSON' });
    }
    let schemaErrors: SchemaError[];
    try {
      schemaErrors = validators.validate(media.schemaPointer, parsed.value);
    } catch (caught) {
      // Validation that could not finish proves nothing: an error, never a pass.
      if (caught instanceof ValidationNotRun) return error(`body ${caught.message}`);
      throw caught;
    }
    if (schemaErrors.length > 0) {
      const first = schemaErrors[0]!;
      const where = first.pointer === '' ? 'the body' : first.pointer;
      const more = schemaErrors.length > 1 ? ` (and ${schemaErrors.length - 1} more)` : '';
      // Named after the component a reader knows (instanceAdminStatsSchema), with the escaped pointer as detail.
      const name = first.schema ?? schemaNameAt(media.schemaPointer);
      return fail(`body does not match ${name === undefined ? 'the schema' : `schema ${name}`}: ${where} ${first.message}${more}`, {
        expected: `valid against ${name === undefined ? media.schemaPointer : `${name} (${media.schemaPointer})`}`,
        actual: `${schemaErrors.length} schema error${schemaErrors.length === 1 ? '' : 's'}`,
        schemaErrors,
      });
    }
    return pass(`body is valid against the ${media.mediaRange} schema for ${responseSpec.key}`);
  },
};
