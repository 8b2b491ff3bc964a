import t, { type Test } from 'tap';
import { readProfileDocument } from '../../fixtures/reference-supplier/bundled-profile-documents.js';
import { startReferenceSupplier } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { referenceToken } from '../support/reference-token.js';

/**
 * The reference supplier's one writable collection, `/v1/incidents`, as the
 * incident profile documents it: a hand-over is stored and readable, a
 * withdrawal makes it unreadable, and a body that is not JSON (400), not
 * JSON at all (415) or not valid (422) stores nothing. The write defects
 * break exactly one of these.
 */

const newIncident = () => structuredClone(((readProfileDocument('incident')['components'] as Record<string, Record<string, { examples: unknown[] }>>)['schemas']!['NewIncident']!.examples[0]) as Record<string, unknown>);

async function supplierWithToken(t: Test, defects: string[] = []) {
  const supplier = await startReferenceSupplier({ defects });
  t.teardown(() => supplier.close());
  const token = await referenceToken(supplier);
  const send = (method: string, path: string, body?: string, type = 'application/json') =>
    fetch(`${supplier.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) }, ...(body === undefined ? {} : { body }) });
  const count = async () => Number((await send('GET', '/v1/incidents?limit=1')).headers.get('x-total-count'));
  return { send, count };
}

t.test('a hand-over is stored, readable at its Location, listed, and gone once withdrawn', async (t) => {
  const { send, count } = await supplierWithToken(t);
  const before = await count();
  const created = await send('POST', '/v1/incidents', JSON.stringify(newIncident()));
  t.equal(created.status, 201);
  const body = (await created.json()) as Record<string, unknown>;
  t.match(body, { id: /^INC-\d{6}$/, incidentType: 'INCT_0002', createdAt: /Z$/ });
  t.equal(created.headers.get('location'), `/v1/incidents/${body['id']}`);
  t.equal((await send('GET', `/v1/incidents/${body['id']}`)).status, 200);
  t.equal(await count(), before + 1, 'listed with the others');
  t.equal((await send('DELETE', `/v1/incidents/${body['id']}`)).status, 204);
  t.equal((await send('GET', `/v1/incidents/${body['id']}`)).status, 404);
  t.equal((await send('DELETE', `/v1/incidents/${body['id']}`)).status, 404, 'withdrawn once');
  t.equal(await count(), before);
});

t.test('invalid bodies are refused with the documented status and store nothing', async (t) => {
  const { send, count } = await supplierWithToken(t);
  const before = await count();
  const missing = newIncident();
  delete missing['status'];
  const cases: Array<[string, string, string, number]> = [
    ['malformed JSON', '{"incidentType": "INCT_0002",', 'application/json', 400],
    ['a missing required property', JSON.stringify(missing), 'application/json', 422],
    ['a wrong type', JSON.stringify({ ...newIncident(), relatedEventId: 42 }), 'application/json', 422],
    ['an unknown property', JSON.stringify({ ...newIncident(), priority: 'high' }), 'application/json', 422],
    ['a wrong Content-Type', JSON.stringify(newIncident()), 'text/plain', 415],
  ];
  for (const [what, body, type, status] of cases) {
    const response = await send('POST', '/v1/incidents', body, type);
    t.equal(response.status, status, `${what}: ${status}`);
    t.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8', `${what}: a problem document`);
  }
  t.equal(await count(), before, 'nothing stored');
});

t.test('each write defect breaks exactly its behaviour', async (t) => {
  {
    const { send } = await supplierWithToken(t, ['incident-created-unreadable']);
    const created = await send('POST', '/v1/incidents', JSON.stringify(newIncident()));
    t.equal(created.status, 201, 'incident-created-unreadable: still answers 201');
    t.equal((await send('GET', (created.headers.get('location') ?? '').replace(/^.*(?=\/v1\/)/, ''))).status, 404, 'but the incident cannot be read');
  }
  {
    const { send } = await supplierWithToken(t, ['incident-deleted-still-readable']);
    const id = ((await (await send('POST', '/v1/incidents', JSON.stringify(newIncident()))).json()) as { id: string }).id;
    t.equal((await send('DELETE', `/v1/incidents/${id}`)).status, 204, 'incident-deleted-still-readable: the DELETE answers 204');
    t.equal((await send('GET', `/v1/incidents/${id}`)).status, 200, 'but the incident is still served');
  }
  {
    const { send, count } = await supplierWithToken(t, ['incident-invalid-body-stored']);
    const before = await count();
    const invalid = await send('POST', '/v1/incidents', JSON.stringify({ ...newIncident(), priority: 'high' }));
    t.equal(invalid.status, 201, 'incident-invalid-body-stored: an unknown property is taken');
    t.equal(await count(), before + 1, 'and stored');
    t.equal((await send('POST', '/v1/incidents', '{', 'application/json')).status, 400, 'malformed JSON is still refused');
    t.equal((await send('POST', '/v1/incidents', JSON.stringify(newIncident()), 'text/plain')).status, 415, 'and so is another media type');
  }
  {
    const { send } = await supplierWithToken(t, ['incident-wrong-media-type-accepted']);
    t.equal((await send('POST', '/v1/incidents', JSON.stringify(newIncident()), 'text/plain')).status, 201, 'incident-wrong-media-type-accepted: text/plain is read as JSON');
    const missing = newIncident();
    delete missing['status'];
    t.equal((await send('POST', '/v1/incidents', JSON.stringify(missing))).status, 422, 'an invalid body is still refused');
  }
});
