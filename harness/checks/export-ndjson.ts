import type { FileReading, InvalidLine } from '../export/export-file-reader.js';
import type { ExportedFile } from '../export/export-session.js';
import { FORMAT_ANNOTATION } from '../schema/schema-errors.js';
import type { ServiceCheck, ServiceFinding } from './check.js';
import { completedMainExport, count, pathOf, records, withEvidence } from './export-findings.js';

/**
 * NDJSON 1.0 with HL7 FHIR Bulk Data output files: one JSON object per line,
 * each valid against its type's schema in the profile. Files are streamed:
 * memory stays flat however large the export; the first few invalid lines
 * are named with their line numbers and JSON pointers, the rest counted.
 */
export const exportNdjson: ServiceCheck = {
  kind: 'service',
  id: 'export-ndjson',
  scope: 'profile',
  title: 'Bulk export NDJSON records',
  description: 'Every line of every NDJSON export file is one UTF-8 JSON object valid against its type\'s schema (x-interop.export.types.*.schema); invalid lines are reported with line numbers and JSON pointers, and counted.',
  async run(context) {
    const done = await completedMainExport(context);
    if (!done.ok) return done.finding;
    const { main } = done;
    const ndjson = main.files.filter((f) => f.reading.format === 'ndjson');
    if (ndjson.length === 0) {
      const served = main.files.some((f) => f.exchange.response?.status === 200);
      const reason = main.files.length === 0 ? 'no export file could be downloaded (see export-manifest)' : served ? 'no export file is NDJSON (see export-format)' : 'no export file could be downloaded (see export-integrity)';
      return { method: 'GET', path: done.statusPath, status: 'skip', message: `not checked: ${reason}` };
    }
    const invalid = sampledLines(ndjson, 'invalid', 'fail', (n) => (n === 1 ? 'is invalid' : 'are invalid'), "every line a JSON object valid against its type's schema");
    if (invalid) return invalid;
    const incomplete = ndjson.find((f) => !f.whole);
    if (incomplete) {
      const why = incomplete.exchange.transportError?.message ?? 'the file was cut off at --max-export-bytes';
      return withEvidence(
        { method: 'GET', path: pathOf(incomplete.entry.url), status: 'error', message: `not verified: the ${incomplete.spec.name} file did not arrive whole (${why}); the ${count(incomplete.reading.records)} lines read were valid` },
        incomplete.exchange.evidence,
      );
    }
    const unvalidated = ndjson.reduce((sum, f) => sum + f.reading.unvalidated, 0);
    if (unvalidated > 0) {
      return { method: 'GET', path: pathOf(ndjson[0]!.entry.url), status: 'error', message: `not verified: ${count(unvalidated)} records could not be validated (schema recursion or nesting too deep)` };
    }
    const formatOnly = sampledLines(ndjson, 'formatOnly', 'warn', (n) => `break${n === 1 ? 's' : ''} only formats of the schema`, "every line a JSON object valid against its type's schema, its formats met");
    if (formatOnly) return { ...formatOnly, message: `${formatOnly.message}; ${FORMAT_ANNOTATION}` };
    const perType = new Map<string, number>();
    for (const f of ndjson) perType.set(f.spec.name, (perType.get(f.spec.name) ?? 0) + f.reading.records);
    const totals = [...perType].map(([type, n]) => records(n, type)).join(', ');
    return withEvidence(
      { method: 'GET', path: pathOf(ndjson[0]!.entry.url), status: 'pass', message: `${ndjson.length} NDJSON file${ndjson.length === 1 ? '' : 's'} (${totals}): every line is a JSON object valid against its schema` },
      ndjson[0]!.exchange.evidence,
    );
  },
};

/**
 * A finding naming the lines of one kind (`invalid`, or `formatOnly` under
 * OpenAPI 3.1) in every file that has them: their count, the first few with
 * line numbers, and the first one's schema errors; undefined when none has any.
 */
function sampledLines(files: readonly ExportedFile[], kind: 'invalid' | 'formatOnly', status: 'fail' | 'warn', verb: (n: number) => string, expected: string): ServiceFinding | undefined {
  const found = files.filter((f) => f.reading[kind] > 0);
  const first = found[0];
  if (first === undefined) return undefined;
  const samples = (reading: FileReading) => (kind === 'invalid' ? reading.invalidSamples : reading.formatOnlySamples);
  const messages = found.map(({ spec, reading }) => {
    const more = reading[kind] - samples(reading).length;
    return `${count(reading[kind])} of ${records(reading.records, spec.name)} ${verb(reading[kind])}: ${samples(reading).map(describe).join('; ')}${more > 0 ? `; and ${count(more)} more` : ''}`;
  });
  const sample = samples(first.reading)[0]!;
  return withEvidence(
    {
      method: 'GET',
      path: pathOf(first.entry.url),
      status,
      message: messages.join('. '),
      expected,
      actual: `line ${count(sample.line)}: ${sample.message}`,
      ...(sample.schemaErrors ? { schemaErrors: sample.schemaErrors } : {}),
    },
    first.exchange.evidence,
  );
}

function describe(invalid: InvalidLine): string {
  return `line ${count(invalid.line)}${invalid.id !== undefined ? ` (${invalid.id})` : ''}: ${invalid.message}`;
}
