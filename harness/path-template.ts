/**
 * The `{name}`s of a path template, in order, repeats included.
 *
 * @example pathTemplateNames('/orgs/{orgId}/notes/{noteId}') // ['orgId', 'noteId']
 */
export function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}
