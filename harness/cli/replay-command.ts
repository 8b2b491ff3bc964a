import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarnessError } from '../errors.js';
import { readReportFile } from '../report/read-report.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import { partialBodyNote } from '../report/report-facts.js';
import type { CheckResult } from '../results.js';
import { replay, type ReplayedResult, type ReplayStatus } from '../run/replay.js';
import { CREDENTIAL_FLAG_NAMES, LIMIT_FLAG_NAMES, parseCredentialFlags, parseLimitFlags, RUN_FLAGS, type CommandIo } from './run-command.js';

/** Run's own credential and limit flags (same names, same parsing), and replay's. */
const REPLAY_FLAGS = {
  ...pick(RUN_FLAGS, CREDENTIAL_FLAG_NAMES),
  ...pick(RUN_FLAGS, LIMIT_FLAG_NAMES),
  result: { type: 'string', multiple: true },
  target: { type: 'string', short: 't' },
  profile: { type: 'string', short: 'p' },
  'allow-writes': { type: 'boolean', default: false },
  'allow-remote-refs': { type: 'boolean', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
  // Replay prints no colour; taken so that a command line shared with `run` is not refused.
  'no-color': { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

function pick<T extends Record<string, unknown>, K extends keyof T>(flags: T, names: readonly K[]): Pick<T, K> {
  return Object.fromEntries(names.map((name) => [name, flags[name]])) as Pick<T, K>;
}

/** Words for each outcome, padded to one column. */
const LABEL: Record<ReplayStatus, string> = {
  reproduces: 'REPRODUCES',
  fixed: 'FIXED',
  inconclusive: 'INCONCLUSIVE',
  'not-replayed': 'NOT REPLAYED',
};

/**
 * `interop-harness replay <report.json> [--result <id>]... [--target <url>]`:
 * send each failed result's recorded request again with fresh credentials,
 * judge it with the same check, and print whether the failure reproduces.
 * With --allow-writes, a create sent again is deleted, or its record is
 * listed as LEFT BEHIND. Exit 0 when every replayed failure is gone and
 * nothing was left behind, 1 when one reproduces or could not be judged, or a
 * record this replay created is still on the target, 2 on bad input.
 */
export async function replayCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: REPLAY_FLAGS, strict: true, allowPositionals: true });
  } catch (err) {
    throw new HarnessError('USAGE', err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new HarnessError('USAGE', 'replay takes one report.json: interop-harness replay <report.json> [--result <id>] [--target <url>]');
  const reportPath = positionals[0]!;
  // Flags first: a missing secret should cost nothing, not a read of a 500 MB report.
  const credentials = parseCredentialFlags(values, io.env);
  const limits = parseLimitFlags(values);
  const report = await readReportFile(resolve(io.cwd, reportPath));
  const write = (line: string) => io.stdout.write(`${sanitizeTerminalText(line)}\n`);
  const quiet = values.quiet;
  const outcome = await replay({
    report,
    ...credentials,
    limits,
    ...(values.result ? { resultIds: values.result } : {}),
    ...(values.target !== undefined ? { target: values.target } : {}),
    ...(values.profile !== undefined ? { profile: profilePath(values.profile, io.cwd) } : {}),
    allowWrites: values['allow-writes'],
    allowRemoteRefs: values['allow-remote-refs'],
    cwd: io.cwd,
    onStart(start, count) {
      for (const warning of start.warnings) write(`warning: ${warning}`);
      write(`replaying ${count} result(s) of ${reportPath} against ${start.target} (profile ${start.profile.id}@${start.profile.version})`);
      write('');
    },
    onReplayed(replayed) {
      for (const line of describeReplayed(replayed, quiet)) write(line);
    },
  });
  const what = values.result ? `${values.result.length} named result(s)` : 'the failed results';
  if (outcome.replayed.length === 0) {
    write(`replay: ${reportPath} has no failed results; nothing to replay`);
    return 0;
  }
  const counts = new Map<ReplayStatus, number>();
  for (const r of outcome.replayed) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const parts = (['reproduces', 'fixed', 'inconclusive', 'not-replayed'] as const).filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s === 'reproduces' ? 'still fail' : s.replace('-', ' ')}`);
  // Those not replayed were selected, not sent: "4 replayed, 4 not replayed" counted them twice.
  const sent = outcome.replayed.length - (counts.get('not-replayed') ?? 0);
  write(`replay of ${what}: ${sent} of ${outcome.replayed.length} replayed; ${parts.join(', ')}`);
  const { cleanup } = outcome;
  if (cleanup && cleanup.created > 0) {
    const left = cleanup.leftBehind.length;
    write(`records this replay created: ${cleanup.created}, ${cleanup.deleted.length} deleted, ${left === 0 ? 'none left behind' : `${left} LEFT BEHIND`}`);
    // Not always a record the replay made: an answer that named none, or someone else's, is listed too. Check before removing.
    for (const record of cleanup.leftBehind) write(`LEFT BEHIND  ${record.url} (${record.reason}): check it, and remove by hand what the replay made`);
  }
  // Only a failure shown gone counts as gone: one not sent or not judged keeps CI red.
  // So does a record left on the target: a green replay must not have changed the supplier's data.
  const leftBehind = (cleanup?.leftBehind.length ?? 0) > 0;
  return outcome.replayed.every((r) => r.status === 'fixed') && !leftBehind ? 0 : 1;
}

/** A profile named by path is read from the command's folder; a bundled id or a URL is left as it is. */
function profilePath(value: string, cwd: string): string {
  if (/^https?:\/\//i.test(value) || !/[\\/]|\.(json|ya?ml)$/i.test(value)) return value;
  return resolve(cwd, value);
}

/**
 * The lines for one replayed result, in the evidence style of a run: what was
 * expected, what came back now (status, content type, size), the message and
 * its detail, the curl line that repeats it, and what the report had recorded.
 *
 * @example
 *   describeReplayed(replayed, false)[0]; // 'REPRODUCES   response-schema/BASE-04/GET/listPersons/1'
 */
export function describeReplayed(replayed: ReplayedResult, quiet: boolean): string[] {
  const { recorded, now } = replayed;
  // A result that had not failed (named with --result) neither reproduces nor is fixed: say what it does now.
  const label = recorded.status === 'fail' ? LABEL[replayed.status] : replayed.status === 'reproduces' ? 'FAILS' : replayed.status === 'fixed' ? 'PASSES' : LABEL[replayed.status];
  const lines = [`${label.padEnd(13)}${replayed.id}`];
  const requirement = recorded.requirement === null ? '' : ` ${recorded.requirement}`;
  const operation = recorded.operationId.startsWith('(') ? recorded.operationId : `(${recorded.operationId})`;
  lines.push(`  ${recorded.method} ${recorded.path} ${operation}, ${recorded.level}${requirement}, check ${recorded.check}`);
  const negative = recorded.negative;
  // A negative-phase request: what it changed, and what the API must do with it.
  if (negative) lines.push(`  changed:  ${negative.reason}; the API must ${negative.expect} it`);
  const expected = now?.expected ?? recorded.expected;
  if (expected !== undefined) lines.push(`  expected: ${expected}`);
  if (now) {
    lines.push(`  now:      ${now.status}: ${now.message}`);
    if (now.actual !== undefined) lines.push(`  actual:   ${now.actual}`);
    const schemaError = now.schemaErrors?.[0];
    if (schemaError) {
      const more = now.schemaErrors!.length > 1 ? ` (and ${now.schemaErrors!.length - 1} more)` : '';
      lines.push(`  schema:   ${schemaError.pointer || '(root)'} ${schemaError.message}${schemaError.schema ? ` (schema ${schemaError.schema})` : ''}${more}`);
    }
    lines.push(...exchangeLines(now, quiet));
  } else if (replayed.reason) {
    lines.push(`  why:      ${replayed.reason}`);
  }
  if (replayed.status === 'inconclusive' && replayed.reason && now) lines.push(`  why:      not judged now, so not shown fixed`);
  const created = replayed.cleanup;
  if (created?.outcome === 'removed') lines.push(`  removed:  the record this replay created, by ${created.removedBy.method} ${created.removedBy.url} (HTTP ${created.removedBy.status})`);
  if (created?.outcome === 'left-behind') lines.push(`  LEFT BEHIND: ${created.url}: ${created.reason}`);
  lines.push(`  recorded: ${recorded.status}: ${recorded.message}${recorded.actual !== undefined ? ` (actual: ${recorded.actual})` : ''}`);
  lines.push('');
  return lines.map((line) => (line.length > 2000 ? `${line.slice(0, 2000)}…` : line));
}

/** What came back now, and the curl line that asks again. */
function exchangeLines(now: CheckResult, quiet: boolean): string[] {
  const evidence = now.evidence;
  if (!evidence) return [];
  const lines: string[] = [];
  const { response } = evidence;
  if (response) {
    const type = response.headers['content-type'];
    const partial = partialBodyNote(response);
    lines.push(`  response: HTTP ${response.status}${type ? ` ${type}` : ''}, ${response.bodyBytes} bytes${partial ? ` (${partial})` : ''}`);
  } else if (evidence.transportError) {
    lines.push(`  response: none: ${evidence.transportError.message}`);
  }
  if (!quiet) lines.push(`  request:  ${evidence.request.method} ${evidence.request.url}`, `  repeat:   ${evidence.curl}`);
  return lines;
}
