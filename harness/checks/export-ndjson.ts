import type { InvalidLine } from '../export/export-file-reader.js';
import { FORMAT_ANNOTATION } from '../schema/schema-errors.js';
import type { ServiceCheck } from './check.js';
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
    const bad = ndjson.filter((f) => f.reading.invalid > 0);
    if (bad.length > 0) {
      const first = bad[0]!;
      const messages = bad.map(({ spec, reading }) => {
        const lines = reading.invalidSamples.map(describe).join('; ');
        const more = reading.invalid - reading.invalidSamples.length;
        return `${count(reading.invalid)} of ${records(reading.records, spec.name)} ${reading.invalid === 1 ? 'is' : 'are'} invalid: ${lines}${more > 0 ? `; and ${count(more)} more` : ''}`;
      });
      const sample = first.reading.invalidSamples[0]!;
      return withEvidence(
        {
          method: 'GET',
          path: pathOf(first.entry.url),
          status: 'fail',
          message: messages.join('. '),
          expected: 'every line a JSON object valid against its type\'s schema',
          actual: `line ${count(sample.line)}: ${sample.message}`,
          ...(sample.schemaErrors ? { schemaErrors: sample.schemaErrors } : {}),
        },
        first.exchange.evidence,
      );
    }
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
    const formatOnly = ndjson.filter((f) => f.reading.formatOnly > 0);
    if (formatOnly.length > 0) {
      const first = formatOnly[0]!;
      const messages = formatOnly.map(({ spec, reading }) => {
        const lines = reading.formatOnlySamples.map(describe).join('; ');
        const more = reading.formatOnly - reading.formatOnlySamples.length;
        return `${count(reading.formatOnly)} of ${records(reading.records, spec.name)} break${reading.formatOnly === 1 ? 's' : ''} only formats of the schema: ${lines}${more > 0 ? `; and ${count(more)} more` : ''}`;
      });
      const sample = first.reading.formatOnlySamples[0]!;
      return withEvidence(
        {
          method: 'GET',
          path: pathOf(first.entry.url),
          status: 'warn',
          message: `${messages.join('. ')}; ${FORMAT_ANNOTATION}`,
          expected: 'every line a JSON object valid against its type\'s schema, its formats met',
          actual: `line ${count(sample.line)}: ${sample.message}`,
          ...(sample.schemaErrors ? { schemaErrors: sample.schemaErrors } : {}),
        },
        first.exchange.evidence,
      );
    }
    const perType = new Map<string, number>();
    for (const f of ndjson) perType.set(f.spec.name, (perType.get(f.spec.name) ?? 0) + f.reading.records);
    const totals = [...perType].map(([type, n]) => records(n, type)).join(', ');
    return withEvidence(
      { method: 'GET', path: pathOf(ndjson[0]!.entry.url), status: 'pass', message: `${ndjson.length} NDJSON file${ndjson.length === 1 ? '' : 's'} (${totals}): every line is a JSON object valid against its schema` },
      ndjson[0]!.exchange.evidence,
    );
  },
};

function describe(invalid: InvalidLine): string {
  return `line ${count(invalid.line)}${invalid.id !== undefined ? ` (${invalid.id})` : ''}: ${invalid.message}`;
}
