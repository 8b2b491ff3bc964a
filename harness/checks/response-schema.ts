import { isJsonLinesMediaType, isJsonMediaType } from '../media-type.js';
import { findMediaType } from '../schema/response-lookup.js';
import { BODYLESS_STATUSES, error, fail, pass, serverErrorSkip, skip, warn, type CheckContext, type ResponseCheck } from './check.js';
import { describeJsonFailure, parseJsonBody } from '../json-body.js';
import type { Finding, SchemaError } from '../results.js';
import { ValidationNotRun } from '../schema/validation-not-run.js';
import { namedSchemaAt, schemaNameAt } from '../schema/schema-locations.js';
import { FORMAT_ANNOTATION, MAX_SCHEMA_ERRORS, onlyAnnotatedFormats, schemaProblemCount } from '../schema/schema-errors.js';
import { createLineSplitter, isBlankLine } from '../export/ndjson-lines.js';

/** The body must validate against the schema documented for its status and media type. */
export const responseSchema: ResponseCheck = {
  kind: 'response',
  id: 'response-schema',
  scope: 'generic',
  title: 'Body matches the documented schema',
  description: 'A JSON response body parses as strict JSON (UTF-8, no BOM, no NaN) and validates against the schema documented for its status and media type; every error is reported with its JSON pointer. A 5xx is left to server-error where it runs at a level no weaker. In OpenAPI 3.1 and later a body that breaks only formats is a warning: a format is an annotation there. A JSON Lines stream with an OpenAPI 3.2 itemSchema: each line is one item, validated against it (pointers start with the item\'s index).',
  run(context) {
    const { method, response, responseSpec, validators } = context;
    if (method === 'HEAD') return skip('HEAD responses carry no body');
    if (BODYLESS_STATUSES.has(response.status)) return skip(`a ${response.status} response has no body`);
    if (!responseSpec) return skip(`status ${response.status} is not documented, so there is no schema`);
    const serverError = serverErrorSkip(context);
    if (serverError) return serverError;
    const header = response.headers['content-type'];
    const media = header ? findMediaType(responseSpec.content, header) : undefined;
    if (!media) return skip('no documented media type matches this response, so there is no schema');
    if (!media.schemaPointer) {
      if (media.itemSchemaPointer && isJsonLinesMediaType(header ?? '')) return itemsFinding(context, media.mediaRange, media.itemSchemaPointer, responseSpec.key);
      if (media.itemSchemaPointer) return skip(`${media.mediaRange} is a stream whose items are not validated (only JSON Lines streams are)`);
      return skip(`no schema is documented for ${media.mediaRange}`);
    }
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
      const problems = schemaProblemCount(schemaErrors);
      const more = problems > 1 ? ` (and ${problems - 1} more)` : '';
      // Named after the component a reader knows (instanceAdminStatsSchema), with the escaped pointer as detail:
      // the message names the one the first error is in (an item's), what was expected the response's own.
      const name = first.schema ?? schemaNameAt(media.schemaPointer);
      const whole = namedSchemaAt(context.document, media.schemaPointer);
      const detail = {
        expected: `valid against ${whole === undefined ? media.schemaPointer : `${whole} (${media.schemaPointer})`}`,
        actual: `${problems} schema error${problems === 1 ? '' : 's'}`,
        schemaErrors,
      };
      if (onlyAnnotatedFormats(context.document, schemaErrors)) {
        return warn(`body breaks only formats of ${name === undefined ? 'the schema' : `schema ${name}`}: ${where} ${first.message}${more}; ${FORMAT_ANNOTATION}`, detail);
      }
      return fail(`body does not match ${name === undefined ? 'the schema' : `schema ${name}`}: ${where} ${first.message}${more}`, detail);
    }
    return pass(`body is valid against the ${media.mediaRange} schema for ${responseSpec.key}`);
  },
};

/**
 * A JSON Lines body against an OpenAPI 3.2 `itemSchema`: every line that is
 * not blank (JSON white space only) is one item, parsed strictly and validated
 * on its own. Errors point into the stream as if it were an array of its items
 * (`/2/name` is item 2's `name`), at most MAX_SCHEMA_ERRORS of them, as for
 * any body, within one body's validation time; the items are split as an
 * export's NDJSON is.
 */
function itemsFinding(context: CheckContext, mediaRange: string, itemSchemaPointer: string, statusKey: string): Finding {
  const { response, validators } = context;
  if (!validators.has(itemSchemaPointer)) return skip(`the item schema for ${mediaRange} could not be compiled (see profile warnings)`);
  if (response.truncated) return error(`body cut off at the ${response.body.length}-byte limit, so its items were not validated (raise --max-body)`);
  const errors: SchemaError[] = [];
  let items = 0;
  let unchecked = 0;
  /** Whether an item's errors past the bound were left out: what they were is unknown. */
  let errorsCut = false;
  let stop: Finding | undefined;
  const started = performance.now();
  const splitter = createLineSplitter(
    (line, lineNumber) => {
      if (stop || isBlankLine(line)) return;
      const index = items++;
      if (errors.length >= MAX_SCHEMA_ERRORS) {
        unchecked++;
        return;
      }
      // All items share one body's validation time (--timeout), not one each.
      if (performance.now() - started > validators.timeoutMs) {
        stop = error(`validating the stream's items took longer than ${validators.timeoutMs / 1000} s (--timeout); stopped at item ${index} (line ${lineNumber}), so it was not shown valid`);
        return;
      }
      const parsed = parseJsonBody(line, context.maxJsonValues);
      if (!parsed.ok && parsed.tooLarge) {
        stop = error(`item ${index} (line ${lineNumber}) ${parsed.reason}; not validated`);
        return;
      }
      if (!parsed.ok) {
        // The byte offset in the body, as for any other body: where a supplier looks for the fault.
        stop = fail(`item ${index} (line ${lineNumber}) is ${describeJsonFailure({ ...parsed, byte: lineOffset(response.body, lineNumber) + parsed.byte })}`, {
          expected: `one JSON text per line, each valid against the ${mediaRange} item schema`,
          actual: 'invalid JSON',
        });
        return;
      }
      try {
        for (const e of validators.validate(itemSchemaPointer, parsed.value)) {
          if (errors.length < MAX_SCHEMA_ERRORS) errors.push({ ...e, pointer: `/${index}${e.pointer}` });
          else errorsCut = true;
        }
      } catch (caught) {
        if (caught instanceof ValidationNotRun) stop = error(`item ${index} ${caught.message}`);
        else throw caught;
      }
    },
    // The whole body is in memory already, within --max-body: no line is too long to keep.
    { maxLineBytes: response.body.length, onOversizedLine: () => undefined },
  );
  splitter.write(response.body);
  splitter.end();
  // Errors found before a stop still stand: an item that could not be checked does not clear one that was.
  if (stop && (stop.status === 'fail' || errors.length === 0)) return stop;
  if (errors.length > 0) {
    const first = errors[0]!;
    const name = first.schema ?? schemaNameAt(itemSchemaPointer);
    const whole = namedSchemaAt(context.document, itemSchemaPointer);
    const problems = schemaProblemCount(errors);
    const more = problems > 1 ? ` (and ${problems - 1} more${unchecked > 0 ? `; ${unchecked} later item${unchecked === 1 ? '' : 's'} not checked` : ''})` : '';
    const detail = {
      expected: `every item valid against ${whole === undefined ? itemSchemaPointer : `${whole} (${itemSchemaPointer})`}`,
      actual: `${problems}${unchecked > 0 ? ' or more' : ''} schema error${problems === 1 ? '' : 's'} in ${items} item${items === 1 ? '' : 's'}`,
      schemaErrors: errors,
    };
    // Items not checked, or errors left out, may break more than a format: only a stream seen whole is a warning
    // (third review: a type error past the 50 kept made a stream of bad dates "conformant").
    if (unchecked === 0 && !errorsCut && !stop && onlyAnnotatedFormats(context.document, errors)) {
      return warn(`an item breaks only formats of ${name === undefined ? 'the item schema' : `item schema ${name}`}: ${first.pointer} ${first.message}${more}; ${FORMAT_ANNOTATION}`, detail);
    }
    return fail(`an item does not match ${name === undefined ? 'the item schema' : `item schema ${name}`}: ${first.pointer} ${first.message}${more}`, detail);
  }
  return pass(`each of the ${items} item${items === 1 ? '' : 's'} is valid against the ${mediaRange} item schema for ${statusKey}`);
}

/** Where line `lineNumber` (from 1) begins in the body. */
function lineOffset(body: Buffer, lineNumber: number): number {
  let offset = 0;
  for (let line = 1; line < lineNumber; line++) offset = body.indexOf(0x0a, offset) + 1;
  return offset;
}
