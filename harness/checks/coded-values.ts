import { getAtPointer, isRecord } from '../json-pointer.js';
import { findMediaType } from '../schema/response-lookup.js';
import { fail, pass, skip, type ResponseCheck } from './check.js';
import { walkWithSchema } from './walk-with-schema.js';

const SHOWN = 5;

/**
 * iHub-style coded values: a field the profile ties to a code list
 * (`x-interop-code-list: GNDR`) carries a code-list identifier from
 * `x-interop.codeLists`, never free text such as "male".
 */
export const codedValues: ResponseCheck = {
  kind: 'response',
  id: 'coded-values',
  scope: 'profile',
  title: 'Coded values from the code lists',
  description: 'Every value of a field annotated x-interop-code-list is one of the identifiers in that code list (x-interop.codeLists).',
  run({ response, responseSpec, document, json }) {
    const media = responseSpec && response.headers['content-type'] ? findMediaType(responseSpec.content, response.headers['content-type']) : undefined;
    if (!media?.schemaPointer) return skip('no documented schema for this response');
    const body = json();
    if (!body.ok) return skip('body is not valid JSON (response-schema reports it)');
    const lists = codeLists(document);
    const wrong: string[] = [];
    let seen = 0;
    walkWithSchema(document, media.schemaPointer, body.value, (schema, value, pointer) => {
      const listName = schema['x-interop-code-list'];
      if (typeof listName !== 'string' || value === null || value === undefined) return;
      seen++;
      const list = lists.get(listName);
      if (!list) wrong.push(`${pointer}: code list ${listName} is not defined in x-interop.codeLists`);
      else if (typeof value !== 'string' || !list.has(value)) wrong.push(`${pointer}: ${JSON.stringify(value).slice(0, 60)} is not in code list ${listName}`);
    });
    if (seen === 0) return skip('no coded fields in this response');
    if (wrong.length > 0) {
      const more = wrong.length > SHOWN ? ` (and ${wrong.length - SHOWN} more)` : '';
      return fail(`${wrong.length} coded value${wrong.length === 1 ? '' : 's'} not from the code lists: ${wrong.slice(0, SHOWN).join('; ')}${more}`, {
        expected: 'code-list identifiers',
        actual: `${wrong.length} of ${seen} wrong`,
      });
    }
    return pass(`${seen} coded value${seen === 1 ? '' : 's'}, all from their code lists`);
  },
};

function codeLists(document: Record<string, unknown>): Map<string, Set<string>> {
  const raw = getAtPointer(document, '/x-interop/codeLists');
  const lists = new Map<string, Set<string>>();
  if (!isRecord(raw)) return lists;
  for (const [name, values] of Object.entries(raw)) {
    if (Array.isArray(values)) lists.set(name, new Set(values.filter((v): v is string => typeof v === 'string')));
  }
  return lists;
}
