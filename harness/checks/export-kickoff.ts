import type { ServiceCheck } from './check.js';
import { noExportDeclared, pathOf, withEvidence } from './export-findings.js';

/**
 * HL7 FHIR Bulk Data Access, kick-off request: `GET [base]/$export` with
 * `Prefer: respond-async` answers 202 Accepted and a Content-Location to poll.
 * The status URL must be on the supplier's own origin: it is polled with the
 * access token, which never goes anywhere else.
 */
export const exportKickoff: ServiceCheck = {
  kind: 'service',
  id: 'export-kickoff',
  scope: 'profile',
  title: 'Bulk export kick-off',
  description: 'GET on the profile\'s export kick-off path (x-interop.export.kickoff) with _type and Prefer: respond-async answers 202 Accepted with a Content-Location status URL on the supplier\'s own origin.',
  async run({ exportSession }) {
    const session = exportSession();
    if (!session) return noExportDeclared();
    const { kickoff } = await session.main();
    const path = pathOf(kickoff.url);
    if (!kickoff.ok) {
      const status = kickoff.exchange.response ? 'fail' : 'error';
      return withEvidence({ method: 'GET', path, status, message: kickoff.message, expected: kickoff.expected, actual: kickoff.actual }, kickoff.exchange.evidence);
    }
    return withEvidence(
      { method: 'GET', path, status: 'pass', message: `the kick-off answered 202 Accepted with the status URL ${kickoff.statusUrl.pathname} on the supplier's own origin` },
      kickoff.exchange.evidence,
    );
  },
};
