import { getAtPointer, isRecord, localRefToPointer } from '../json-pointer.js';
import type { ServiceCheck } from './check.js';
import { answerOf, count, manifestStage, noExportDeclared, pathOf, records, withEvidence } from './export-findings.js';

/**
 * W3C CSV on the Web and the GDS data standards: bulk data offered as CSV as
 * well as JSON. The check asks for `_outputFormat=text/csv` and expects CSV
 * files with a header row and as many data rows as the manifest counts.
 */
export const exportCsv: ServiceCheck = {
  kind: 'service',
  id: 'export-csv',
  scope: 'profile',
  title: 'Bulk export as CSV',
  description: 'An export asked for with _outputFormat=text/csv completes with text/csv files, each with a header row and as many data rows as the manifest\'s count.',
  async run(context) {
    const { exportSession, document } = context;
    const session = exportSession();
    if (!session) return noExportDeclared();
    // A CSV export is judged only once the NDJSON one works: its failure is reported by the check for that stage.
    const main = manifestStage(await session.main());
    if (!main.ok) return main.finding;
    const csv = await session.csv();
    if (!csv.kickoff.ok) {
      const status = csv.kickoff.exchange.response ? 'fail' : 'error';
      return withEvidence({ method: 'GET', path: pathOf(csv.kickoff.url), status, message: `CSV export not offered: ${csv.kickoff.message}`, expected: csv.kickoff.expected, actual: csv.kickoff.actual }, csv.kickoff.exchange.evidence);
    }
    const stage = manifestStage(csv);
    if (!stage.ok) {
      const completion = csv.completion;
      const status = completion && !completion.ok ? completion.verdict : 'error';
      return withEvidence({ method: 'GET', path: csv.kickoff.statusUrl.pathname, status, message: `the CSV export did not complete: ${completion && !completion.ok ? completion.message : 'no manifest'}` }, completion?.exchange.evidence);
    }
    if (csv.files.length === 0 && csv.entries.some((e) => e.url !== undefined && e.url.origin !== context.target.origin)) {
      return { method: 'GET', path: stage.statusPath, status: 'skip', message: 'not checked: the CSV files are not on the supplier\'s origin, so they were not downloaded (see export-manifest)' };
    }
    if (csv.files.length === 0) {
      return withEvidence({ method: 'GET', path: stage.statusPath, status: 'fail', message: `the CSV export's manifest lists no file for ${csv.request.types.join(', ')} on the supplier's origin`, expected: 'CSV files', actual: 'none' }, stage.completion.exchange.evidence);
    }
    for (const file of csv.files) {
      const path = pathOf(file.entry.url);
      const name = `the CSV ${file.spec.name} file`;
      if (!file.whole) {
        const served = file.exchange.response !== undefined && file.exchange.response.status !== 200;
        const why = answerOf(file.exchange);
        return withEvidence(
          served ? { method: 'GET', path, status: 'fail', message: `${name} could not be downloaded: it ${why}`, expected: '200 and the file', actual: why } : { method: 'GET', path, status: 'error', message: `not verified: ${name} did not arrive whole (${why})` },
          file.exchange.evidence,
        );
      }
      if (file.reading.format !== 'csv') {
        const served = file.reading.mediaType || '(no Content-Type)';
        return withEvidence({ method: 'GET', path, status: 'fail', message: `${name} is served as ${served}, not text/csv`, expected: 'text/csv', actual: served }, file.exchange.evidence);
      }
      const header = (file.reading.csvHeader ?? []).filter((h) => h.trim() !== '');
      // A header names columns; a first row sharing no name with the record's schema is a record, not a header.
      const properties = propertyNames(document, file.spec.schemaPointer);
      if (header.length === 0 || (properties.size > 0 && !header.some((h) => properties.has(h.trim())))) {
        const first = (file.reading.csvHeader ?? []).join(',').slice(0, 120);
        return withEvidence(
          { method: 'GET', path, status: 'fail', message: `${name} has no header row naming its columns: its first row is ${JSON.stringify(first)}, which names none of the ${file.spec.name} fields`, expected: `a header row naming fields such as ${[...properties].slice(0, 3).join(', ')}`, actual: first },
          file.exchange.evidence,
        );
      }
      const said = isRecord(file.entry.raw) ? file.entry.raw['count'] : undefined;
      if (typeof said === 'number' && said !== file.reading.records) {
        return withEvidence(
          { method: 'GET', path, status: 'fail', message: `the manifest says ${records(said, file.spec.name)} in CSV, the file has ${count(file.reading.records)} data rows`, expected: `${said} rows`, actual: `${file.reading.records} rows` },
          file.exchange.evidence,
        );
      }
    }
    const totals = csv.files.map((f) => `${records(f.reading.records, f.spec.name)} (${(f.reading.csvHeader ?? []).length} columns)`).join(', ');
    return withEvidence({ method: 'GET', path: pathOf(csv.files[0]!.entry.url), status: 'pass', message: `the export is offered as CSV: ${totals}, each file with a header row` }, csv.files[0]!.exchange.evidence);
  },
};

/** The top-level property names of a record schema (following local $refs and allOf), for recognising a header row. */
function propertyNames(document: Record<string, unknown>, pointer: string): Set<string> {
  const names = new Set<string>();
  const visit = (schema: unknown, depth: number): void => {
    if (depth > 10 || !isRecord(schema)) return;
    if (typeof schema['$ref'] === 'string') {
      const target = localRefToPointer(schema['$ref']);
      if (target !== undefined) visit(getAtPointer(document, target), depth + 1);
    }
    if (isRecord(schema['properties'])) for (const name of Object.keys(schema['properties'])) names.add(name);
    if (Array.isArray(schema['allOf'])) for (const part of schema['allOf']) visit(part, depth + 1);
  };
  visit(getAtPointer(document, pointer), 0);
  return names;
}
