/**
 * The default cap on a profile document (and on each file or URL it `$ref`s):
 * large enough for most real APIs (Microsoft Graph's v1.0 document is 19.4 MB
 * as JSON; its beta, 45 MB, needs `--max-profile`), small enough to fail fast
 * on a hostile one.
 * A module of its own so that `--help` can print it without loading a parser.
 */
export const DEFAULT_MAX_PROFILE_BYTES = 20 * 1024 * 1024;
