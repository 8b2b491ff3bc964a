import { typeReading, type SampleComparison } from '../export/export-session.js';
import { parseJsonBody } from '../json-body.js';
import { isRecord, joinPointer, ownValue } from '../json-pointer.js';
import type { Evidence } from '../results.js';
import type { ServiceCheck, ServiceFinding } from './check.js';
import { answerOf, completedMainExport, count, listed, pathOf, records, withEvidence } from './export-findings.js';

/**
 * Interoperability First: a force takes *all* its data out. The export holds
 * exactly the records the API lists, matched by id, none twice, and an
 * exported record is the same record the API serves on its own.
 */
export const exportCompleteness: ServiceCheck = {
  kind: 'service',
  id: 'export-completeness',
  scope: 'profile',
  title: 'Bulk export completeness',
  description: 'Every record the list endpoints return (x-interop.export.types.*.list, walked to its end within the run time limit) is in the export and vice versa, matched by id, with no duplicates; sampled exported records equal their single-record GET.',
  async run(context) {
    const done = await completedMainExport(context);
    if (!done.ok) return done.finding;
    const { main, session } = done;
    const base = { method: 'GET', path: done.statusPath };

    const passes: string[] = [];
    const unverified: Array<{ message: string; evidence?: Evidence; status: 'skip' | 'error' }> = [];
    for (const type of session.spec.types) {
      // A type split across several files is judged as a whole: all its files together.
      const reading = typeReading(main.files, type.name);
      // A type missing from the manifest, or a file that is not NDJSON, is export-manifest's or export-format's to report.
      if (reading.files.length === 0) continue;
      const incomplete = reading.files.find((f) => !f.whole);
      if (incomplete) {
        unverified.push({ status: 'error', message: `a ${type.name} file did not arrive whole (${answerOf(incomplete.exchange)})`, evidence: incomplete.exchange.evidence });
        continue;
      }
      if (reading.files.some((f) => f.reading.format !== 'ndjson')) continue;
      const file = reading.files[0]!;
      const evidence = file.exchange.evidence;
      if (reading.duplicates > 0) {
        const d = reading.duplicateSamples[0]!;
        const more = reading.duplicates > 1 ? ` (${count(reading.duplicates)} duplicated records in all)` : '';
        const where = reading.files.length === 1 ? `on lines ${count(d.firstLine)} and ${count(d.line)}` : `first on line ${count(d.firstLine)} of a ${type.name} file, again on line ${count(d.line)}`;
        return withEvidence(
          { ...base, path: pathOf(file.entry.url), status: 'fail', message: `${type.name} ${d.id} appears twice in the export, ${where}${more}`, expected: 'each record once', actual: `${d.id} twice` },
          evidence,
        );
      }
      if (reading.withoutId > 0) {
        return withEvidence(
          { ...base, path: pathOf(file.entry.url), status: 'fail', message: `${records(reading.withoutId, type.name)} in the export ${reading.withoutId === 1 ? 'has' : 'have'} no id, so ${reading.withoutId === 1 ? 'it' : 'they'} cannot be matched to the API's records`, expected: 'an id on every record', actual: `${reading.withoutId} without id` },
          evidence,
        );
      }
      const walk = main.lists.get(type.name);
      if (!walk) {
        unverified.push({ status: 'skip', message: `the profile names no list endpoint for ${type.name} to compare with` });
        continue;
      }
      if (!walk.ok) {
        unverified.push({ status: 'error', message: walk.message, ...(walk.exchange ? { evidence: walk.exchange.evidence } : {}) });
        continue;
      }
      const missing = walk.listed.unseen(5);
      if (missing.count > 0) {
        return withEvidence(
          {
            ...base,
            path: pathOf(file.entry.url),
            status: 'fail',
            message: `the API lists ${records(walk.listed.size, type.name)}${walk.complete ? '' : ' (at least)'}, the export holds ${count(reading.records)}: ${listedOf(missing)} ${missing.count === 1 ? 'is' : 'are'} missing from the export`,
            expected: `every listed ${type.name} in the export`,
            actual: `${missing.count} missing`,
          },
          evidence,
        );
      }
      if (walk.complete && reading.unlisted > 0) {
        return withEvidence(
          {
            ...base,
            path: pathOf(file.entry.url),
            status: 'fail',
            message: `the export holds ${records(reading.unlisted, type.name)} that ${type.list} does not list: ${listed(reading.unlistedSamples.map((u) => `${u.id} (line ${count(u.line)})`))}`,
            expected: `only the ${type.name}s the API lists`,
            actual: `${reading.unlisted} unlisted`,
          },
          evidence,
        );
      }
      const differing = main.samples.filter((s) => s.type === type.name).map(compareSample).find((d) => d !== undefined);
      if (differing) return { ...base, path: differing.path, status: 'fail', message: differing.message, expected: differing.expected, actual: differing.actual, evidence: differing.evidence };
      if (!walk.complete) {
        unverified.push({
          status: 'skip',
          message: `${type.list} was not walked to its end (${walk.stopped ?? `stopped after ${count(walk.pages)} pages`}): the ${count(walk.listed.size)} ${type.name}s listed are all in the export, but the other ${count(Math.max(0, reading.records - walk.listed.size))} exported could not be matched`,
          evidence,
        });
        continue;
      }
      const sampled = main.samples.filter((s) => s.type === type.name).length;
      passes.push(`${records(reading.records, type.name)}${sampled > 0 ? ` (${sampled} sampled equal to their single GET)` : ''}`);
    }
    if (unverified.length > 0) {
      const worst = unverified.find((u) => u.status === 'error') ?? unverified[0]!;
      const finding: ServiceFinding = { ...base, status: worst.status, message: `not verified: ${unverified.map((u) => u.message).join('; ')}` };
      return withEvidence(finding, worst.evidence);
    }
    if (passes.length === 0) return { ...base, status: 'skip', message: 'not checked: no NDJSON export file to compare with the API (see export-manifest and export-format)' };
    return { ...base, status: 'pass', message: `the export holds exactly the records the API lists, none twice: ${passes.join(', ')}` };
  },
};

/** "a, b and 3 more" from a count and its first few. */
function listedOf(missing: { count: number; samples: string[] }): string {
  const more = missing.count - missing.samples.length;
  return more > 0 ? `${missing.samples.join(', ')} and ${count(more)} more` : listed(missing.samples);
}

interface SampleDifference {
  path: string;
  message: string;
  expected: string;
  actual: string;
  evidence: Evidence;
}

/** Compare one exported record with what its single-record GET serves; undefined when they are the same. */
function compareSample(sample: SampleComparison): SampleDifference | undefined {
  const { exchange, id, exported, type } = sample;
  const path = pathOf(exchange.evidence.request.url);
  const response = exchange.response;
  if (!response || response.status !== 200) {
    const actual = response ? String(response.status) : (exchange.transportError?.message ?? 'no response');
    return { path, message: `GET ${path} answered ${actual} for ${type} ${id}, which the export holds`, expected: '200 with the record', actual, evidence: exchange.evidence };
  }
  const body = parseJsonBody(response.body);
  if (!body.ok || !isRecord(body.value)) return { path, message: `GET ${path} did not return a JSON object for ${type} ${id}`, expected: 'the record as JSON', actual: 'not a JSON object', evidence: exchange.evidence };
  const pointer = firstDifference(exported, body.value, '');
  if (pointer === undefined) return undefined;
  return {
    path,
    message: `${type} ${id} in the export differs from GET ${path} at ${pointer || '/'}: the export and the API disagree about the same record`,
    expected: 'the exported record equal to the single-record GET',
    actual: `differs at ${pointer || '/'}`,
    evidence: exchange.evidence,
  };
}

/** The JSON pointer of the first place two JSON values differ (key order aside), or undefined when equal. */
function firstDifference(a: unknown, b: unknown, at: string): string | undefined {
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(ownValue(a, key), ownValue(b, key), joinPointer(at, key));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const found = firstDifference(a[i], b[i], `${at}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  // Objects and arrays were compared above; what is left are scalars (or a scalar against a container).
  return a === b ? undefined : at;
}
