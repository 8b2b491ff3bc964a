import type { ExportedFile } from '../export/export-session.js';
import { isRecord } from '../json-pointer.js';
import type { ServiceCheck } from './check.js';
import { answerOf, completedMainExport, count, pathOf, records, withEvidence } from './export-findings.js';

/**
 * The manifest's promise about each file, kept: `count` records, `sha256` of
 * the bytes and `fileSize` bytes (this profile's extension of the FHIR
 * manifest), so a recipient can prove a download whole and intact.
 */
export const exportIntegrity: ServiceCheck = {
  kind: 'service',
  id: 'export-integrity',
  scope: 'profile',
  title: 'Bulk export integrity',
  description: 'For every export file, the manifest\'s count, sha256 and fileSize equal the records, SHA-256 and size of what was downloaded.',
  async run(context) {
    const done = await completedMainExport(context);
    if (!done.ok) return done.finding;
    const { main } = done;
    if (main.files.length === 0) return { method: 'GET', path: done.statusPath, status: 'skip', message: 'not checked: no export file could be downloaded (see export-manifest)' };
    for (const file of main.files) {
      const problem = mismatch(file);
      if (problem) {
        return withEvidence({ method: 'GET', path: pathOf(file.entry.url), status: problem.status, message: problem.message, expected: problem.expected, actual: problem.actual }, file.exchange.evidence);
      }
    }
    const counted = main.files.filter((f) => f.reading.format !== 'other').map((f) => records(f.reading.records, f.spec.name));
    const uncounted = main.files.length - counted.length;
    return withEvidence(
      {
        method: 'GET',
        path: pathOf(main.files[0]!.entry.url),
        status: 'pass',
        message: `every file matches its manifest entry: SHA-256 and size${counted.length > 0 ? `, and counts (${counted.join(', ')})` : ''}${uncounted > 0 ? `; ${uncounted} file${uncounted === 1 ? '' : 's'} not NDJSON or CSV, so not counted (see export-format)` : ''}`,
      },
      main.files[0]!.exchange.evidence,
    );
  },
};

interface Mismatch {
  status: 'fail' | 'error';
  message: string;
  expected: string;
  actual: string;
}

function mismatch(file: ExportedFile): Mismatch | undefined {
  const { spec, exchange, reading } = file;
  const entry = isRecord(file.entry.raw) ? file.entry.raw : {};
  const name = `the ${spec.name} file`;
  if (!exchange.response || exchange.response.status !== 200 || !file.whole) {
    const why = answerOf(exchange);
    return { status: exchange.response && exchange.response.status !== 200 ? 'fail' : 'error', message: `${name} could not be downloaded whole: ${why}`, expected: '200 and the whole file', actual: why };
  }
  const { bytes, sha256 } = exchange.response;
  for (const field of ['count', 'sha256', 'fileSize'] as const) {
    if (entry[field] === undefined) return { status: 'fail', message: `the manifest gives no ${field} for ${name}, so a recipient cannot prove the download whole`, expected: `${field} in the manifest entry`, actual: 'absent' };
  }
  if (typeof entry['sha256'] !== 'string' || entry['sha256'].toLowerCase() !== sha256) {
    return {
      status: 'fail',
      message: `${name} is not the file the manifest describes: its SHA-256 is ${sha256}, the manifest says ${String(entry['sha256']).slice(0, 80)}`,
      expected: `sha256 ${String(entry['sha256']).slice(0, 80)}`,
      actual: `sha256 ${sha256}`,
    };
  }
  if (entry['fileSize'] !== bytes) {
    return { status: 'fail', message: `the manifest says ${name} is ${String(entry['fileSize'])} bytes, ${count(bytes)} bytes were downloaded`, expected: `${String(entry['fileSize'])} bytes`, actual: `${bytes} bytes` };
  }
  if (reading.format !== 'other' && entry['count'] !== reading.records) {
    const said = typeof entry['count'] === 'number' ? records(entry['count'], spec.name) : JSON.stringify(entry['count']);
    return { status: 'fail', message: `the manifest says ${said}, the file has ${count(reading.records)}`, expected: `${String(entry['count'])} records`, actual: `${reading.records} records` };
  }
  return undefined;
}
