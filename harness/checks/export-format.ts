import { opaqueKind } from '../export/export-file-reader.js';
import type { ServiceCheck } from './check.js';
import { completedMainExport, pathOf, withEvidence } from './export-findings.js';

/**
 * Interoperability First and the GDS open standards: exported data is in an
 * open, documented format (NDJSON here; CSV as well), never an opaque archive
 * or a proprietary container a force cannot read without the vendor.
 */
export const exportFormat: ServiceCheck = {
  kind: 'service',
  id: 'export-format',
  scope: 'profile',
  title: 'Bulk export open format',
  description: 'Every export file is served as an open format (NDJSON: application/x-ndjson, application/ndjson or application/fhir+ndjson) and is not, by its first bytes, an archive or closed container (ZIP, 7z, RAR, OLE, PDF, undeclared gzip).',
  async run(context) {
    const done = await completedMainExport(context);
    if (!done.ok) return done.finding;
    const { main } = done;
    // A file that was not served (404, a redirect elsewhere) has no format to judge: export-integrity reports it.
    const served = main.files.filter((f) => f.exchange.response?.status === 200);
    if (served.length === 0) return { method: 'GET', path: done.statusPath, status: 'skip', message: 'not checked: no export file could be downloaded (see export-manifest and export-integrity)' };
    for (const file of served) {
      const served = file.reading.mediaType || '(no Content-Type)';
      const archive = opaqueKind(file.reading.head);
      if (archive || file.reading.format !== 'ndjson') {
        const what = archive ? `${archive}, served as ${served}` : served;
        return withEvidence(
          {
            method: 'GET',
            path: pathOf(file.entry.url),
            status: 'fail',
            message: `the ${file.spec.name} file is ${what}, not an open format: a force cannot read it without knowing what is inside`,
            expected: 'NDJSON (application/x-ndjson, application/ndjson or application/fhir+ndjson)',
            actual: what,
          },
          file.exchange.evidence,
        );
      }
    }
    const types = [...new Set(served.map((f) => f.reading.mediaType))].join(', ');
    return withEvidence(
      { method: 'GET', path: pathOf(served[0]!.entry.url), status: 'pass', message: `every export file is open NDJSON (${types})` },
      served[0]!.exchange.evidence,
    );
  },
};
