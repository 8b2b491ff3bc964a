import { takesJsonText } from '../media-type.js';
import type { OperationSpec, ParameterSpec, ProfileWarning } from '../profile/profile-types.js';
import { schemaMismatch } from './fits-schema.js';
import { varKeys, varParameterValue } from './plan-probe.js';
import { changesState, type Lifecycle } from './write-plan.js';

/**
 * Warnings about `--var` values, before any request: a value that breaks the
 * schema of a parameter it fills (naming both; the value is still sent, as the
 * user asked), and a `--var` that fills no parameter of the operations probed.
 *
 * @example
 *   varWarnings({ tokenId: 'abc' }, operations, doc);
 *   // [{ code: 'var-breaks-schema', message: "--var tokenId: the value given does not match the pattern ^tok- of getToken's path parameter tokenId …", … }]
 */
export function varWarnings(vars: Record<string, string>, operations: readonly OperationSpec[], document: unknown): ProfileWarning[] {
  const warnings: ProfileWarning[] = [];
  const used = new Set<string>();
  for (const operation of operations) {
    for (const parameter of operation.parameters) {
      const key = varKeys(parameter, operation.operationId).find((k) => Object.hasOwn(vars, k));
      if (key === undefined) continue;
      used.add(key);
      const why = varMismatch(document, parameter, vars[key]!);
      if (why) {
        warnings.push({
          code: 'var-breaks-schema',
          message: `--var ${key}: the value given ${why} of ${operation.operationId}'s ${parameter.in} parameter ${parameter.name} (its schema); it is sent as given`,
          location: parameter.pointer,
        });
      }
    }
  }
  const schemes = securitySchemeNames(document);
  for (const key of Object.keys(vars)) {
    if (used.has(key) || schemes.has(key)) continue;
    // A bare name also fills path segments that no parameter object declares.
    if (operations.some((o) => o.path.includes(`{${key}}`))) continue;
    // A scoped or placed name (`getThing.id`, `query:q`) already says where; a bare one may be an optional parameter's.
    const how = /[.:]/.test(key)
      ? 'no operation probed has that parameter'
      : `a bare name fills path and required parameters only; use query:${key}=…, header:${key}=… or <operationId>.${key}=… for optional ones`;
    warnings.push({
      code: 'var-unused',
      message: `--var ${key} fills no parameter of the operations probed (${how}; a request body's fields are not parameters, and no --var reaches them)`,
      location: '/paths',
    });
  }
  return warnings;
}

/**
 * Warnings for `--var`s scoped to a lifecycle's write of its own record
 * (`deleteById.id`): with --allow-writes those requests act only on
 * the record the run created, so the value is never sent. Safe, but the user
 * who named it should hear so (LoopBack's `--var TodoController.deleteById.id=2`
 * was dropped without a word).
 *
 * @example
 *   ownRecordVarWarnings({ 'deleteById.id': '2' }, writePlan.lifecycles);
 *   // [{ code: 'var-unused', message: '--var deleteById.id is not sent: with --allow-writes, deleteById acts only on the record the run creates, whose id fills {id}', … }]
 */
export function ownRecordVarWarnings(vars: Record<string, string>, lifecycles: readonly Lifecycle[]): ProfileWarning[] {
  const warnings: ProfileWarning[] = [];
  const visit = (lifecycle: Lifecycle): void => {
    // Writes only: a read of the record is also a read of the run's read phase, where the --var is sent.
    const ownRecordOperations = [...lifecycle.entries.flatMap((entry) => (entry.kind === 'step' ? [entry.operation] : [])), lifecycle.remove].filter(changesState);
    for (const operation of new Set(ownRecordOperations)) {
      const parameter = operation.parameters.find((p) => p.in === 'path' && p.name === lifecycle.idParam);
      if (!parameter) continue;
      for (const key of varKeys(parameter, operation.operationId).filter((k) => k.startsWith(`${operation.operationId}.`) && Object.hasOwn(vars, k))) {
        warnings.push({
          code: 'var-unused',
          message: `--var ${key} is not sent: with --allow-writes, ${operation.operationId} acts only on the record the run creates, whose id fills {${lifecycle.idParam}}`,
          location: parameter.pointer,
        });
      }
    }
    for (const entry of lifecycle.entries) if (entry.kind === 'child') visit(entry.lifecycle);
  };
  for (const lifecycle of lifecycles) visit(lifecycle);
  return warnings;
}

/**
 * Why a --var's text breaks the parameter's schema. An array's text is its
 * items (`varParameterValue`). A parameter written as
 * JSON (`content: application/json`) takes the JSON text: it must parse, and
 * the value it spells is checked member by member (LoopBack's `filter`
 * refuses a member its schema does not list with a 400).
 */
function varMismatch(document: unknown, parameter: ParameterSpec, text: string): string | undefined {
  const json = parameter.mediaType !== undefined && takesJsonText(parameter.mediaType);
  // An array's items, as the plan sends them (`id,name`): each is judged by the items' schema.
  let value: unknown = varParameterValue(document, parameter, text);
  if (json) {
    try {
      value = JSON.parse(text);
    } catch {
      return `is not the JSON text asked for by the media type ${parameter.mediaType}`;
    }
  }
  return parameter.schema === undefined ? undefined : schemaMismatch(document, parameter.schema, value, { json });
}

/** Names a --var may carry a credential under: security scheme keys and API key parameter names. */
function securitySchemeNames(document: unknown): Set<string> {
  const names = new Set<string>();
  const schemes = (document as { components?: { securitySchemes?: unknown } } | null)?.components?.securitySchemes;
  if (schemes === null || typeof schemes !== 'object') return names;
  for (const [key, scheme] of Object.entries(schemes)) {
    names.add(key);
    const name = (scheme as { name?: unknown } | null)?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}
