import { DEFAULT_LIMITS } from '../run/run-options.js';

const kib = (n: number) => `${Math.round(n / 1024)}kb`;

/** The text of `interop-harness --help`; the README's CLI reference mirrors it. */
export const HELP_TEXT = `interop-harness: conformance tests for policing APIs

Usage:
  interop-harness run --profile <path|id> --target <url> [options]
  interop-harness profiles                 list bundled profiles
  interop-harness requirements <profile> [--format table|md|csv|json]
  interop-harness lint-profile <path>      check a profile before publishing it
  interop-harness demo                     run the baseline profile against the bundled reference supplier
  interop-harness reference-supplier [--port N] [--records N] [--persons N] [--seed S] [--defect NAME]...
  interop-harness keygen --out <prefix> [--force]       write an Ed25519 key pair: <prefix>.key (0600) and <prefix>.pub
  interop-harness verify <report.json> --key <prefix.pub> [--signature <file>]
                                           check report.json against report.json.sig: 0 untouched, 1 changed, 2 bad input
  interop-harness compare <a.json> <b.json>... [--out compare.html|compare.md]
                                           requirement-by-vendor matrix (Markdown on stdout without --out)
  interop-harness serve [--port N] [--host H] [--data DIR] [--secure-cookies]
                                           the evaluation workspace (web pages and JSON API under /api); embedded
                                           database in --data (default ./interop-data), or DATABASE_URL;
                                           --secure-cookies behind a TLS proxy; INTEROP_ALLOWED_TARGETS
                                           limits where suppliers' targets may point (see README)
  interop-harness worker [--concurrency N] execute queued runs from the DATABASE_URL PostgreSQL server
  interop-harness replay <report.json> [--result <id>]... [--target <url>] [--profile <path|id>]
                                           send each failed result's recorded request again with fresh
                                           credentials (run's credential and limit options) and judge it with
                                           the same check: 0 none reproduces, 1 one does (or was not judged), 2 bad input;
                                           --allow-writes sends a POST to a collection again and deletes the record it
                                           made (exit 1 when one is left behind)
  interop-harness --help | --version

run options:
  -p, --profile <path|id>   OpenAPI 3.0/3.1/3.2 or Swagger 2.0 document (YAML or JSON), a bundled profile id,
                            or an https URL (http on loopback) to fetch it from
  -t, --target <url>        the supplier's base URL; replaces the document's servers entirely
  -o, --out <dir>           where reports go (default: reports/<profile>-<time>)
      --format <list>       report files: json,junit,html,md (default: json,junit,html)
      --sign <file.key>     sign report.json with an Ed25519 private key (from keygen); writes report.json.sig
      --checks <list>       only these check IDs or globs (e.g. response-*)
      --skip-checks <list>  leave out these check IDs or globs
      --var name=value      value for path and required parameters of that name (repeatable);
                            opId.name=v, query:name=v, header:name=v reach any parameter
      --operations <globs>  only operations whose operationId matches (repeatable, comma lists)
      --skip-operations <globs>  leave these operationIds out
      --tags <list>         only operations with one of these tags
      --paths 'M /glob'     only operations matching, e.g. 'GET /features/*' (repeatable)
  -H, --header 'Name: v'    extra request header (repeatable); its value is redacted everywhere
      --token-env VAR       send 'Authorization: Bearer $VAR'; the token is redacted everywhere
      --api-key-env VAR     the API key for the document's apiKey security scheme, sent where it says (header, query or cookie)
      --header-env 'Name=VAR'  send header Name with the value of $VAR (repeatable)
      --query-env 'name=VAR'   add query parameter name=$VAR to every secured request (repeatable)
      --cookie-env 'name=VAR'  send cookie name=$VAR (repeatable)
      --basic-env USER:PASS HTTP basic credentials from the variables USER and PASS
      --redact-field NAME   also mask response fields named NAME in evidence (repeatable); token, password, apiKey... always are
      --client-id <id>      OAuth 2.0 client credentials (or INTEROP_CLIENT_ID): a token is fetched before probing
      --client-secret-env VAR  the client secret's variable (default INTEROP_CLIENT_SECRET)
      --token-url <url>     token endpoint (default: the profile's clientCredentials tokenUrl, same origin only)
      --claims <file>       the vendor's claims document (default: the target's /.well-known/interop-claims)
      --allow-writes        also probe PUT/POST/PATCH/DELETE, only on records the run creates
                            (and deletes again); other writes only when named exactly: an operationId in
                            --operations, or 'METHOD /path' in --paths (a wildcard only narrows)
      --negative            also send requests the document says are invalid, one change at a time,
                            and valid boundary values (read-only unless --allow-writes)
      --max-negative <n>    negative requests per operation at most (default 8)
      --seed <n>            which negative requests are chosen (default: random, recorded in the report)
      --min-coverage <pct>  percentage of the selected operations that must reach a validated success
                            response; below it the run is inconclusive (default: none)
      --allow-remote-refs   let $refs leave the profile's folder or fetch remote URLs
      --dry-run             print every request a run would send, its body and why; send nothing
      --no-cache            neither read nor write the cache of profile checks (INTEROP_CACHE_DIR, else
                            $XDG_CACHE_HOME/interop-harness, else ~/.cache/interop-harness)
  -q, --quiet               no progress line and no warnings before the run; the summary at the end is kept
      --no-color            no colour even on a terminal (NO_COLOR is honoured too)

limits (safe defaults for a target you do not control):
      --timeout <dur>       per request, to the end of the body (default ${DEFAULT_LIMITS.requestTimeoutMs / 1000}s)
      --run-timeout <dur>   whole run; later probes are skipped (default ${DEFAULT_LIMITS.runTimeoutMs / 60000}m)
      --max-body <size>     response body after decoding; reading stops there (default ${kib(DEFAULT_LIMITS.maxBodyBytes) === '10240kb' ? '10mb' : kib(DEFAULT_LIMITS.maxBodyBytes)})
      --max-header <size>   response header block (default ${kib(DEFAULT_LIMITS.maxHeaderBytes)})
      --max-redirects <n>   same-origin redirects followed; other origins never (default ${DEFAULT_LIMITS.maxRedirects})
      --concurrency <n>     requests in flight (default ${DEFAULT_LIMITS.concurrency})
      --rate <n>            requests per second (default: no limit)
      --max-retry-wait <dur>  longest Retry-After on a 429 waited before one retry (default ${DEFAULT_LIMITS.maxRetryWaitMs / 1000}s)
      --max-pages <n>       pages the pagination check follows before it fails (default ${DEFAULT_LIMITS.maxPages})
      --export-wait <dur>   total wait for one bulk export to complete (default ${DEFAULT_LIMITS.exportWaitMs / 60000}m)
      --max-export-bytes <size>  largest export file streamed (default ${DEFAULT_LIMITS.maxExportBytes / 1024 ** 3}gb)
      --max-profile <size>  profile document, and each file it $refs (default ${DEFAULT_LIMITS.maxProfileBytes / 1024 ** 2}mb;
                            lint-profile and requirements take it too)
      --max-json-values <n> JSON values a body may hold before it is not parsed (default ${DEFAULT_LIMITS.maxJsonValues})
      --evidence-bytes <size>  body bytes kept per result in the report (default ${kib(DEFAULT_LIMITS.evidenceBodyBytes)})

Exit codes:
  0  verdict conformant: no MUST-level check failed or errored, a MUST passed, and a
     probe reached a documented success response
  1  a MUST-level check failed (non-conformant), or conformance was not shown
     (inconclusive: evidence missing, credentials missing or rejected, paths not served,
     coverage below --min-coverage)
  2  bad input: usage, profile, target URL, unreachable target; one line on stderr
`;
