/**
 * The reference supplier's bulk export over real HTTP: kick-off, status,
 * manifest and files (NDJSON and CSV), `_type` and `_since`, PATCH, cancel,
 * a million generated persons in flat memory, and the symptom of every
 * planted export defect.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import t, { type Test } from 'tap';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { DEFECTS } from '../../fixtures/defects/index.js';
import { readProfileDocument } from '../../fixtures/reference-supplier/bundled-profile-documents.js';
import { createReferenceSupplier, encodeCursor } from '../../fixtures/reference-supplier/create-reference-supplier.js';
import { MAX_EXPORT_JOBS } from '../../fixtures/reference-supplier/export-jobs.js';
import { generatePerson } from '../../fixtures/reference-supplier/generated-person.js';
import { DEFAULT_SEED } from '../../fixtures/reference-supplier/seed-data.js';
import { startReferenceSupplier, type RunningReferenceSupplier, type StartReferenceSupplierOptions } from '../../fixtures/reference-supplier/start-reference-supplier.js';
import { referenceToken } from '../support/reference-token.js';

type Json = Record<string, unknown>;
interface ExportFile {
  type: string;
  url: string;
  count: number;
  sha256: string;
  fileSize: number;
}
interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: ExportFile[];
  error: unknown[];
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const PROFILE_ID = 'https://interop-harness.example/profiles/data-export/openapi.json';
const profile = readProfileDocument('data-export');
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(profile, PROFILE_ID);
const validators = {
  manifest: ajv.getSchema(`${PROFILE_ID}#/components/schemas/ExportManifest`)!,
  person: ajv.getSchema(`${PROFILE_ID}#/components/schemas/Person`)!,
  event: ajv.getSchema(`${PROFILE_ID}#/components/schemas/Event`)!,
};
const PERSON_COLUMNS = Object.keys(((profile['components'] as Json)['schemas'] as Record<string, { properties: Json }>)['Person']!.properties);

/** A running supplier with a token, closed when the test ends. */
interface Session {
  supplier: RunningReferenceSupplier;
  url: string;
  get(url: string, headers?: Record<string, string>): Promise<Response>;
  send(method: string, url: string, init?: { headers?: Record<string, string>; body?: string }): Promise<Response>;
}

async function session(t: Test, options: StartReferenceSupplierOptions = {}): Promise<Session> {
  const supplier = await startReferenceSupplier(options);
  t.teardown(() => supplier.close());
  const authorization = `Bearer ${await referenceToken(supplier)}`;
  const send: Session['send'] = (method, url, init = {}) => fetch(url.startsWith('http') ? url : supplier.url + url, { method, headers: { authorization, ...init.headers }, ...(init.body === undefined ? {} : { body: init.body }) });
  return { supplier, url: supplier.url, send, get: (url, headers) => send('GET', url, { headers: headers ?? {} }) };
}

/** Kick off an export and return its status URL. */
async function kickoff(t: Test, s: Session, query = ''): Promise<string> {
  const response = await s.get(`/v1/$export${query}`, { prefer: 'respond-async' });
  t.equal(response.status, 202, `kick-off${query} is accepted`);
  const location = response.headers.get('content-location');
  if (!location) throw new Error('no Content-Location');
  return location;
}

/**
 * Poll (without honouring Retry-After, to keep the test fast) until the status is no longer 202.
 * The deadline only stops a poll that would never end: a million persons hash in about 2.5 s on
 * an idle machine and took over 15 s on a loaded one.
 */
async function waitForManifest(s: Session, location: string, onPoll: (response: Response) => void = () => {}): Promise<Manifest> {
  const deadline = Date.now() + 100_000;
  for (;;) {
    const response = await s.get(location);
    onPoll(response);
    if (response.status === 200) return (await response.json()) as Manifest;
    if (response.status !== 202 || Date.now() > deadline) throw new Error(`status answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function download(s: Session, url: string): Promise<{ response: Response; bytes: Buffer }> {
  const response = await s.get(url);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const ndjsonLines = (bytes: Buffer): string[] => bytes.toString('utf8').split('\n').slice(0, -1);
const fileOf = (manifest: Manifest, type: string): ExportFile => {
  const file = manifest.output.find((entry) => entry.type === type);
  if (!file) throw new Error(`no ${type} file in the manifest`);
  return file;
};

/** Download a file and check that the manifest tells the truth about it. */
async function verifiedFile(t: Test, s: Session, file: ExportFile): Promise<Buffer> {
  const { response, bytes } = await download(s, file.url);
  t.equal(response.status, 200, `${file.type} file 200`);
  t.equal(bytes.length, file.fileSize, `${file.type}: fileSize is the bytes served`);
  t.equal(sha256(bytes), file.sha256, `${file.type}: sha256 is the hash of the bytes served`);
  return bytes;
}

t.test('kick-off, status, manifest and NDJSON files, each as the manifest says', async (t) => {
  const s = await session(t, { records: 25 });
  const kick = await s.get('/v1/$export?_type=person,event', { prefer: 'respond-async' });
  t.equal(kick.status, 202);
  t.equal(await kick.text(), '', 'no body');
  const location = kick.headers.get('content-location') ?? '';
  t.match(location, new RegExp(`^${s.url}/v1/export-jobs/[0-9a-f]{32}$`), 'absolute, on the supplier\'s own origin, unguessable');

  const first = await s.get(location);
  t.equal(first.status, 202, 'the first poll is always 202');
  t.equal(first.headers.get('retry-after'), '1');
  t.match(first.headers.get('x-progress'), /^\d+ of 50 records$/);
  t.equal(await first.text(), '', 'no body while running');

  let expires: string | null = null;
  let etag: string | null = null;
  const manifest = await waitForManifest(s, location, (response) => {
    expires = response.headers.get('expires');
    etag = response.headers.get('etag');
  });
  t.ok(validators.manifest(manifest), `manifest valid: ${JSON.stringify(validators.manifest.errors)}`);
  t.ok(Date.parse(expires ?? '') > Date.now(), `Expires in the future: ${expires}`);
  t.equal(manifest.request, `${s.url}/v1/$export?_type=person,event`);
  t.equal(manifest.requiresAccessToken, true);
  t.match(manifest.transactionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'millisecond precision');
  t.same(manifest.output.map((file) => file.type), ['person', 'event']);
  t.same(manifest.error, []);
  t.equal((await s.get(location, { 'if-none-match': etag ?? '' })).status, 304, 'the manifest revalidates');

  for (const file of manifest.output) {
    t.ok(file.url.startsWith(`${s.url}/v1/export-files/`), `${file.type} file on the own origin`);
    const bytes = await verifiedFile(t, s, file);
    const lines = ndjsonLines(bytes);
    t.equal(lines.length, file.count, `${file.type}: count is the lines served`);
    const records = lines.map((line) => JSON.parse(line) as Json);
    const validate = validators[file.type as 'person' | 'event'];
    t.ok(records.every((record) => validate(record)), `every ${file.type} line is valid: ${JSON.stringify(validate.errors)}`);
    t.equal(new Set(records.map((record) => record['id'])).size, records.length, 'no duplicates');
    const list = (await (await s.get(`/v1/${file.type}s?limit=100`)).json()) as { data: Json[] };
    t.same(records, list.data, `the ${file.type} file holds exactly what the list holds, in its order`);

    const again = await s.get(file.url);
    t.equal(again.headers.get('content-type'), 'application/x-ndjson');
    t.equal(again.headers.get('etag'), `"${file.sha256}"`, 'a strong ETag from the hash');
    await again.arrayBuffer();
    t.equal((await s.get(file.url, { 'if-none-match': `"${file.sha256}"` })).status, 304);
  }
  t.equal((await fetch(location)).status, 401, 'the status needs a token');
  t.equal((await fetch(fileOf(manifest, 'person').url)).status, 401, 'so do the files');
});

t.test('_type narrows the export; bad parameters are 400 problems', async (t) => {
  const s = await session(t, { records: 5 });
  const manifest = await waitForManifest(s, await kickoff(t, s, '?_type=event'));
  t.same(manifest.output.map((file) => file.type), ['event'], 'only the type asked for');
  t.equal(fileOf(manifest, 'event').count, 5);
  for (const query of ['?_type=vehicle', '?_type=', '?_since=yesterday', '?_since=2024-01-01', '?_outputFormat=application/zip', '?_type=person&_type=event', `?_type=${'person,'.repeat(40)}person`]) {
    const response = await s.get(`/v1/$export${query}`);
    t.equal(response.status, 400, `${query} is refused`);
    t.match(response.headers.get('content-type'), /^application\/problem\+json/);
    t.match(await response.json(), { status: 400, title: String, detail: String });
  }
  t.equal((await fetch(`${s.url}/v1/$export`)).status, 401, 'the kick-off needs a token');
  const unknown = await s.get('/v1/export-jobs/0123456789abcdef0123456789abcdef');
  t.equal(unknown.status, 404);
  t.match(await unknown.json(), { status: 404, title: 'Not found' });
  t.equal((await s.get('/v1/export-files/0123456789abcdef0123456789abcdef/person.ndjson')).status, 404);
});

t.test('PATCH changes updatedAt; _since then exports just that person; a running export keeps its snapshot', async (t) => {
  const s = await session(t, { records: 25 });
  const before = new Date().toISOString();
  const patch = (id: string, body: string, type = 'application/merge-patch+json') => s.send('PATCH', `/v1/persons/${id}`, { headers: { 'content-type': type }, body });
  const changed = await patch('PER-000003', JSON.stringify({ nickname: 'Export probe' }));
  t.equal(changed.status, 200);
  const person = (await changed.json()) as Json;
  t.ok(validators.person(person), 'the answer is a Person');
  t.equal(person['nickname'], 'Export probe');
  t.match(person['updatedAt'], /\.\d{3}Z$/, 'updatedAt to the millisecond');
  t.ok(String(person['updatedAt']) >= before, 'updatedAt is the time of the change');
  t.same(await (await s.get('/v1/persons/PER-000003')).json(), person, 'the single GET shows the change');

  const incremental = await waitForManifest(s, await kickoff(t, s, `?_since=${encodeURIComponent(before)}`));
  const persons = ndjsonLines(await verifiedFile(t, s, fileOf(incremental, 'person'))).map((line) => JSON.parse(line) as Json);
  t.same(persons, [person], 'exactly the changed person');
  t.equal(fileOf(incremental, 'event').count, 0, 'no event occurred after _since');
  const full = await waitForManifest(s, await kickoff(t, s));
  t.equal(fileOf(full, 'person').count, 25, 'without _since, everyone');

  // A later change must not alter files of an export already started.
  const location = await kickoff(t, s, '?_type=person');
  t.equal((await patch('PER-000003', JSON.stringify({ nickname: null }), 'application/json')).status, 200, 'application/json is accepted too');
  const snapshot = await waitForManifest(s, location);
  const bytes = await verifiedFile(t, s, fileOf(snapshot, 'person'));
  t.match(bytes.toString('utf8'), /"id":"PER-000003"[^\n]*"nickname":"Export probe"/, 'the file shows the person as at kick-off');

  for (const [body, why] of [['{"nickname":7}', 'a number'], ['{"givenName":"X"}', 'another field'], ['{}', 'nothing'], ['[]', 'not an object'], ['{nope', 'not JSON'], [JSON.stringify({ nickname: 'x'.repeat(101) }), 'too long']] as const) {
    const response = await patch('PER-000001', body);
    t.equal(response.status, 400, `${why} is refused`);
    t.match(response.headers.get('content-type'), /^application\/problem\+json/);
  }
  t.equal((await patch('PER-999999', '{"nickname":"x"}')).status, 404);
  t.equal((await fetch(`${s.url}/v1/persons/PER-000001`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"nickname":"x"}' })).status, 401);
});

t.test('DELETE cancels: the status and the files then answer 404', async (t) => {
  const s = await session(t, { records: 5 });
  const location = await kickoff(t, s);
  const manifest = await waitForManifest(s, location);
  const cancelled = await s.send('DELETE', location);
  t.equal(cancelled.status, 202);
  t.equal(await cancelled.text(), '');
  t.equal((await s.get(location)).status, 404, 'the status is gone');
  t.equal((await s.get(fileOf(manifest, 'person').url)).status, 404, 'and its files');
  t.equal((await s.send('DELETE', location)).status, 404, 'a second DELETE finds nothing');
  const running = await kickoff(t, s);
  t.equal((await s.send('DELETE', running)).status, 202, 'a running export can be cancelled too');
  t.equal((await s.get(running)).status, 404);
});

t.test(`at most ${MAX_EXPORT_JOBS} exports are kept: one more drops the oldest`, async (t) => {
  const s = await session(t, { records: 1 });
  const locations: string[] = [];
  for (let started = 0; started <= MAX_EXPORT_JOBS; started++) locations.push((await s.get('/v1/$export?_type=event')).headers.get('content-location') ?? '');
  t.equal(new Set(locations).size, MAX_EXPORT_JOBS + 1, 'every export has its own id');
  t.equal((await s.get(locations[0]!)).status, 404, 'the oldest is gone');
  t.equal((await s.get(locations[1]!)).status, 202, 'the next is kept');
});

t.test('CSV: a header row of the schema\'s property names, RFC 4180 quoting, counts as the manifest says', async (t) => {
  const s = await session(t, { records: 25 });
  const manifest = await waitForManifest(s, await kickoff(t, s, '?_outputFormat=text/csv'));
  t.ok(validators.manifest(manifest));
  const person = fileOf(manifest, 'person');
  t.match(person.url, /\/person\.csv$/);
  const { response } = await download(s, person.url);
  t.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8; header=present');
  const rows = (await verifiedFile(t, s, person)).toString('utf8').split('\r\n');
  t.equal(rows.pop(), '', 'every row ends with CRLF');
  t.equal(rows[0], PERSON_COLUMNS.join(','), 'header row');
  t.equal(rows.length - 1, person.count, 'count is the data rows');
  const listed = ((await (await s.get('/v1/persons?limit=100')).json()) as { data: Json[] }).data;
  const withoutNickname = listed.findIndex((p) => p['nickname'] === null);
  t.equal(rows[withoutNickname + 1]?.split(',')[PERSON_COLUMNS.indexOf('nickname')], '', 'null is an empty cell');
  const events = (await verifiedFile(t, s, fileOf(manifest, 'event'))).toString('utf8');
  t.match(events, /,"\{""type"":""Point"",""coordinates"":\[/, 'objects are JSON text, quoted');
  t.equal(events.split('\r\n').length - 2, fileOf(manifest, 'event').count);
});

t.test('a million generated persons: valid, listed, exported, in flat memory', async (t) => {
  t.throws(() => createReferenceSupplier({ persons: 1_000_001 }), RangeError, 'PersonId has six digits: a million is the most');
  const s = await session(t, { persons: 1_000_000 });
  const head = await s.send('HEAD', '/v1/persons');
  t.equal(head.headers.get('x-total-count'), '1000000');
  const last = (await (await s.get(`/v1/persons?limit=100&cursor=${encodeCursor(999_900)}`)).json()) as { data: Json[]; links: { next?: string } };
  t.equal(last.data.length, 100);
  t.ok(last.data.every((p) => validators.person(p)), `generated persons are valid: ${JSON.stringify(validators.person.errors)}`);
  t.equal(last.data.at(-1)?.['id'], 'PER-000000', 'the millionth takes the one six-digit id left');
  t.notOk(last.links.next, 'the last page');
  t.same(await (await s.get('/v1/persons/PER-000000')).json(), last.data.at(-1), 'and reads on its own');
  t.same(await (await s.get('/v1/persons/PER-654321')).json(), generatePerson(DEFAULT_SEED, 654_321), 'made from the seed and the index alone');

  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const started = Date.now();
  const location = await kickoff(t, s, '?_type=person');
  // Meanwhile the server answers other requests promptly: the hashing yields.
  t.equal((await s.get('/v1/persons/PER-500000')).status, 200);
  // Had the hashing held the event loop, the read above would have waited for the whole export and the job would be done by now.
  const during = await s.get(location);
  t.equal(during.status, 202, 'a read during the export was answered while the export was still running');
  t.equal(during.headers.get('x-progress')?.endsWith(' of 1000000 records'), true, 'progress counts towards a million');
  const manifest = await waitForManifest(s, location, () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  });
  t.comment(`1,000,000 persons counted and hashed in ${Date.now() - started} ms; RSS grew ${Math.round((peak - rssBefore) / 1e6)} MB`);
  const file = fileOf(manifest, 'person');
  t.equal(file.count, 1_000_000);
  t.ok(file.fileSize > 150_000_000, `${file.fileSize} bytes`);

  const response = await s.get(file.url);
  t.equal(response.headers.get('content-length'), String(file.fileSize));
  const reader = response.body!.getReader();
  let text = '';
  while (text.split('\n').length < 4) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString('utf8');
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  await reader.cancel();
  const lines = text.split('\n').slice(0, 3).map((line) => JSON.parse(line) as Json);
  t.same(lines.map((p) => p['id']), ['PER-000001', 'PER-000002', 'PER-000003']);
  t.ok(lines.every((p) => validators.person(p)));
  t.ok(peak - rssBefore < 100e6, `RSS grew by less than 100 MB (${Math.round((peak - rssBefore) / 1e6)} MB)`);
});

/** What each export defect must show at the HTTP level. */
const symptoms: Record<string, (t: Test, s: Session) => Promise<void>> = {
  'export-truncated': async (t, s) => {
    const file = fileOf(await waitForManifest(s, await kickoff(t, s)), 'person');
    const ids = ndjsonLines(await verifiedFile(t, s, file)).map((line) => (JSON.parse(line) as Json)['id']);
    t.equal(file.count, 24, 'the count agrees with the file');
    t.equal(ids.length, 24);
    t.notOk(ids.includes('PER-000025'), 'the last person is missing');
  },
  'export-duplicates': async (t, s) => {
    const file = fileOf(await waitForManifest(s, await kickoff(t, s)), 'person');
    const ids = ndjsonLines(await verifiedFile(t, s, file)).map((line) => (JSON.parse(line) as Json)['id']);
    t.equal(file.count, 26);
    t.equal(new Set(ids).size, 25, 'one person twice');
  },
  'export-checksum-mismatch': async (t, s) => {
    const file = fileOf(await waitForManifest(s, await kickoff(t, s)), 'person');
    const { bytes } = await download(s, file.url);
    t.match(file.sha256, /^[0-9a-f]{64}$/, 'well-formed');
    t.not(sha256(bytes), file.sha256, 'but not the hash of the file');
    t.equal(bytes.length, file.fileSize, 'the size is right');
    t.equal(ndjsonLines(bytes).length, file.count, 'so is the count');
  },
  'export-invalid-record-deep': async (t, s) => {
    const file = fileOf(await waitForManifest(s, await kickoff(t, s, '?_type=person')), 'person');
    t.equal(file.count, 100_000, 'the defect brings its own 100,000 persons');
    const lines = ndjsonLines(await verifiedFile(t, s, file));
    const invalid = lines.flatMap((line, index) => (validators.person(JSON.parse(line)) ? [] : [index + 1]));
    t.same(invalid, [57_341], 'exactly one bad line, deep in the file');
    t.equal((JSON.parse(lines[57_340]!) as Json)['gender'], 'male');
  },
  'export-count-lies': async (t, s) => {
    const file = fileOf(await waitForManifest(s, await kickoff(t, s)), 'person');
    const { bytes } = await download(s, file.url);
    t.equal(file.count, ndjsonLines(bytes).length + 2, 'manifest count = lines + 2');
    t.equal(sha256(bytes), file.sha256, 'the hash is right');
  },
  'export-never-completes': async (t, s) => {
    const location = await kickoff(t, s);
    for (let poll = 0; poll < 5; poll++) {
      const response = await s.get(location);
      t.equal(response.status, 202, `poll ${poll + 1}: still 202`);
      t.equal(response.headers.get('retry-after'), '1');
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  },
  'export-retry-after-absurd': async (t, s) => {
    const response = await s.get(await kickoff(t, s));
    t.equal(response.status, 202);
    t.equal(response.headers.get('retry-after'), '999999');
  },
  'export-type-missing': async (t, s) => {
    const manifest = await waitForManifest(s, await kickoff(t, s, '?_type=person,event'));
    t.same(manifest.output.map((file) => file.type), ['person'], 'no event entry');
  },
  'export-since-ignored': async (t, s) => {
    const manifest = await waitForManifest(s, await kickoff(t, s, `?_since=${encodeURIComponent(new Date().toISOString())}`));
    t.equal(fileOf(manifest, 'person').count, 25, 'nothing changed, yet everyone is exported');
    t.equal(fileOf(manifest, 'event').count, 25);
  },
  'export-opaque-zip': async (t, s) => {
    const file = fileOf(await waitForManifest(s, await kickoff(t, s)), 'person');
    const { response, bytes } = await download(s, file.url);
    t.equal(response.headers.get('content-type'), 'application/zip');
    t.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a ZIP archive');
    t.equal(sha256(bytes), file.sha256, 'described truthfully');
    t.equal(bytes.length, file.fileSize);
    t.equal(file.count, 25);
  },
  'export-status-off-origin': async (t, s) => {
    const response = await s.get('/v1/$export');
    const location = new URL(response.headers.get('content-location') ?? '');
    const own = new URL(s.url);
    t.equal(location.hostname, 'localhost', 'another origin');
    t.equal(location.port, own.port, 'the same server behind it');
    t.same(s.supplier.offOriginRequests(), [], 'nothing followed it yet');
    // Prove the recorder works: address the server by the other origin's Host.
    await new Promise<void>((resolve, reject) => {
      httpRequest({ host: own.hostname, port: own.port, path: location.pathname, headers: { host: location.host } }, (res) => res.resume().on('end', resolve)).on('error', reject).end();
    });
    t.same(s.supplier.offOriginRequests(), [`GET ${location.pathname}`], 'a request to the other origin is recorded');
  },
  'export-cancel-ignored': async (t, s) => {
    const location = await kickoff(t, s);
    await waitForManifest(s, location);
    t.equal((await s.send('DELETE', location)).status, 202, 'DELETE says accepted');
    t.equal((await s.get(location)).status, 200, 'but the export is still there');
  },
  'export-csv-no-header': async (t, s) => {
    const file = fileOf(await waitForManifest(s, await kickoff(t, s, '?_outputFormat=text/csv')), 'person');
    const rows = (await verifiedFile(t, s, file)).toString('utf8').split('\r\n').slice(0, -1);
    t.match(rows[0], /^PER-000001,/, 'the first row is already a record');
    t.equal(rows.length, file.count);
  },
  'export-no-status-url': async (t, s) => {
    const response = await s.get('/v1/$export');
    t.equal(response.status, 202);
    t.equal(response.headers.get('content-location'), null, 'nothing to poll');
  },
};

t.test('each export defect shows its symptom over HTTP', async (t) => {
  const planted = DEFECTS.filter((defect) => defect.trips.every((trip) => trip.check.startsWith('export-')));
  t.same(planted.map((defect) => defect.name).sort(), Object.keys(symptoms).sort(), 'a symptom for every export defect');
  for (const defect of planted) {
    await t.test(defect.name, async (t) => {
      const s = await session(t, { records: 25, defects: [defect.name] });
      await symptoms[defect.name]?.(t, s);
    });
  }
});
