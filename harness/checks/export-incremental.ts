import type { ServiceCheck } from './check.js';
import { answerOf, count, listed, manifestStage, noExportDeclared, pathOf, records, withEvidence } from './export-findings.js';

/**
 * HL7 FHIR Bulk Data `_since`: an export asked for with `_since` holds only
 * records changed at or after that instant. The check changes one existing
 * record (only with --allow-writes and that write named with --paths or
 * --operations: a force probes a sandbox it does not own, and the run
 * otherwise writes only to records it created), then exports since the
 * first export's transactionTime and expects that record and nothing older.
 */
export const exportIncremental: ServiceCheck = {
  kind: 'service',
  id: 'export-incremental',
  scope: 'profile',
  title: 'Incremental bulk export (_since)',
  description: 'With --allow-writes and the touch write named (--paths): after one existing record is changed (x-interop.export.types.*.touch), an export with _since set to the first export\'s transactionTime holds that record and only records whose changedAt is at or after it. Skipped otherwise, saying how to allow it.',
  async run({ exportSession }) {
    const session = exportSession();
    if (!session) return noExportDeclared();
    const outcome = await session.incremental();
    if (!outcome.ran) return { method: 'GET', path: session.spec.kickoff, status: 'skip', message: outcome.reason };
    const { type, since, touchedId, touch } = outcome;
    const touched = `${type.name} ${touchedId}`;
    if (!touch.response || touch.response.status < 200 || touch.response.status > 299) {
      const answer = touch.response ? `answered ${touch.response.status}` : `got no response (${touch.transportError?.message ?? 'no response'})`;
      return withEvidence({ method: touch.evidence.request.method, path: pathOf(touch.evidence.request.url), status: 'error', message: `not verified: changing ${touched} ${answer}, so there was no change to look for` }, touch.evidence);
    }
    const exported = outcome.export!;
    if (!exported.kickoff.ok) {
      const status = exported.kickoff.exchange.response ? 'fail' : 'error';
      return withEvidence({ method: 'GET', path: pathOf(exported.kickoff.url), status, message: `an export with _since=${since}: ${exported.kickoff.message}`, expected: exported.kickoff.expected, actual: exported.kickoff.actual }, exported.kickoff.exchange.evidence);
    }
    const stage = manifestStage(exported);
    if (!stage.ok) {
      const completion = exported.completion;
      return withEvidence({ method: 'GET', path: exported.kickoff.statusUrl.pathname, status: 'error', message: `not verified: the _since export did not complete: ${completion && !completion.ok ? completion.message : 'no manifest'}` }, completion?.exchange.evidence);
    }
    const files = exported.files.filter((f) => f.spec.name === type.name);
    const notServed = files.find((f) => !f.whole);
    if (notServed) {
      return withEvidence({ method: 'GET', path: pathOf(notServed.entry.url), status: 'error', message: `not verified: a _since ${type.name} file did not arrive whole (${answerOf(notServed.exchange)})` }, notServed.exchange.evidence);
    }
    if (files.some((f) => f.reading.format !== 'ndjson')) {
      return { method: 'GET', path: pathOf(files[0]!.entry.url), status: 'skip', message: `not checked: the _since ${type.name} file is not NDJSON (see export-format)` };
    }
    if (files.length === 0 && exported.entries.some((e) => e.type === type.name)) {
      return { method: 'GET', path: stage.statusPath, status: 'skip', message: `not checked: the _since ${type.name} file could not be downloaded from the supplier's origin (see export-manifest)` };
    }
    const file = files[0];
    if (!file) {
      return withEvidence(
        { method: 'GET', path: stage.statusPath, status: 'fail', message: `${touched} changed after _since=${since}, but the _since export has no NDJSON ${type.name} file to hold it`, expected: `a ${type.name} file holding ${touchedId}`, actual: 'no file' },
        stage.completion.exchange.evidence,
      );
    }
    // Every file of the type, added up: an export may split a type across several.
    const reading = {
      records: files.reduce((n, f) => n + f.reading.records, 0),
      changedBefore: files.reduce((n, f) => n + f.reading.changedBefore, 0),
      changedBeforeSamples: files.flatMap((f) => f.reading.changedBeforeSamples),
      kept: new Set(files.flatMap((f) => [...f.reading.kept.keys()])),
    };
    if (reading.changedBefore > 0) {
      const examples = reading.changedBeforeSamples.map((s) => `${s.id} (${type.changedAt!.replace(/^\//, '')} ${s.changedAt})`);
      return withEvidence(
        {
          method: 'GET',
          path: pathOf(file.entry.url),
          status: 'fail',
          message: `the export with _since=${since} holds ${records(reading.records, type.name)}, ${count(reading.changedBefore)} of them last changed before that instant: ${listed(examples, 3)}; _since looks ignored`,
          expected: `only ${type.name}s changed at or after ${since}`,
          actual: `${reading.changedBefore} older records`,
        },
        file.exchange.evidence,
      );
    }
    if (!reading.kept.has(touchedId)) {
      return withEvidence(
        { method: 'GET', path: pathOf(file.entry.url), status: 'fail', message: `${touched} was changed after _since=${since}, but the _since export does not hold it (${records(reading.records, type.name)} exported)`, expected: `${touchedId} in the export`, actual: 'absent' },
        file.exchange.evidence,
      );
    }
    return withEvidence(
      { method: 'GET', path: pathOf(file.entry.url), status: 'pass', message: `after ${touched} was changed, the export with _since=${since} held it and ${reading.records === 1 ? 'nothing else' : `${count(reading.records - 1)} other records, all changed since`}` },
      file.exchange.evidence,
    );
  },
};
