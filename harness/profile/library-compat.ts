/**
 * swagger-parser refuses some documents before looking at them: an `openapi`
 * patch version it does not list (e.g. `3.0.9`), or a version it does not know (3.2), or a numeric `info.version`
 * (`version: 1.0` in YAML). Those are not reasons to stop a conformance run, so
 * the loader shows the library a compatible spelling and puts the original back.
 */
import { isRecord } from '../json-pointer.js';

/**
 * Adjusts `document` in place for swagger-parser; returns a function that puts
 * the `openapi` value back (call it on the object the library returns, which
 * may be the same one).
 *
 * @example
 *   const restore = makeLibraryCompatible(doc);
 *   const bundled = await SwaggerParser.bundle(path, doc, opts);
 *   restore(bundled);
 */
export function makeLibraryCompatible(document: Record<string, unknown>): (result: unknown) => void {
  const original = document['openapi'];
  if (typeof original === 'string') {
    // 3.2 for bundling ($refs are resolved alike); validateDocument never checks it against 3.1's schema.
    if (original.startsWith('3.1.') || original.startsWith('3.2.')) document['openapi'] = '3.1.0';
    else if (original.startsWith('3.0.')) document['openapi'] = '3.0.3';
  }
  const info = document['info'];
  // A number here is a YAML spelling slip, not a different version: keep its text.
  if (isRecord(info) && typeof info['version'] === 'number') info['version'] = String(info['version']);
  return (result: unknown) => {
    if (isRecord(result) && original !== undefined && 'openapi' in result) result['openapi'] = original;
  };
}
