import type { OperationSpec, ProfileWarning } from '../profile/profile-types.js';
import { documentValue, isCredentialNamed, varKeys } from './plan-probe.js';
import type { ValueSource } from './sample-value.js';

/**
 * Warnings, before any request, for values the document gives a parameter
 * the plan fills from the document (a path parameter, a required one) that
 * the parameter's own schema refuses (`documentValue`): the plan sends
 * another, and the document's author should hear why. One per parameter,
 * however many operations share it.
 *
 * @example
 *   refusedExampleWarnings({}, operations, doc);
 *   // [{ code: 'example-breaks-schema', message: "listPersons's query parameter limit: its example 500 is above the maximum 100. A value its own schema refuses is not sent (…): its schema's default is sent instead", … }]
 */
export function refusedExampleWarnings(vars: Record<string, string>, operations: readonly OperationSpec[], document: unknown): ProfileWarning[] {
  const warnings = new Map<string, ProfileWarning>();
  for (const operation of operations) {
    for (const parameter of operation.parameters) {
      if ((parameter.in !== 'path' && !parameter.required) || isCredentialNamed(parameter)) continue;
      if (varKeys(parameter, operation.operationId).some((key) => Object.hasOwn(vars, key))) continue;
      const { sample, refused } = documentValue(document, parameter);
      if (refused.length === 0 || warnings.has(parameter.pointer)) continue;
      const what = refused.map((r) => `${whose(r.source)} ${JSON.stringify(r.value)} ${r.why}`).join('; ');
      // A path parameter takes an id from a list response first, where one fits.
      const generated = parameter.in === 'path' ? 'an id a list response gives, else a value generated from the schema,' : 'a value generated from the schema';
      const instead = sample ? `${whose(sample.source)} is sent instead` : `${generated} is sent instead`;
      warnings.set(parameter.pointer, {
        code: 'example-breaks-schema',
        message: `${operation.operationId}'s ${parameter.in} parameter ${parameter.name}: ${what}. A value its own schema refuses is not sent (the supplier would be right to refuse it too): ${instead}`,
        location: parameter.pointer,
      });
    }
  }
  return [...warnings.values()];
}

/** `its example`, `its schema's default`: where in the document a value was written. */
function whose(source: ValueSource): string {
  if (source === 'example') return 'its example';
  return `its schema's ${source === 'schema-example' ? 'example' : source}`;
}
