import { BAD_INPUT_EXIT_CODE, isHarnessError } from '../errors.js';
import { harnessIdentity } from '../package-root.js';
import { createGuardedStream, sanitizeTerminalText } from '../report/terminal-text.js';
import type { CommandIo } from './run-command.js';

/** The commands `main` dispatches (the switch below). */
const COMMANDS = new Set(['run', 'profiles', 'requirements', 'lint-profile', 'demo', 'reference-supplier', 'keygen', 'verify', 'compare', 'serve', 'worker', 'replay']);

/** Exit code for a harness bug: distinct from a verdict (0/1) and from bad input (2). */
const INTERNAL_ERROR_EXIT_CODE = 3;

/**
 * The CLI, callable in-process (tests) or as the `interop-harness` binary.
 * Never throws: every outcome is an exit code and at most one line on stderr.
 */
export async function main(argv: string[], rawIo: CommandIo): Promise<number> {
  // Every byte any command prints passes one guard: no escape sequence or control character gets out raw.
  const io: CommandIo = { ...rawIo, stdout: createGuardedStream(rawIo.stdout), stderr: createGuardedStream(rawIo.stderr) };
  const [command, ...rest] = argv;
  // `run --help`, `replay -h`: what a user of any CLI tries first. One help text covers every command;
  // an unknown command stays an error (below), whatever follows it.
  if (command !== undefined && COMMANDS.has(command) && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout.write((await import('./help-text.js')).HELP_TEXT);
    return 0;
  }
  try {
    // Each command loads only its own modules: `--version` must not pay for the engine.
    switch (command) {
      case 'run':
        return await (await import('./run-command.js')).runCommand(rest, io);
      case 'profiles':
        return (await import('./profiles-command.js')).profilesCommand(io);
      case 'requirements':
        return await (await import('./requirements-command.js')).requirementsCommand(rest, io);
      case 'lint-profile':
        return await (await import('./lint-profile-command.js')).lintProfileCommand(rest, io);
      case 'demo':
        return await (await import('./demo-command.js')).demoCommand(rest, io);
      case 'reference-supplier':
        return await (await import('./reference-supplier-command.js')).referenceSupplierCommand(rest, io);
      case 'keygen':
        return await (await import('./keygen-command.js')).keygenCommand(rest, io);
      case 'verify':
        return await (await import('./verify-command.js')).verifyCommand(rest, io);
      case 'compare':
        return await (await import('./compare-command.js')).compareCommand(rest, io);
      case 'serve':
        return await (await import('./serve-command.js')).serveCommand(rest, io);
      case 'worker':
        return await (await import('./worker-command.js')).workerCommand(rest, io);
      case 'replay':
        return await (await import('./replay-command.js')).replayCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${harnessIdentity().version}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write((await import('./help-text.js')).HELP_TEXT);
        return 0;
      default:
        io.stderr.write(`interop-harness: unknown command ${JSON.stringify(command)}; try --help\n`);
        return BAD_INPUT_EXIT_CODE;
    }
  } catch (err) {
    if (isHarnessError(err)) {
      io.stderr.write(`interop-harness: ${sanitizeTerminalText(err.message)} [${err.code}]\n`);
      return BAD_INPUT_EXIT_CODE;
    }
    const detail = err instanceof Error ? err.message : String(err);
    io.stderr.write(`interop-harness: internal error (please report it): ${sanitizeTerminalText(detail)}\n`);
    if (io.env.INTEROP_DEBUG) io.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    return INTERNAL_ERROR_EXIT_CODE;
  }
}
