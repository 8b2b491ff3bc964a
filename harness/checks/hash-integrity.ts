import { createHash } from 'node:crypto';
import { getAtPointer, isRecord } from '../json-pointer.js';
import { findMediaType } from '../schema/response-lookup.js';
import { error, fail, pass, skip, type ProbeCheck } from './check.js';
import { walkWithSchema } from './walk-with-schema.js';

/** Items whose content is downloaded and hashed per probe: enough to catch a lie, bounded in traffic. */
export const MAX_ITEMS_HASHED = 3;

interface HashAnnotation {
  contentUrl: string;
  method: string;
  value: string;
}

interface HashedItem {
  at: string;
  contentUrl: string;
  method: unknown;
  value: unknown;
}

/**
 * Digital evidence is only evidence if it is intact (CASE/UCO ContentDataFacet
 * hashes; chief constables' commitment to share digital evidence). The harness
 * downloads an item's content from its URL and recomputes its SHA-256.
 * Reads `x-interop-hash` on the item's schema.
 */
export const hashIntegrity: ProbeCheck = {
  kind: 'probe',
  id: 'hash-integrity',
  scope: 'profile',
  title: 'Evidence hashes match content',
  description: `For up to ${MAX_ITEMS_HASHED} items per response whose schema carries x-interop-hash, the content at the item's content URL (on the supplier's origin) is downloaded and its SHA-256 equals the item's hashValue.`,
  async run({ response, responseSpec, request, document, json, send }) {
    const media = responseSpec && response.headers['content-type'] ? findMediaType(responseSpec.content, response.headers['content-type']) : undefined;
    if (!media?.schemaPointer) return skip('no documented schema for this response');
    const body = json();
    if (!body.ok) return skip('body is not valid JSON (response-schema reports it)');
    const items: HashedItem[] = [];
    walkWithSchema(document, media.schemaPointer, body.value, (schema, value, at) => {
      const annotation = readAnnotation(schema['x-interop-hash']);
      if (!annotation || !isRecord(value) || items.length >= MAX_ITEMS_HASHED) return;
      const contentUrl = getAtPointer(value, annotation.contentUrl);
      if (typeof contentUrl !== 'string') return;
      items.push({ at, contentUrl, method: getAtPointer(value, annotation.method), value: getAtPointer(value, annotation.value) });
    });
    if (items.length === 0) return skip('no hashed items in this response');
    const origin = new URL(request.url).origin;
    for (const item of items) {
      if (typeof item.method !== 'string' || item.method.replace(/[-_]/g, '').toUpperCase() !== 'SHA256') {
        return fail(`${item.at || '/'}: hash method ${JSON.stringify(item.method)} is not SHA-256`, { expected: 'SHA-256', actual: String(item.method) });
      }
      let url: URL;
      try {
        url = new URL(item.contentUrl, request.url);
      } catch {
        return fail(`${item.at || '/'}: content URL ${JSON.stringify(item.contentUrl)} is not a URL`);
      }
      // Credentials stay on the supplier's origin; content elsewhere cannot be verified here.
      if (url.origin !== origin) return skip(`${item.at || '/'}: content is on another origin (${url.origin}); not downloaded with credentials`);
      const download = await send({ method: 'GET', url: url.href, headers: { ...request.headers, accept: '*/*' }, followRedirects: true });
      if (!download.response) return { ...error(`not checked: ${download.transportError?.message ?? 'no response'}`), evidence: download.evidence };
      if (download.response.status !== 200) {
        return { ...fail(`${item.at || '/'}: content URL answered ${download.response.status}`, { expected: '200 with the content', actual: String(download.response.status) }), evidence: download.evidence };
      }
      if (download.response.truncated) return { ...error(`${item.at || '/'}: content larger than the body limit; hash not verified (raise --max-body)`), evidence: download.evidence };
      const actual = createHash('sha256').update(download.response.body).digest('hex');
      const claimed = typeof item.value === 'string' ? item.value.toLowerCase() : String(item.value);
      if (actual !== claimed) {
        return { ...fail(`${item.at || '/'}: content SHA-256 is ${actual}, but the item says ${claimed}`, { expected: claimed, actual }), evidence: download.evidence };
      }
    }
    return pass(`${items.length} item${items.length === 1 ? '' : 's'} downloaded; every SHA-256 matches`);
  },
};

function readAnnotation(raw: unknown): HashAnnotation | undefined {
  if (raw === true) return { contentUrl: '/contentUrl', method: '/hash/hashMethod', value: '/hash/hashValue' };
  if (!isRecord(raw)) return undefined;
  return {
    contentUrl: typeof raw.contentUrl === 'string' ? raw.contentUrl : '/contentUrl',
    method: typeof raw.method === 'string' ? raw.method : '/hash/hashMethod',
    value: typeof raw.value === 'string' ? raw.value : '/hash/hashValue',
  };
}
