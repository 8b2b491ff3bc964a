/**
 * The function a CommonJS package exports as `module.exports` (ajv-formats,
 * randexp, ret). Under NodeNext a default import of such a package is
 * `module.exports` itself, while their typings describe `{ default: … }`; a
 * bundler or another loader may hand over either, so both are accepted.
 *
 * @example const addFormats = commonjsDefault<FormatsPlugin>(addFormatsModule);
 */
export function commonjsDefault<T>(imported: unknown): T {
  return (typeof imported === 'function' ? imported : (imported as { default: unknown }).default) as T;
}
