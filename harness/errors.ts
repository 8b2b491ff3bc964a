/**
 * Harness and usage errors: the one place their codes are declared.
 *
 * These are *not* findings about a supplier (those are results, see `results.ts`)
 * and not transport failures (those become `error` results in the HTTP layer).
 * A HarnessError means the run cannot sensibly start or continue: the CLI prints
 * its message on one line and exits 2, without a stack trace.
 *
 * @example
 *   throw new HarnessError('PROFILE_NOT_FOUND', `profile not found: ${path}`);
 */
export const ERROR_CODES = {
  USAGE: 'The command line is wrong: an unknown flag, a missing value, a value of the wrong form.',
  PROFILE_NOT_FOUND: 'The profile path does not exist and names no bundled profile.',
  PROFILE_UNREADABLE: 'The profile file exists but could not be read, or is not a regular file (a FIFO, device, socket or directory).',
  PROFILE_PARSE: 'The profile is not valid YAML or JSON.',
  PROFILE_TOO_LARGE: 'The profile is larger than the loader accepts, or expands past it (YAML aliases).',
  PROFILE_INVALID: 'The profile is not an OpenAPI 3.0/3.1 or Swagger 2.0 document the harness can probe.',
  PROFILE_REF_REFUSED: 'A $ref points outside the profile folder or to a remote URL without --allow-remote-refs.',
  PROFILE_REF_UNRESOLVED: 'A $ref could not be resolved.',
  PROFILE_NOTHING_TO_PROBE: 'The profile loaded but has no operation that can be probed.',
  PROFILE_LOAD_TIMEOUT: 'Loading the profile (reading, parsing, resolving $refs, checking) took longer than the load budget.',
  TARGET_INVALID: 'The target URL is not an absolute http(s) URL.',
  TARGET_UNREACHABLE: 'No request reached the target: connection refused, DNS or TLS failure on every probe.',
  TOKEN_FAILED: 'The OAuth 2.0 token endpoint did not issue a token for the client credentials given.',
  CLAIMS_INVALID: 'The claims file given with --claims is not JSON or not valid against profiles/interop-claims.schema.json.',
  SECRET_MISSING: 'An environment variable named for a secret (--token-env, --api-key-env, --header-env, --query-env, --cookie-env, --basic-env) is unset or empty.',
  OUTPUT_UNWRITABLE: 'The output folder or a report file could not be written.',
  REPORTER_FAILED: 'A reporter threw while rendering; the run is aborted and names it.',
  REPORT_INVALID: 'A report.json given to compare or replay is not strict JSON (a duplicate key, say) or not valid against reports/report.schema.json.',
  DATABASE_UNREACHABLE: 'serve or worker: DATABASE_URL is not a URL, or the PostgreSQL server it names did not answer.',
  DATA_DIR_UNUSABLE: 'serve: the data folder (--data) could not be created or its embedded database opened (another serve may be using it).',
  SECRET_KEY_INVALID: 'serve or worker: INTEROP_SECRET_KEY is missing (required with DATABASE_URL) or not 32 bytes, or does not open the stored secrets.',
  BOOTSTRAP_TOKEN_WEAK: 'serve or worker: INTEROP_BOOTSTRAP_TOKEN is set but shorter than 32 characters (it becomes an admin API token).',
  LISTEN_FAILED: 'serve: the service could not listen on the host and port given (in use, or not an address of this machine).',
  ALLOWED_TARGETS_INVALID: 'serve or worker: INTEROP_ALLOWED_TARGETS is not a comma-separated list of origins, *.domain wildcards and CIDR ranges.',
  TARGET_NOT_ALLOWED: 'The target or token URL is outside the allowed targets (the service\'s INTEROP_ALLOWED_TARGETS), or is a cloud metadata address.',
  RESULT_NOT_FOUND: 'A result id given to replay --result names no result in the report.',
} as const;

export type HarnessErrorCode = keyof typeof ERROR_CODES;

/** Exit code the CLI uses for every HarnessError: bad input, not a failing supplier. */
export const BAD_INPUT_EXIT_CODE = 2;

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;

  constructor(code: HarnessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
  }
}

export function isHarnessError(value: unknown): value is HarnessError {
  return value instanceof HarnessError;
}
