import { parseArgs } from 'node:util';
import { CHECKS } from '../checks/index.js';
import { HarnessError } from '../errors.js';
import { lintProfile } from '../profile/lint-profile.js';
import { compileValidators } from '../schema/compile-validators.js';
import { responseExampleWarnings } from '../schema/response-examples.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import { parseSize } from './parse-quantity.js';
import type { CommandIo } from './run-command.js';

/**
 * `interop-harness lint-profile <path|id> [--max-profile <size>]`: what a profile author must fix.
 * Exit 0 clean (warnings allowed), 1 with errors, 2 when the file cannot be loaded.
 */
export async function lintProfileCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { 'max-profile': { type: 'string' } } });
  } catch (err) {
    throw new HarnessError('USAGE', err instanceof Error ? err.message : String(err));
  }
  const [source, ...extra] = parsed.positionals;
  if (!source || extra.length > 0) throw new HarnessError('USAGE', 'lint-profile takes one profile path or bundled id');
  const maxProfile = parsed.values['max-profile'];
  const { profile, findings } = await lintProfile(source, CHECKS, maxProfile ? { maxBytes: parseSize('--max-profile', maxProfile) } : {});
  // Examples are judged with the run's own validators, so that what lint calls wrong a run would fail too.
  // Every schema up front, however many (a run compiles above 1,000 each on first use): lint has no results to say a refusal in.
  const validators = compileValidators(profile, { eagerLimit: Infinity });
  // What compiling says (an unknown format, a pattern left unchecked, a schema that cannot be compiled) a run says too.
  for (const warning of [...validators.warnings, ...responseExampleWarnings(profile, validators)]) findings.push({ severity: 'warning', ...warning });
  const errors = findings.filter((f) => f.severity === 'error');
  for (const finding of findings) {
    io.stdout.write(sanitizeTerminalText(`${finding.severity.padEnd(7)} ${finding.code.padEnd(24)} ${finding.location || '/'}  ${finding.message}`) + '\n');
  }
  const summary = `${profile.info.id}@${profile.info.version}: ${profile.requirements.length} requirement(s), ${profile.operations.length} operation(s), ${errors.length} error(s), ${findings.length - errors.length} warning(s)`;
  io.stdout.write(`${sanitizeTerminalText(summary)}\n`);
  return errors.length > 0 ? 1 : 0;
}
