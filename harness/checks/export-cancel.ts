import type { ServiceCheck } from './check.js';
import { noExportDeclared, pathOf, withEvidence } from './export-findings.js';

/**
 * HL7 FHIR Bulk Data, delete request: DELETE on the status URL cancels the
 * export (202 Accepted), after which the status URL answers 404. The harness
 * cancels only an export it started itself for this check, and only at a URL
 * that first answers as an export's status, so this is safe in a read-only run.
 */
export const exportCancel: ServiceCheck = {
  kind: 'service',
  id: 'export-cancel',
  scope: 'profile',
  title: 'Bulk export cancel',
  description: 'DELETE on the status URL of an export the harness started answers 202 Accepted, and the status URL then answers 404. The DELETE is sent only after a GET of that URL, following no redirect, answers as an export status does (202, or 200 with a manifest listing output).',
  async run({ exportSession }) {
    const session = exportSession();
    if (!session) return noExportDeclared();
    const main = await session.main();
    if (!main.kickoff.ok) return { method: 'GET', path: pathOf(main.kickoff.url), status: 'skip', message: 'not checked: no export could be started to cancel (see export-kickoff)' };
    const { kickoff, before, notSent, cancel, after } = await session.cancel();
    if (!kickoff.ok) return { method: 'GET', path: pathOf(kickoff.url), status: 'skip', message: 'not checked: no export could be started to cancel (see export-kickoff)' };
    const path = kickoff.statusUrl.pathname;
    // A supplier's Content-Location is not deleted on its word alone: the DELETE waits for an export's status.
    if (notSent !== undefined) return withEvidence({ method: 'GET', path, status: 'error', message: `not verified: no DELETE was sent, since ${notSent}` }, before?.evidence);
    if (!cancel?.response) {
      return withEvidence({ method: 'DELETE', path, status: 'error', message: `not verified: DELETE on the status URL got no response (${cancel?.transportError?.message ?? 'not sent'})` }, cancel?.evidence);
    }
    const status = cancel.response.status;
    // FHIR names 202; a 200 or 204 cancels as well and is not worth a failure.
    if (status < 200 || status > 299) {
      return withEvidence({ method: 'DELETE', path, status: 'fail', message: `DELETE on the status URL answered ${status}: the export cannot be cancelled`, expected: '202 Accepted', actual: String(status) }, cancel.evidence);
    }
    if (!after?.response) {
      return withEvidence({ method: 'GET', path, status: 'error', message: `not verified: the status URL gave no answer after the cancel (${after?.transportError?.message ?? 'not sent'})` }, after?.evidence);
    }
    if (after.response.status !== 404 && after.response.status !== 410) {
      return withEvidence(
        { method: 'GET', path, status: 'fail', message: `after DELETE answered ${status}, the status URL still answers ${after.response.status}: the export was not cancelled`, expected: '404 Not Found', actual: String(after.response.status) },
        after.evidence,
      );
    }
    return withEvidence({ method: 'DELETE', path, status: 'pass', message: `DELETE answered ${status} and the status URL then answered ${after.response.status}: the export was cancelled` }, cancel.evidence);
  },
};
