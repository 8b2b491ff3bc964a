/**
 * The document's own response examples against their schemas: an example
 * its schema refuses is a fault of the document (appveyor's permission name
 * outside its enum, graphhopper's `osm_id` written as a number for a string),
 * and a mock serving it, or a supplier copying it, then fails for the
 * document's sake. For `lint-profile`, where an author looks; a run does not
 * compile every response schema to check examples it never sends.
 */
import { followLocalRef } from '../follow-local-ref.js';
import { getAtPointer, isRecord, joinPointer } from '../json-pointer.js';
import { isJsonMediaType } from '../media-type.js';
import type { LoadedProfile, ProfileWarning } from '../profile/profile-types.js';
import type { CompiledValidators } from './compile-validators.js';
import { onlyAnnotatedFormats } from './schema-errors.js';
import { ValidationNotRun } from './validation-not-run.js';

/** Findings past this many are summed up in one: a generated document can repeat one bad example thousands of times. */
const MAX_FINDINGS = 200;

/**
 * One `example-invalid` warning per response example (a media type's
 * `example`, or each of its `examples`' `value`) that its schema refuses,
 * naming the first error, and one `example-unchecked` per example that could
 * not be validated; a 3.1 example that breaks only formats, which are
 * annotations there, is not named.
 *
 * @example
 *   responseExampleWarnings(profile, compileValidators(profile));
 *   // [{ code: 'example-invalid', location: '/paths/~1things/get/responses/200/content/application~1json/example', message: 'the example does not match its schema: /id must be string, got number' }]
 */
export function responseExampleWarnings(profile: LoadedProfile, validators: CompiledValidators): ProfileWarning[] {
  const warnings: ProfileWarning[] = [];
  const seen = new Set<string>();
  let more = 0;
  for (const operation of profile.operations) {
    for (const response of operation.responses) {
      for (const media of response.content) {
        const pointer = media.schemaPointer;
        // Only JSON: an XML example is its text, which no schema of the JSON it does not describe takes (walmart's).
        if (pointer === undefined || !pointer.endsWith('/schema') || !isJsonMediaType(media.mediaRange) || !validators.has(pointer)) continue;
        const mediaPointer = pointer.slice(0, -'/schema'.length);
        // A response shared by $ref is one set of examples, however many operations use it.
        if (seen.has(mediaPointer)) continue;
        seen.add(mediaPointer);
        for (const example of examplesAt(profile.document, mediaPointer)) {
          // One Example object may serve several media types through $ref, each with a schema of its own:
          // judged against each, and each fault named once (the same fault against the same schema many
          // times over is one). A shared example (under components) is named by its own pointer, so the
          // message says which schema refused it.
          const finding = judged(profile.document, validators, pointer, example.value);
          const key = finding && `${example.pointer}\n${schemaIdentity(profile.document, pointer)}\n${finding.code}\n${finding.detail}`;
          if (key === undefined || seen.has(key)) continue;
          seen.add(key);
          const schema = example.pointer.startsWith(`${mediaPointer}/`) ? 'its schema' : `the schema at ${pointer}`;
          const message = finding!.code === 'example-unchecked' ? `the example could not be checked against ${schema} (${finding!.detail})` : `the example does not match ${schema}: ${finding!.detail}`;
          if (warnings.length >= MAX_FINDINGS) more++;
          else warnings.push({ code: finding!.code, location: example.pointer, message });
        }
      }
    }
  }
  if (more > 0) warnings.push({ code: 'example-invalid', location: '/paths', message: `and ${more} more examples that do not match their schemas, or could not be checked` });
  return warnings;
}

/** The schema at a pointer as one schema, however many responses name it: the target of a `$ref` that is all there is, else the pointer. */
function schemaIdentity(document: Record<string, unknown>, pointer: string): string {
  const schema = getAtPointer(document, pointer);
  return isRecord(schema) && typeof schema.$ref === 'string' && Object.keys(schema).length === 1 ? schema.$ref : pointer;
}

/** A media type's example values, each with where it is written. */
function examplesAt(document: Record<string, unknown>, mediaPointer: string): Array<{ value: unknown; pointer: string }> {
  const media = getAtPointer(document, mediaPointer);
  if (!isRecord(media)) return [];
  if ('example' in media) return [{ value: media.example, pointer: joinPointer(mediaPointer, 'example') }];
  if (!isRecord(media.examples)) return [];
  const found: Array<{ value: unknown; pointer: string }> = [];
  for (const name of Object.keys(media.examples)) {
    const at = joinPointer(mediaPointer, 'examples', name);
    const followed = followLocalRef(document, media.examples[name], at);
    // An example given by `externalValue` is a URL, not a value: not fetched.
    if (followed.ok && isRecord(followed.value) && 'value' in followed.value) found.push({ value: followed.value.value, pointer: joinPointer(followed.pointer, 'value') });
  }
  return found;
}

/**
 * The example against the schema at `pointer`: `example-invalid` with its first
 * error, said as a result says it; `example-unchecked` with why validation
 * could not finish (a run's `response-schema` would be an `error` on such a
 * body too); undefined when the value fits (or only breaks 3.1 formats).
 */
function judged(document: Record<string, unknown>, validators: CompiledValidators, pointer: string, value: unknown): { code: 'example-invalid' | 'example-unchecked'; detail: string } | undefined {
  let errors;
  try {
    errors = validators.validate(pointer, value);
  } catch (caught) {
    if (caught instanceof ValidationNotRun) return { code: 'example-unchecked', detail: caught.message.replace(/^could not be validated: /, '') };
    throw caught;
  }
  if (errors.length === 0 || onlyAnnotatedFormats(document, errors)) return undefined;
  const [first] = errors;
  return { code: 'example-invalid', detail: `${first!.pointer || '(the value)'} ${first!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` };
}
