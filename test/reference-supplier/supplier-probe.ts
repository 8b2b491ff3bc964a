/**
 * Probe every GET operation the reference supplier publishes, the way the
 * profile checks would, and reduce what came back to a comparable
 * fingerprint: shared by the conformance and defect-symptom tests.
 */
import { startReferenceSupplier, type StartReferenceSupplierOptions } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { referenceToken } from '../support/reference-token.js';

type Json = Record<string, unknown>;

/** One operation of the published document. */
export interface PublishedOperation {
  operationId: string;
  path: string;
  node: Json;
}

/** What one operation looked like from every angle a check takes. */
export interface OperationFingerprint {
  url: string;
  status: number;
  mediaType: string | null;
  etag: boolean;
  link: string | null;
  deprecation: string | null;
  sunset: string | null;
  contentEncoding: string | null;
  /** The body with this supplier's origin removed, so two suppliers compare equal. */
  body: unknown;
  /** The body as sent, for schema validation. */
  rawBody: unknown;
  revalidated: number | null;
  withoutToken: number;
  withBadToken: number;
  notFound: { status: number; mediaType: string | null; body: unknown } | null;
  walk: { ids: string[]; pageSizes: number[]; ended: boolean } | null;
}

/** Path values for every parameter name the profiles use. */
export const PATH_VALUES: Record<string, string> = {
  personId: 'PER-000001',
  eventId: 'EVT-000001',
  objectId: 'OBJ-000001',
  locationId: 'LOC-000001',
  relationshipId: 'REL-000001',
  itemId: 'EVI-000001',
  recordId: 'ATR-000001',
  incidentId: 'INC-000001',
};

/** GET operations of a document. @example publishedGetOperations(doc).map((op) => op.operationId) */
export function publishedGetOperations(document: Json): PublishedOperation[] {
  const found: PublishedOperation[] = [];
  for (const [path, item] of Object.entries(document['paths'] as Record<string, Json>)) {
    const node = item['get'] as Json | undefined;
    if (node) found.push({ operationId: String(node['operationId']), path, node });
  }
  return found;
}

function mediaTypeOf(response: Response): string | null {
  const type = response.headers.get('content-type');
  return type === null ? null : (type.split(';')[0] ?? '').trim().toLowerCase();
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function bodyOf(response: Response, origin = ''): Promise<unknown> {
  // Without our origin, so two suppliers on different ports compare equal.
  const text = origin ? (await response.text()).replaceAll(origin, '') : await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Start a supplier, fingerprint every published GET operation, stop it.
 *
 * @example const { fingerprints, document } = await probeSupplier({ defects: ['no-etag'] });
 */
export async function probeSupplier(options: StartReferenceSupplierOptions): Promise<{ document: Json; fingerprints: Map<string, OperationFingerprint>; token: string; url: string }> {
  const supplier = await startReferenceSupplier(options);
  try {
    const token = await referenceToken(supplier);
    const auth = { authorization: `Bearer ${token}` };
    // The document as a clean supplier publishes it decides what to probe, so a
    // defect that damages the document cannot hide operations from the probe.
    const clean = await startReferenceSupplier({ records: options.records ?? 25 });
    const cleanDocument = (await (await fetch(`${clean.url}/openapi.json`)).json()) as Json;
    await clean.close();
    const fingerprints = new Map<string, OperationFingerprint>();
    for (const op of publishedGetOperations(cleanDocument)) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => PATH_VALUES[name] ?? 'X');
      const url = supplier.url + path;
      const response = await fetch(url, { headers: { ...auth, 'accept-encoding': 'gzip, br' } });
      const etag = response.headers.get('etag');
      const text = await response.text();
      const fingerprint: OperationFingerprint = {
        url: path,
        status: response.status,
        mediaType: mediaTypeOf(response),
        etag: etag !== null,
        link: response.headers.get('link')?.replace(supplier.url, '') ?? null,
        deprecation: response.headers.get('deprecation'),
        sunset: response.headers.get('sunset'),
        contentEncoding: response.headers.get('content-encoding'),
        body: parseBody(text.replaceAll(supplier.url, '')),
        rawBody: parseBody(text),
        revalidated: etag === null ? null : (await fetch(url, { headers: { ...auth, 'if-none-match': etag } })).status,
        withoutToken: (await fetch(url)).status,
        withBadToken: (await fetch(url, { headers: { authorization: 'Bearer not-a-token' } })).status,
        notFound: null,
        walk: null,
      };
      if (/\{\w+\}$/.test(op.path) || op.path.endsWith('}/provenance')) {
        const missing = await fetch(supplier.url + op.path.replace(/\{(\w+)\}/g, 'NOPE-999999'), { headers: auth });
        fingerprint.notFound = { status: missing.status, mediaType: mediaTypeOf(missing), body: await bodyOf(missing, supplier.url) };
      }
      if (op.node['x-interop-pagination']) fingerprint.walk = await walk(`${url}${url.includes('?') ? '&' : '?'}limit=7`, auth);
      fingerprints.set(op.operationId, fingerprint);
    }
    return { document: cleanDocument, fingerprints, token, url: supplier.url };
  } finally {
    await supplier.close();
  }
}

/** Follow next links (Link header first, else links.next) for at most 30 pages. */
async function walk(first: string, headers: Record<string, string>): Promise<{ ids: string[]; pageSizes: number[]; ended: boolean }> {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let next: string | undefined = first;
  for (let page = 0; page < 30 && next; page++) {
    const response: Response = await fetch(next, { headers });
    const body = (await response.json()) as { data?: Array<{ id?: string }>; links?: { next?: string } };
    const data = body.data ?? [];
    pageSizes.push(data.length);
    ids.push(...data.map((item) => String(item.id)));
    const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    next = link ?? body.links?.next;
  }
  return { ids, pageSizes, ended: next === undefined };
}
