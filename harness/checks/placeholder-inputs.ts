/**
 * Input sources that name a real resource: the user's (`var`), the supplier's
 * (`harvested` from a list, `created` for the run's own record), or the only
 * values the document allows (`const`, `enum`). A path parameter filled
 * otherwise holds a placeholder.
 */
const REAL_SOURCES: ReadonlySet<string> = new Set(['var', 'harvested', 'created', 'const', 'enum']);

/**
 * Whether a 401/403's challenge puts the refusal on the credentials (RFC 6750
 * section 3.1: `insufficient_scope`, `invalid_token`): then no placeholder
 * value is to blame, whatever the request's path held.
 *
 * @example
 *   challengeBlamesCredentials({ 'www-authenticate': 'Bearer error="insufficient_scope", scope="things:read"' }); // true
 */
export function challengeBlamesCredentials(headers: Readonly<Record<string, string>>): boolean {
  return /\berror\s*=\s*"?(insufficient_scope|invalid_token)\b/i.test(headers['www-authenticate'] ?? '');
}

/**
 * Path parameters whose values named no resource the harness knew of (the
 * document's example, a default, a generated value), from where each input
 * came (`in:name` to its source). The supplier may hold no record under such
 * a value: its 404 says so, and so may its 403 (some APIs answer 403 rather
 * than 404 for a record that does not exist or is not the caller's).
 *
 * @example
 *   placeholderPathInputs({ 'path:id': 'schema-example', 'path:org': 'var', 'query:q': 'generated' }); // ['id']
 */
export function placeholderPathInputs(sources: Readonly<Record<string, string>>): string[] {
  return Object.entries(sources)
    .filter(([input, source]) => input.startsWith('path:') && !REAL_SOURCES.has(source))
    .map(([input]) => input.slice('path:'.length));
}

/**
 * The inputs (`in:name`, or `body`) whose values the harness generated from
 * the schema rather than took from the user, the document or an earlier
 * response: a 4xx for an invented id says little about the supplier. `body:id`
 * is a create's own id the run put in place of its body example's: given the
 * answer's `status`, it counts only for a 400, 409 or 422.
 *
 * @example
 *   generatedInputs({ 'path:id': 'generated', 'query:q': 'example', body: 'generated' }); // ['path:id', 'body']
 */
export function generatedInputs(sources: Readonly<Record<string, string>>, status?: number): string[] {
  const generated = Object.keys(sources).filter((input) => sources[input] === 'generated');
  // The rest of the body is the document's own example: only a refusal of a value (400, 409, 422) may be of the id.
  return status === undefined || VALUE_REFUSALS.has(status) ? generated : generated.filter((input) => input !== 'body:id');
}

/**
 * The required parameters named like credentials the request went without
 * (`omitted`: no security scheme covers them, nothing gave them a value, and
 * the run never invents a key), when the answer's `status` may be about them:
 * a refusal of the request's values or of its credentials (400, 401, 403,
 * 422), not a 404, 405 or 415.
 *
 * @example
 *   omittedInputs({ 'header:ev-api-key': 'omitted', 'query:q': 'example' }, 422); // ['header:ev-api-key']
 *   omittedInputs({ 'header:ev-api-key': 'omitted' }, 405); // []
 */
export function omittedInputs(sources: Readonly<Record<string, string>>, status: number): string[] {
  return MISSING_VALUE_REFUSALS.has(status) ? Object.keys(sources).filter((input) => sources[input] === 'omitted') : [];
}

/** Statuses that may refuse a request for a value it lacks. */
const MISSING_VALUE_REFUSALS: ReadonlySet<number> = new Set([400, 401, 403, 422]);

/**
 * The omitted inputs as a message names them (`what`, then `label` with why),
 * and the --var that gives them.
 *
 * @example
 *   omittedValues(['header:ev-api-key']);
 *   // { what: 'header ev-api-key', label: 'the required header ev-api-key, which is named like a credential and was given no value', hint: '--var ev-api-key=<value>' }
 */
export function omittedValues(omitted: readonly string[]): { what: string; label: string; hint: string } {
  const what = omitted.map((input) => input.replace(':', ' ')).join(', ');
  const one = omitted.length === 1;
  return {
    what,
    label: `the required ${what}, ${one ? 'which is' : 'which are'} named like a credential and ${one ? 'was' : 'were'} given no value`,
    hint: varHint(omitted.map((input) => input.replace(/^[a-z]+:/, ''))),
  };
}

/** Statuses that refuse what a request carried, rather than the request itself (405, 415, a 404 route). */
const VALUE_REFUSALS: ReadonlySet<number> = new Set([400, 409, 422]);

/**
 * The placeholders a 403 may be about: the answer's record may not exist (some
 * APIs answer 403 rather than 404 for one), so the 403 does not show the
 * credentials refused. None when the answer is not a 403, when its challenge
 * puts the refusal on the credentials (`challengeBlamesCredentials`; a 401
 * always does), or when every path value named a real resource. The one rule
 * for status-code's verdict and for coverage's reason.
 *
 * @example
 *   refusedPlaceholders(403, false, { 'path:id': 'generated' }); // ['id']
 *   refusedPlaceholders(403, true, { 'path:id': 'generated' }); // []
 */
export function refusedPlaceholders(status: number | undefined, credentialsChallenged: boolean, sources: Readonly<Record<string, string>>): string[] {
  return status === 403 && !credentialsChallenged ? placeholderPathInputs(sources) : [];
}

/**
 * Whether a 403 to credentials may be about the request body rather than them:
 * the body is the document's example or generated from the schema (not the
 * user's), and the challenge does not blame the credentials. Directus answers
 * 403 to a comment on a collection that does not exist (its example's
 * `"collection": "projects"`), as it does for one the token may not read. The
 * one rule for status-code's verdict and for coverage's reason.
 *
 * @example
 *   refusedBody(403, false, { body: 'schema-example' }); // true
 *   refusedBody(403, false, { body: 'var' }); // false
 */
export function refusedBody(status: number | undefined, credentialsChallenged: boolean, sources: Readonly<Record<string, string>>): boolean {
  const body = sources.body;
  return status === 403 && !credentialsChallenged && body !== undefined && !REAL_SOURCES.has(body);
}

/** Where a body refused by `refusedBody` came from, for a message. */
export function describeBodySource(sources: Readonly<Record<string, string>>): string {
  return sources.body === 'generated' ? 'generated from its schema' : "the document's example";
}

/**
 * Each placeholder with where its value came from, for a message.
 *
 * @example
 *   describePlaceholders(['id'], { 'path:id': 'generated' }); // '{id} from generated'
 */
export function describePlaceholders(names: readonly string[], sources: Readonly<Record<string, string>>): string {
  return names.map((name) => `{${name}} from ${sources[`path:${name}`]}`).join(', ');
}

/**
 * What would replace generated inputs (`generatedInputs`) with real values:
 * `--var` for a parameter; for a generated body, which no `--var` reaches,
 * an example in the document. Nothing replaces `body:id`, the run's own id
 * in a create's example body (see `generatedValuesLabel`): empty when it is all.
 *
 * @example
 *   generatedValuesHint(['path:id', 'body']); // '--var id=<value>, and an example request body in the document (no --var reaches a body)'
 */
export function generatedValuesHint(generated: readonly string[]): string {
  const names = parameterNames(generated);
  const body = generated.includes('body') ? ['an example request body in the document (no --var reaches a body)'] : [];
  return [...(names.length > 0 ? [varHint(names)] : []), ...body].join(', and ');
}

/**
 * The generated inputs as a message names them.
 *
 * @example
 *   generatedValuesLabel(['path:id', 'body']); // 'id, the request body (generated from its schema)'
 *   generatedValuesLabel(['body:id']); // "the request body's own id (the run's, in place of its example's, so that an upsert cannot change an existing record)"
 */
export function generatedValuesLabel(generated: readonly string[]): string {
  return [
    ...parameterNames(generated),
    ...(generated.includes('body') ? ['the request body (generated from its schema)'] : []),
    ...(generated.includes('body:id') ? ["the request body's own id (the run's, in place of its example's, so that an upsert cannot change an existing record)"] : []),
  ].join(', ');
}

/** The parameters among generated inputs, by name (`path:id` -> `id`); the body's are not parameters. */
function parameterNames(generated: readonly string[]): string[] {
  return generated.filter((input) => input !== 'body' && !input.startsWith('body:')).map((input) => input.replace(/^[a-z]+:/, ''));
}

/**
 * The `--var` options that would replace placeholders with real values.
 *
 * @example
 *   varHint(['org', 'id']); // '--var org=<value> --var id=<value>'
 */
export function varHint(names: readonly string[]): string {
  return names.map((name) => `--var ${name}=<value>`).join(' ');
}
