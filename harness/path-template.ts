/**
 * The `{name}`s of a path template, in order, repeats included.
 *
 * @example pathTemplateNames('/orgs/{orgId}/notes/{noteId}') // ['orgId', 'noteId']
 */
export function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}

/**
 * The concrete paths of a template, as a pattern: each `{name}` one segment (empty too where
 * `emptyValues`, as a negative case may send it), under an optional base path, a trailing slash allowed.
 *
 * @example templatePattern('/things/{id}', { base: '/api' }).test('/api/things/7') // true
 */
export function templatePattern(template: string, options: { base?: string; emptyValues?: boolean } = {}): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const value = options.emptyValues ? '[^/]*' : '[^/]+';
  const source = template.split(/(\{[^{}]*\})/).map((part) => (/^\{[^{}]*\}$/.test(part) ? value : escape(part))).join('');
  return new RegExp(`^${escape((options.base ?? '').replace(/\/+$/, ''))}${source}/?$`);
}
