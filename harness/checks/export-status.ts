import { formatSeconds } from '../export/export-job.js';
import type { ServiceCheck } from './check.js';
import { count, noExportDeclared, pathOf, withEvidence } from './export-findings.js';

/**
 * HL7 FHIR Bulk Data Access, status request: the status URL answers 202 (with
 * Retry-After) while the export runs, then 200 with the manifest. The harness
 * honours Retry-After within `--export-wait` and never waits longer: an
 * export that does not finish in time, or asks for an absurd wait, fails with
 * what was waited and why the harness stopped.
 */
export const exportStatus: ServiceCheck = {
  kind: 'service',
  id: 'export-status',
  scope: 'profile',
  title: 'Bulk export status',
  description: 'Polling the status URL answers 202 with Retry-After while the export runs, then 200 with the manifest, within --export-wait; Retry-After is honoured, X-Progress reported.',
  async run({ exportSession }) {
    const session = exportSession();
    if (!session) return noExportDeclared();
    const main = await session.main();
    if (!main.kickoff.ok) return { method: 'GET', path: pathOf(main.kickoff.url), status: 'skip', message: 'not checked: the export did not start (see export-kickoff)' };
    const path = main.kickoff.statusUrl.pathname;
    const completion = main.completion;
    if (!completion) return { method: 'GET', path, status: 'error', message: 'not checked: the status URL was never polled' };
    if (!completion.ok) {
      return withEvidence({ method: 'GET', path, status: completion.verdict, message: completion.message, expected: completion.expected, actual: completion.actual }, completion.exchange.evidence);
    }
    const { polls } = completion;
    const progress = polls.map((p) => p.progress).filter((p): p is string => p !== undefined);
    const withoutRetryAfter = polls.filter((p) => p.retryAfter === undefined).length;
    const notes = [
      polls.length === 0 ? 'the first poll already had the manifest' : `${count(polls.length)} poll${polls.length === 1 ? '' : 's'} answered 202 first`,
      ...(progress.length > 0 ? [`progress reported: ${progress.slice(-3).map((p) => JSON.stringify(p.slice(0, 80))).join(', ')}`] : []),
      ...(withoutRetryAfter > 0 ? [`${withoutRetryAfter} of them without Retry-After, so the harness backed off on its own`] : []),
    ];
    return withEvidence(
      { method: 'GET', path, status: 'pass', message: `the export completed in ${formatSeconds(completion.waitedMs)}: ${notes.join('; ')}` },
      completion.exchange.evidence,
    );
  },
};
