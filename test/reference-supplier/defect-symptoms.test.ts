/**
 * Each defect planted against a profile other than baseline shows its
 * concrete symptom on its operation (or on the published document), and
 * every other operation answers exactly as the conformant supplier does.
 */
import t, { type Test } from 'tap';
import { DEFECTS } from '../../fixtures/defects/index.js';
import { referenceSupplierCommand, defectListing } from '../../harness/cli/reference-supplier-command.js';
import { probeSupplier, type OperationFingerprint } from './supplier-probe.js';

type Seen = Map<string, OperationFingerprint>;
type Json = Record<string, unknown>;
const DOCUMENT_OPERATIONS = ['getOpenApiDocument', 'getWellKnownOpenApiDocument'];
/**
 * A fingerprint without what legitimately differs between two runs: the
 * status clock, and the access log's tail (reads append to it; its first
 * page is the seeded history and stays put).
 */
function comparable(fingerprint: OperationFingerprint | undefined, operationId: string): unknown {
  if (!fingerprint) return 'not probed';
  const { rawBody: _raw, ...rest } = fingerprint;
  if (operationId === 'getStatus' && !Array.isArray(rest.body)) return { ...rest, body: { ...(rest.body as Json), time: 'now' } };
  if (operationId === 'listAuditLog') return { ...rest, walk: rest.walk ? { ended: rest.walk.ended, pageSizes: rest.walk.pageSizes.slice(0, 2) } : null };
  return rest;
}

const data = (f: OperationFingerprint | undefined): Json[] => ((f?.body as { data?: Json[] } | undefined)?.data ?? []);

/** The concrete symptom of each defect. */
const symptoms: Record<string, (t: Test, seen: Seen) => void> = {
  'no-openapi-document': (t, seen) => DOCUMENT_OPERATIONS.forEach((id) => t.equal(seen.get(id)?.status, 404, `${id} 404`)),
  'deprecated-without-header': (t, seen) => {
    t.equal(seen.get('listPeople')?.deprecation, null);
    t.equal(seen.get('listPeople')?.sunset, null);
  },
  'not-found-plain-text': (t, seen) => t.match(seen.get('getEvent')?.notFound, { status: 404, mediaType: 'text/plain', body: 'Not Found' }),
  'problem-status-mismatch': (t, seen) => t.match(seen.get('getPerson')?.notFound, { status: 404, mediaType: 'application/problem+json', body: { status: 200 } }),
  'problem-missing-title': (t, seen) => t.notOk('title' in ((seen.get('getEvent')?.notFound?.body as Json | undefined) ?? { title: 1 })),
  'pagination-cycle': (t, seen) => t.notOk(seen.get('listEvents')?.walk?.ended, 'the walk never ends'),
  'pagination-duplicates': (t, seen) => {
    const ids = seen.get('listPersons')?.walk?.ids ?? [];
    t.ok(new Set(ids).size < ids.length, 'an id repeats across pages');
  },
  'limit-ignored': (t, seen) => t.equal(seen.get('listPeople')?.walk?.pageSizes[0], 20, 'limit=7 gave 20'),
  'no-token-accepted': (t, seen) => t.equal(seen.get('getPerson')?.withoutToken, 200),
  'bad-token-accepted': (t, seen) => {
    t.equal(seen.get('listEvents')?.withBadToken, 200);
    t.equal(seen.get('listEvents')?.withoutToken, 401);
  },
  'top-level-array': (t, seen) => t.ok(Array.isArray(seen.get('getStatus')?.body)),
  'non-iso-date': (t, seen) => t.match((seen.get('getPerson')?.body as Json)['dateOfBirth'], /^\d{2}\/\d{2}\/\d{4}$/),
  'compression-ignored': (t, seen) => t.equal(seen.get('listPersons')?.contentEncoding, null),
  'no-etag': (t, seen) => t.equal(seen.get('getEvent')?.etag, false),
  'no-304': (t, seen) => t.equal(seen.get('listEvents')?.revalidated, 200),
  'relationship-two-roles': (t, seen) => t.equal(((seen.get('getPoleRelationship')?.body as Json)['roles'] as unknown[]).length, 2),
  'location-not-wgs84': (t, seen) => {
    const [x = 0, y = 0] = (((seen.get('getPoleLocation')?.body as Json)['attributes'] as Json)['geometry'] as { coordinates: number[] }).coordinates;
    t.ok(Math.abs(x) > 180 || Math.abs(y) > 90, `out of WGS 84 range: ${x}, ${y}`);
  },
  'mopi-review-date-missing': (t, seen) => t.notOk('nextReviewDate' in (((seen.get('getPoleEvent')?.body as Json)['meta'] as Json)['review'] as Json)),
  'gender-as-word': (t, seen) => t.equal(((seen.get('getPolePerson')?.body as Json)['attributes'] as Json)['gender'], 'male'),
  'relationship-role-as-word': (t, seen) => t.ok(data(seen.get('listPoleRelationships')).every((r) => r['role'] === 'witness')),
  'custody-missing-authorisation': (t, seen) => t.ok(data(seen.get('listProvenanceRecords')).every((r) => !('authorization' in r))),
  'hash-mismatch': (t, seen) => t.match(((seen.get('getEvidenceItem')?.body as Json)['hash'] as Json)['hashValue'], /^[0-9a-f]{64}$/, 'still well-formed'),
  'evidence-type-as-word': (t, seen) => t.ok(data(seen.get('listEvidenceItems')).every((i) => i['itemType'] === 'statement')),
  'transparency-missing-sro': (t, seen) => t.notOk('senior_responsible_owner' in (data(seen.get('listTransparencyRecords'))[0] ?? {})),
  'transparency-missing-standard-version': (t, seen) => t.notOk('standard_version' in (data(seen.get('listTransparencyRecords')).at(-1) ?? {})),
  'undocumented-operation': (t, seen) => {
    const operation = (((seen.get('getOpenApiDocument')?.body as Json)['paths'] as Json)['/v1/audit-log'] as Json)['get'] as Json;
    t.notOk('description' in operation || 'summary' in operation);
  },
  'schema-without-example': (t, seen) => t.notOk('examples' in ((((seen.get('getOpenApiDocument')?.body as Json)['components'] as Json)['schemas'] as Json)['TransparencyRecord'] as Json)),
  'audit-log-unpaginated': (t, seen) => {
    t.equal(seen.get('listAuditLog')?.walk?.pageSizes.length, 1, 'one page');
    t.ok((seen.get('listAuditLog')?.walk?.pageSizes[0] ?? 0) > 7, 'larger than the limit asked');
  },
  'audit-purpose-as-text': (t, seen) => t.ok(data(seen.get('listAuditLog')).every((e) => e['purpose'] === 'investigation')),
  'incident-missing-location': (t, seen) => t.notOk('location' in (seen.get('getIncident')?.body as Json)),
  'incident-status-as-word': (t, seen) => t.ok(data(seen.get('listIncidents')).every((i) => i['status'] === 'open')),
};

t.test('each non-baseline defect changes only what it says', async (t) => {
  const clean = await probeSupplier({ records: 25 });
  // Export defects change the export's files and manifest, which this probe does not read: export.test.ts shows their symptoms.
  // Write defects show only to writes (incident-writes.test.ts); to this read-only probe they change nothing.
  // A negative defect (runWith.negative) leaves every valid request's answer as it was: it shows only to --negative (detection-matrix.test.ts).
  const planted = DEFECTS.filter((defect) => defect.trips.some((trip) => trip.profile !== 'baseline') && !defect.trips.every((trip) => trip.check.startsWith('export-')) && !defect.runWith?.allowWrites && !defect.runWith?.negative);
  t.ok(planted.length >= 30, `${planted.length} defects beyond the baseline seven`);
  for (const defect of planted) {
    await t.test(defect.name, async (t) => {
      const { fingerprints } = await probeSupplier({ records: 25, defects: [defect.name] });
      const symptom = symptoms[defect.name];
      t.ok(symptom, 'has an asserted symptom');
      symptom?.(t, fingerprints);
      const targets = new Set(defect.trips.map((trip) => (trip.operationId === '(service)' ? DOCUMENT_OPERATIONS : [trip.operationId])).flat());
      for (const [operationId, before] of clean.fingerprints) {
        if (targets.has(operationId)) {
          t.notSame(comparable(fingerprints.get(operationId), operationId), comparable(before, operationId), `${operationId} changed`);
          continue;
        }
        t.same(comparable(fingerprints.get(operationId), operationId), comparable(before, operationId), `${operationId} unchanged`);
      }
    });
  }
});

t.test('--list-defects prints name, profile, requirement and description, tab-separated', async (t) => {
  let out = '';
  const io = { stdout: { write: (text: string) => ((out += text), true) }, stderr: { write: () => true } };
  t.equal(await referenceSupplierCommand(['--list-defects'], io as never), 0);
  const lines = out.trimEnd().split('\n');
  t.same(lines, defectListing());
  t.equal(lines.length, DEFECTS.length, 'one line per defect');
  for (const line of lines) t.match(line, /^[a-z0-9-]+\t[a-z-]+\t([A-Z]+-\d{2}|[a-z-]+)(,[A-Z]+-\d{2})*\t[^\t\n]+$/, line);
  t.ok(lines.includes(`gender-as-word\tpole-exchange\tPOLE-02\t${DEFECTS.find((d) => d.name === 'gender-as-word')?.description}`));
});
