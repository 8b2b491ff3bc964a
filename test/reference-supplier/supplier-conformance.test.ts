/**
 * The reference supplier against every bundled profile: each published
 * operation answers, with a token, a body valid against every profile that
 * describes it; the cross-cutting behaviours hold; OAuth, discovery and the
 * vendor claims work as documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { BUNDLED_PROFILE_IDS, readProfileDocument } from '../../fixtures/reference-supplier/bundled-profile-documents.js';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { packageRoot } from '../../harness/package-root.js';
import { referenceToken } from '../support/reference-token.js';
import { probeSupplier, publishedGetOperations } from './supplier-probe.js';

type Json = Record<string, unknown>;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** A validator for `#/paths/<path>/get/responses/<status>/content/<type>/schema` of a document. */
function responseValidator(document: Json, id: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const base = `https://interop-harness.example/${id}.json`;
  ajv.addSchema(document, base);
  return function validate(path: string, status: number, mediaType: string, body: unknown): string[] | null {
    const pointer = ['paths', path, 'get', 'responses', String(status), 'content', mediaType, 'schema'].map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');
    const responses = ((document['paths'] as Record<string, Json>)[path]?.['get'] as Json | undefined)?.['responses'] as Json | undefined;
    const response = responses?.[String(status)] as Json | undefined;
    if (!response) return null;
    const target = typeof response['$ref'] === 'string' ? `#${(response['$ref'] as string).slice(1)}/content/${encodeURIComponent(mediaType.replace('/', '~1'))}/schema` : `#/${pointer}`;
    const check = ajv.getSchema(base + target);
    if (!check) return null;
    return check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}

t.test('every published operation answers, valid against the published document and every profile', async (t) => {
  const { document, fingerprints } = await probeSupplier({ records: 25 });
  await t.resolves(SwaggerParser.validate(structuredClone(document) as never), '/openapi.json is valid OpenAPI 3.1');
  // The export's status and files exist only once an export is started: export.test.ts drives those operations.
  const ops = publishedGetOperations(document).filter((op) => !((op.node['tags'] ?? []) as string[]).includes('export'));
  t.ok(ops.length >= 27, `${ops.length} GET operations`);
  const validators = [['published', responseValidator(document, 'published')], ...BUNDLED_PROFILE_IDS.map((id) => [id, responseValidator(readProfileDocument(id), id)] as const)] as const;
  for (const op of ops) {
    const seen = fingerprints.get(op.operationId);
    t.equal(seen?.status, 200, `${op.operationId} 200`);
    const isPublic = Array.isArray(op.node['security']) && (op.node['security'] as unknown[]).length === 0;
    t.equal(seen?.withoutToken, isPublic ? 200 : 401, `${op.operationId} ${isPublic ? 'is public' : 'needs a token'}`);
    if (!isPublic) t.equal(seen?.withBadToken, 401, `${op.operationId} refuses a bad token`);
    t.ok(seen?.etag, `${op.operationId} sends an ETag`);
    t.equal(seen?.revalidated, 304, `${op.operationId} answers 304 to If-None-Match`);
    if (seen?.notFound) {
      t.equal(seen.notFound.status, 404, `${op.operationId} unknown id is 404`);
      t.equal(seen.notFound.mediaType, 'application/problem+json');
      t.match(seen.notFound.body, { type: String, title: String, status: 404, detail: String, instance: String });
    }
    if (seen?.walk) {
      t.ok(seen.walk.ended, `${op.operationId} pages end`);
      t.equal(new Set(seen.walk.ids).size, seen.walk.ids.length, `${op.operationId} no duplicates across pages`);
      t.ok(seen.walk.pageSizes.every((size) => size <= 7), `${op.operationId} honours limit`);
    }
    if (seen?.mediaType === 'application/json') {
      t.type(seen.body, 'object', `${op.operationId} body is an object`);
      t.notOk(Array.isArray(seen.body), `${op.operationId} body is not an array`);
    }
    let validated = 0;
    for (const [name, validate] of validators) {
      const errors = seen?.mediaType ? validate(op.path, seen.status, seen.mediaType, seen.rawBody) : null;
      if (errors === null) continue;
      validated++;
      t.same(errors, [], `${op.operationId} valid against ${name}`);
    }
    if (seen?.mediaType === 'application/json') t.ok(validated > 0, `${op.operationId} validated at least once`);
  }
  const people = fingerprints.get('listPeople');
  t.equal(people?.deprecation, '@1735689600', 'deprecated alias sends Deprecation');
  t.match(people?.sunset, /GMT$/, 'and Sunset');
  t.equal(fingerprints.get('listPersons')?.contentEncoding, 'br', 'a large page is br-encoded when accepted');
  t.match(fingerprints.get('listPersons')?.link, /^<\/v1\/persons\?limit=20&cursor=[^>]+>; rel="next"$/, 'Link rel="next"');
});

t.test('OAuth 2.0 client credentials', async (t) => {
  const supplier = await startReferenceSupplier({ records: 3, clientSecret: 'fixed-secret' });
  t.teardown(() => supplier.close());
  t.equal(supplier.clientId, 'demo-client');
  t.equal(supplier.clientSecret, 'fixed-secret');
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const inForm = await fetch(`${supplier.url}/oauth/token`, { method: 'POST', headers: form, body: 'grant_type=client_credentials&client_id=demo-client&client_secret=fixed-secret' });
  t.equal(inForm.status, 200);
  t.equal(inForm.headers.get('cache-control'), 'no-store');
  t.match(await inForm.json(), { access_token: String, token_type: 'Bearer', expires_in: 3600 });
  t.type(await referenceToken(supplier), 'string', 'HTTP Basic works too');
  const wrong = await fetch(`${supplier.url}/oauth/token`, { method: 'POST', headers: { ...form, authorization: `Basic ${Buffer.from('demo-client:nope').toString('base64')}` }, body: 'grant_type=client_credentials' });
  t.equal(wrong.status, 401);
  t.match(wrong.headers.get('content-type'), /^application\/problem\+json/);
  t.match(wrong.headers.get('www-authenticate'), /^Basic /);
  t.match(await wrong.json(), { status: 401, error: 'invalid_client', title: String, type: String });
  const grant = await fetch(`${supplier.url}/oauth/token`, { method: 'POST', headers: form, body: 'grant_type=password' });
  t.equal(grant.status, 400);
  t.match(await grant.json(), { status: 400, error: 'unsupported_grant_type' });
  const twice = await fetch(`${supplier.url}/oauth/token`, { method: 'POST', headers: { ...form, authorization: `Basic ${Buffer.from('demo-client:fixed-secret').toString('base64')}` }, body: 'grant_type=client_credentials&client_id=demo-client&client_secret=fixed-secret' });
  t.equal(twice.status, 400, 'two authentication methods are refused');
  const noToken = await fetch(`${supplier.url}/v1/persons`);
  t.equal(noToken.status, 401);
  t.equal(noToken.headers.get('www-authenticate'), 'Bearer realm="reference-supplier"');
  const badToken = await fetch(`${supplier.url}/v1/persons`, { headers: { authorization: 'Bearer nope' } });
  t.match(badToken.headers.get('www-authenticate'), /error="invalid_token"/);
  t.match(await badToken.json(), { status: 401, title: 'Unauthorized' });
  t.equal((await fetch(`${supplier.url}/v1/status`)).status, 200, 'status is public');
  const bad = await fetch(`${supplier.url}/v1/pole/changes?_since=yesterday`, { headers: { authorization: `Bearer ${await referenceToken(supplier)}` } });
  t.equal(bad.status, 400, 'a bad _since is a 400 problem');
  t.match(await bad.json(), { status: 400 });
});

t.test('evidence hashes, the access log and vendor claims', async (t) => {
  const supplier = await startReferenceSupplier({ records: 6 });
  t.teardown(() => supplier.close());
  const auth = { authorization: `Bearer ${await referenceToken(supplier)}` };
  const { createHash } = await import('node:crypto');
  const items = (await (await fetch(`${supplier.url}/v1/evidence/items`, { headers: auth })).json()) as { data: Array<{ contentUrl: string; sizeBytes: number; hash: { hashMethod: string; hashValue: string } }> };
  t.equal(items.data.length, 6);
  for (const item of items.data) {
    t.ok(item.contentUrl.startsWith(`${supplier.url}/v1/`), 'content on the same origin');
    const bytes = Buffer.from(await (await fetch(item.contentUrl, { headers: auth })).arrayBuffer());
    t.equal(bytes.length, item.sizeBytes);
    t.equal(createHash('sha256').update(bytes).digest('hex'), item.hash.hashValue, 'hashValue is the SHA-256 of the content');
  }
  const before = ((await (await fetch(`${supplier.url}/v1/audit-log?limit=100`, { headers: auth })).json()) as { data: unknown[] }).data.length;
  await fetch(`${supplier.url}/v1/pole/persons/PER-000002`, { headers: { ...auth, 'x-purpose': 'PURP_0003' } });
  const log = ((await (await fetch(`${supplier.url}/v1/audit-log?limit=100`, { headers: auth })).json()) as { data: Json[] }).data;
  t.equal(log.length, before + 1, 'a read of personal data is logged');
  t.match(log.at(-1), { clientId: 'demo-client', action: 'AUDA_0001', purpose: 'PURP_0003', subjectId: 'PER-000002', resource: '/v1/pole/persons/PER-000002' });

  const claims = (await (await fetch(`${supplier.url}/.well-known/interop-claims`)).json()) as { claims: Array<{ profile: string; version: string; optional: string[] }> };
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const validate = ajv.compile(JSON.parse(readFileSync(join(packageRoot(), 'profiles', 'interop-claims.schema.json'), 'utf8')) as Json);
  t.ok(validate(claims), `claims valid: ${JSON.stringify(validate.errors)}`);
  t.same(claims.claims.map((c) => c.profile).sort(), [...BUNDLED_PROFILE_IDS].sort(), 'every bundled profile is claimed');
  for (const claim of claims.claims) {
    const interop = readProfileDocument(claim.profile)['x-interop'] as { version: string; requirements: Array<{ id: string; level: string }> };
    t.equal(claim.version, interop.version, `${claim.profile} at its bundled version`);
    for (const id of claim.optional) t.match(interop.requirements.find((r) => r.id === id)?.level, /^(SHOULD|MAY)$/, `${id} is an optional requirement of ${claim.profile}`);
  }
});
