import { isRecord, joinPointer } from '../json-pointer.js';
import { hasOas32Operations, pathItemOperations } from '../profile/path-item-operations.js';
import type { ServiceCheck } from './check.js';

const SHOWN_GAPS = 10;

/**
 * Maximum Transparency by Default: a product is understood by those who use
 * it. Every operation and every named schema in the supplier's own published
 * document says what it is (description) and shows what it looks like (example).
 */
export const documentationQuality: ServiceCheck = {
  kind: 'service',
  id: 'documentation-quality',
  scope: 'profile',
  title: 'Documented operations and schemas',
  description: 'Every operation in the supplier\'s published OpenAPI document has a summary or description, every named schema a description, and each an example (media type example(s), or schema example(s)).',
  async run({ publishedDocument }) {
    const published = await publishedDocument();
    if (!published.found) {
      return { method: 'GET', path: published.tried[0] ?? '/openapi.json', status: 'skip', message: `not checked: no published document (${published.reason})` };
    }
    const path = new URL(published.url).pathname;
    const gaps = documentationGaps(published.document);
    const detail = { evidence: published.evidence };
    if (gaps.length === 0) {
      return { method: 'GET', path, status: 'pass', message: 'every operation and schema has a description and an example', ...detail };
    }
    const more = gaps.length > SHOWN_GAPS ? ` (and ${gaps.length - SHOWN_GAPS} more)` : '';
    return {
      method: 'GET',
      path,
      status: 'fail',
      message: `${gaps.length} gap${gaps.length === 1 ? '' : 's'} in the published documentation: ${gaps.slice(0, SHOWN_GAPS).join('; ')}${more}`,
      expected: 'a description and an example on every operation and schema',
      actual: `${gaps.length} missing`,
      ...detail,
    };
  },
};

/** Each gap as `<pointer> has no <what>`. */
export function documentationGaps(document: Record<string, unknown>): string[] {
  const gaps: string[] = [];
  const paths = isRecord(document.paths) ? document.paths : {};
  const oas32 = hasOas32Operations(document);
  for (const [template, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const { operation, pointer: where } of pathItemOperations(item, joinPointer('/paths', template), oas32)) {
      if (!isRecord(operation)) continue;
      if (!nonEmpty(operation.description) && !nonEmpty(operation.summary)) gaps.push(`${where} has no description`);
      if (!operationHasExample(operation)) gaps.push(`${where} has no example`);
    }
  }
  const components = isRecord(document.components) ? document.components : {};
  const schemas = isRecord(components.schemas) ? components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isRecord(schema) || typeof schema.$ref === 'string') continue;
    const where = joinPointer('/components/schemas', name);
    if (!nonEmpty(schema.description)) gaps.push(`${where} has no description`);
    if (!('example' in schema) && !(Array.isArray(schema.examples) && schema.examples.length > 0)) gaps.push(`${where} has no example`);
  }
  return gaps;
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** An example anywhere a reader would look: a response or request media type, or a parameter. */
function operationHasExample(operation: Record<string, unknown>): boolean {
  const responses = isRecord(operation.responses) ? Object.values(operation.responses) : [];
  const bodies = [...responses, operation.requestBody];
  const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
  const hasContent = bodies.some((body) => isRecord(body) && isRecord(body.content) && Object.keys(body.content).length > 0);
  // An operation with no body and no parameter (a bare DELETE answering 204) has nothing to exemplify.
  if (!hasContent && parameters.length === 0) return true;
  for (const body of bodies) {
    const content = isRecord(body) && isRecord(body.content) ? Object.values(body.content) : [];
    for (const media of content) {
      if (!isRecord(media)) continue;
      if ('example' in media || (isRecord(media.examples) && Object.keys(media.examples).length > 0)) return true;
      if (isRecord(media.schema) && ('example' in media.schema || typeof media.schema.$ref === 'string')) return true;
    }
  }
  return parameters.some((p) => isRecord(p) && ('example' in p || isRecord(p.examples)));
}
