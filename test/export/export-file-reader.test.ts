import t from 'tap';
import { createFileReader, opaqueKind } from '../../harness/export/export-file-reader.js';
import { createListedIds } from '../../harness/export/listed-ids.js';
import { createIdFingerprints } from '../../harness/export/id-fingerprints.js';
import type { SchemaError } from '../../harness/results.js';

/** The streaming reader of one export file, fed chunk by chunk as the HTTP layer would. */

const NDJSON = { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } };
const genderIsCode = (record: Record<string, unknown>): SchemaError[] =>
  typeof record['gender'] === 'string' && /^GNDR_\d{4}$/.test(record['gender'])
    ? []
    : [{ pointer: '/gender', keyword: 'pattern', schemaPath: '#/properties/gender/pattern', message: 'must match pattern "^GNDR_\\d{4}$"' }];

function read(text: string, options: Parameters<typeof createFileReader>[0], head = NDJSON, chunkSize = 7) {
  const reader = createFileReader(options);
  const sink = reader.openSink(head);
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; sink && i < bytes.length; i += chunkSize) sink.write(bytes.subarray(i, i + chunkSize));
  return reader.finish(true);
}

t.test('counts records, skips blank lines, names invalid lines with their ids and pointers', async (t) => {
  const lines = ['{"id":"P1","gender":"GNDR_0001"}', '', '{"id":"P2","gender":"male"}', 'not json', '[1]', '{"id":"P3","gender":"GNDR_0002"}'];
  const reading = read(`${lines.join('\n')}\n`, { validate: genderIsCode, maxLineBytes: 1024 });
  t.equal(reading.format, 'ndjson');
  t.equal(reading.records, 5);
  t.equal(reading.blankLines, 1);
  t.equal(reading.invalid, 3);
  t.match(reading.invalidSamples, [
    { line: 3, id: 'P2', message: '/gender must match pattern "^GNDR_\\d{4}$"', schemaErrors: [{ pointer: '/gender' }] },
    { line: 4, message: /^not JSON: / },
    { line: 5, message: 'not a JSON object (an array)' },
  ]);
});

t.test('a record whose only errors are formats: invalid in OpenAPI 3.0, counted apart where formats annotate (3.1)', async (t) => {
  const bornIsDate = (record: Record<string, unknown>): SchemaError[] => [
    ...(record['born'] === '1990-02-30' ? [{ pointer: '/born', keyword: 'format', schemaPath: '#/properties/born/format', message: 'must match format "date"' }] : []),
    ...genderIsCode(record),
  ];
  const text = ['{"id":"P1","gender":"GNDR_0001","born":"1990-02-30"}', '{"id":"P2","gender":"male","born":"1990-02-30"}', '{"id":"P3","gender":"GNDR_0002","born":"1990-02-03"}'].join('\n');
  const strict = read(text, { validate: bornIsDate, maxLineBytes: 1024 });
  t.equal(strict.invalid, 2, 'OpenAPI 3.0: a format breach makes a record invalid');
  t.equal(strict.formatOnly, 0);
  const annotating = read(text, { validate: bornIsDate, maxLineBytes: 1024, formatsAnnotate: true });
  t.equal(annotating.invalid, 1, 'a record with another error besides its format is still invalid');
  t.match(annotating.invalidSamples, [{ line: 2, id: 'P2' }]);
  t.equal(annotating.formatOnly, 1);
  t.match(annotating.formatOnlySamples, [{ line: 1, id: 'P1', message: '/born must match format "date"', schemaErrors: [{ keyword: 'format' }] }]);
});

t.test('duplicates, records without id, unlisted ids and kept records', async (t) => {
  const text = ['{"id":"A"}', '{"id":"B"}', '{"name":"no id"}', '{"id":"A"}', '{"id":"Z"}'].join('\n');
  const listedIds = createListedIds();
  for (const id of ['A', 'B', 'C']) listedIds.add(id);
  const reading = read(text, { listed: listedIds, keepIds: new Set(['B']), maxLineBytes: 1024, fingerprints: createIdFingerprints() });
  t.equal(reading.duplicates, 1);
  t.same(reading.duplicateSamples, [{ id: 'A', line: 4, firstLine: 1 }]);
  t.equal(reading.withoutId, 1);
  t.same(listedIds.unseen(5), { count: 1, samples: ['C'] }, 'A and B were seen');
  t.equal(reading.unlisted, 1);
  t.same(reading.unlistedSamples, [{ id: 'Z', line: 5 }]);
  t.same([...reading.kept.keys()], ['B']);
});

t.test('duplicates are only looked for when asked (the one cost that grows with the file)', async (t) => {
  const reading = read('{"id":"A"}\n{"id":"A"}\n', { maxLineBytes: 1024 });
  t.equal(reading.duplicates, 0);
  t.equal(reading.records, 2);
});

t.test('a file cut off mid-line: the fragment after the last newline is not read as a record', async (t) => {
  const reader = createFileReader({ validate: genderIsCode, maxLineBytes: 1024 });
  reader.openSink(NDJSON)!.write(Buffer.from('{"id":"P1","gender":"GNDR_0001"}\n{"id":"P2","gen'));
  const reading = reader.finish(false);
  t.equal(reading.records, 1);
  t.equal(reading.invalid, 0);
});

t.test('_since: records changed before the instant (or with no readable time) are counted', async (t) => {
  const text = ['{"id":"A","updatedAt":"2026-01-02T00:00:00Z"}', '{"id":"B","updatedAt":"2020-01-01T00:00:00Z"}', '{"id":"C"}'].join('\n');
  const reading = read(text, { since: { at: Date.parse('2026-01-01T00:00:00Z'), changedAt: '/updatedAt' }, maxLineBytes: 1024 });
  t.equal(reading.changedBefore, 2);
  t.same(reading.changedBeforeSamples.map((s) => s.id), ['B', 'C']);
});

t.test('invalid UTF-8 and an oversized line are invalid lines, not crashes', async (t) => {
  const reader = createFileReader({ maxLineBytes: 16 });
  const sink = reader.openSink(NDJSON)!;
  sink.write(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]));
  sink.write(Buffer.from(`{"id":"${'x'.repeat(40)}"}\n{"id":"ok"}\n`));
  const reading = reader.finish(true);
  t.equal(reading.records, 3);
  t.match(reading.invalidSamples, [{ line: 1, message: 'not valid UTF-8' }, { line: 2, message: /^a line of 49 bytes, longer than the 16 bytes one record may take/ }]);
});

t.test('CSV is counted by rows; other formats are only sniffed; non-200 answers are not read', async (t) => {
  const csv = read('id,name\n1,"a\nb"\n2,c\n', { maxLineBytes: 1024 }, { status: 200, headers: { 'content-type': 'text/csv; header=present' } });
  t.equal(csv.format, 'csv');
  t.equal(csv.records, 2);
  t.same(csv.csvHeader, ['id', 'name']);
  const zip = read('PK\u0003\u0004rest of a zip', { maxLineBytes: 1024 }, { status: 200, headers: { 'content-type': 'application/zip' } });
  t.equal(zip.format, 'other');
  t.equal(opaqueKind(zip.head), 'a ZIP archive');
  const reader = createFileReader({ maxLineBytes: 1024 });
  t.equal(reader.openSink({ status: 404, headers: {} }), undefined);
  t.equal(reader.finish(true).records, 0);
});

t.test('opaqueKind leaves JSON text alone', async (t) => {
  t.equal(opaqueKind(Buffer.from('{"id":1}')), undefined);
  t.equal(opaqueKind(Buffer.from([0x1f, 0x8b, 0x08])), 'gzip-compressed data (not declared as a Content-Encoding)');
});
