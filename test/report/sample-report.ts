import { createHash } from 'node:crypto';
/**
 * A realistic report for reporter tests: a profile-mode run against a policing
 * API with results of every status, schema errors, a timeout, a cut-off body,
 * a redirect, profile warnings, a generic (requirement-less) check and an
 * operation that was not probed. Some supplier-controlled text is hostile on
 * purpose, to prove every output escapes or sanitises it.
 */
import type { CheckResult, Evidence, Level, ResultStatus } from '../../harness/results.js';
import type { Report, RequirementSummary } from '../../harness/report/report-types.js';
import { withResultIds } from '../../harness/report/result-ids.js';
import type { ProfileWarning } from '../../harness/profile/profile-types.js';

/** A body excerpt that would break naive XML (CDATA end, a tag, a NUL, an ANSI escape). */
export const HOSTILE_EXCERPT = ']]></failure><script>&\u0000\u001b[31m';

/** A supplier header value echoed into a message: clears the screen, then flips text right-to-left. */
export const HOSTILE_CONTENT_TYPE = 'text/html\u001b[2J\u202eLIAF';

const TARGET = 'https://api.example.police.uk/v1';

/**
 * A minimal result with sensible defaults, for tests that only care about a few fields.
 *
 * @example
 *   makeResult({ status: 'fail', level: 'SHOULD' });
 */
export function makeResult(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    check: 'response-schema',
    requirement: 'PNC-API-001',
    level: 'MUST',
    operationId: 'getPerson',
    method: 'GET',
    path: '/persons/{personId}',
    status: 'pass',
    message: 'response body matches the schema for 200 application/json',
    ...overrides,
  };
}

interface EvidenceInput {
  method?: string;
  url: string;
  status?: number;
  contentType?: string;
  body?: string;
  truncated?: boolean;
  durationMs?: number;
  transportError?: { code: string; message: string };
  redirects?: Evidence['redirects'];
}

function evidence(input: EvidenceInput): Evidence {
  const method = input.method ?? 'GET';
  const result: Evidence = {
    request: {
      method,
      url: input.url,
      headers: { accept: 'application/json', authorization: 'Bearer [redacted]', 'user-agent': 'interop-harness/0.1.0' },
    },
    durationMs: input.durationMs ?? 42.5,
    // The shape harness/http/curl.ts produces: -X only when not GET, every argument single-quoted.
    curl:
      `curl${method === 'GET' ? '' : ` -X '${method}'`} -H 'accept: application/json'` +
      ` -H 'authorization: Bearer [redacted]' -H 'user-agent: interop-harness/0.1.0' '${input.url}'`,
  };
  if (input.status !== undefined) {
    const body = input.body ?? '';
    result.response = {
      status: input.status,
      headers: { 'content-type': input.contentType ?? 'application/json', 'set-cookie': '[redacted]' },
      bodyExcerpt: body,
      bodyBytes: Buffer.byteLength(body),
      bodySha256: createHash('sha256').update(body).digest('hex'),
      truncated: input.truncated ?? false,
    };
  }
  if (input.transportError) result.transportError = input.transportError;
  if (input.redirects) result.redirects = input.redirects;
  return result;
}

const REQUIREMENTS: RequirementSummary[] = [
  { id: 'PNC-API-001', level: 'MUST', statement: 'Responses MUST match the schema the profile declares.', checks: ['response-schema'], source: 'OpenAPI Specification 3.1.0, 4.8.17' },
  { id: 'PNC-API-002', level: 'MUST', statement: 'JSON responses MUST declare Content-Type application/json.', checks: ['content-type'] },
  { id: 'PNC-API-003', level: 'SHOULD', statement: 'Personal data responses SHOULD send Cache-Control: no-store.', checks: ['cache-headers'] },
  { id: 'PNC-API-004', level: 'MUST', statement: 'Operations MUST answer with a documented status code.', checks: ['status-codes'] },
  { id: 'PNC-API-005', level: 'SHOULD', statement: 'Errors SHOULD use application/problem+json.', checks: ['problem-json'] },
];

const PERSON = `${TARGET}/persons/P-000123`;
const SEARCH = `${TARGET}/persons?surname=SMITH`;
const VEHICLE = `${TARGET}/vehicles/AB12CDE`;

function sampleResults(): CheckResult[] {
  return [
    makeResult({ evidence: evidence({ url: PERSON, status: 200, body: '{"personId":"P-000123","surname":"SMITH"}' }) }),
    makeResult({
      check: 'content-type',
      requirement: 'PNC-API-002',
      message: 'Content-Type application/json is acceptable',
      evidence: evidence({ url: PERSON, status: 200, body: '{"personId":"P-000123"}' }),
    }),
    makeResult({
      operationId: 'searchPersons',
      path: '/persons',
      status: 'fail',
      message: 'response body does not match the schema for 200 application/json (2 errors)',
      expected: 'an object with required property "items" (array of Person)',
      actual: HOSTILE_EXCERPT,
      schemaErrors: [
        { pointer: '', keyword: 'required', schemaPath: '#/required', message: "must have required property 'items'" },
        {
          pointer: '/results/0/dateOfBirth',
          keyword: 'format',
          schemaPath: '#/properties/results/items/properties/dateOfBirth/format',
          message: 'must match format "date"',
          value: '"31/02/1980"',
        },
      ],
      evidence: evidence({ url: SEARCH, status: 200, body: HOSTILE_EXCERPT, durationMs: 120 }),
    }),
    makeResult({
      check: 'content-type',
      requirement: 'PNC-API-002',
      operationId: 'searchPersons',
      path: '/persons',
      status: 'fail',
      message: `Content-Type is "${HOSTILE_CONTENT_TYPE}", not a JSON media type`,
      expected: 'application/json',
      actual: HOSTILE_CONTENT_TYPE,
      evidence: evidence({ url: SEARCH, status: 200, contentType: HOSTILE_CONTENT_TYPE, body: '<html>' }),
    }),
    makeResult({
      check: 'cache-headers',
      requirement: 'PNC-API-003',
      level: 'SHOULD',
      status: 'fail',
      message: 'no Cache-Control header on a response carrying personal data',
      expected: 'Cache-Control: no-store',
      actual: '(absent)',
      evidence: evidence({ url: PERSON, status: 200, body: '{}' }),
    }),
    makeResult({
      check: 'cache-headers',
      requirement: 'PNC-API-003',
      level: 'SHOULD',
      operationId: 'searchPersons',
      path: '/persons',
      status: 'warn',
      message: 'Cache-Control is "private" rather than "no-store"',
      evidence: evidence({ url: SEARCH, status: 200, body: '{}' }),
    }),
    makeResult({
      operationId: 'getVehicle',
      path: '/vehicles/{vrm}',
      status: 'error',
      message: 'no response within 10000 ms: the schema could not be checked',
      evidence: evidence({
        url: VEHICLE,
        durationMs: 10000,
        transportError: { code: 'UND_ERR_HEADERS_TIMEOUT', message: 'Headers Timeout Error' },
        redirects: [{ status: 301, from: `${TARGET}/vehicles/ab12cde`, location: VEHICLE, followed: true }],
      }),
    }),
    makeResult({
      check: 'problem-json',
      requirement: 'PNC-API-005',
      level: 'SHOULD',
      operationId: 'getVehicle',
      path: '/vehicles/{vrm}',
      status: 'error',
      message: 'the error body was cut off at 1048576 bytes and could not be judged',
      evidence: evidence({ url: VEHICLE, status: 500, body: '{"type":"about:blank","detail":"', truncated: true }),
    }),
    makeResult({
      check: 'status-codes',
      requirement: 'PNC-API-004',
      message: 'status 200 is documented',
      evidence: evidence({ url: PERSON, status: 200, body: '{}' }),
    }),
    makeResult({
      check: 'security-headers',
      requirement: null,
      level: 'SHOULD',
      status: 'warn',
      message: 'Strict-Transport-Security is missing',
      expected: 'Strict-Transport-Security: max-age=31536000',
      evidence: evidence({ url: PERSON, status: 200, body: '{}' }),
    }),
    makeResult({
      check: 'probe',
      requirement: null,
      level: 'MAY',
      operationId: 'createPerson',
      method: 'POST',
      path: '/persons',
      status: 'skip',
      message: 'not probed: POST changes data; run with --allow-writes to probe it',
    }),
    makeResult({
      check: 'problem-json',
      requirement: 'PNC-API-005',
      level: 'SHOULD',
      status: 'skip',
      message: 'no error response was observed for this operation',
    }),
  ];
}

const WARNINGS: ProfileWarning[] = [
  { code: 'unknown-format', message: 'format "vrm" is not known; values are not checked against it', location: '/components/schemas/Vehicle/properties/vrm' },
];

/**
 * The profile-mode sample: 12 results (3 pass, 3 fail, 2 warn, 2 skip, 2 error),
 * non-conformant (2 MUST failures, 1 MUST error). The summary is written out by
 * hand so the summarize tests check it independently.
 *
 * @example
 *   const report = buildSampleReport();
 */
export function buildSampleReport(): Report {
  return {
    reportFormat: '1.0',
    harness: { name: 'interop-harness', version: '0.1.0' },
    profile: {
      id: 'pnc-persons',
      title: 'PNC Persons and Vehicles API',
      version: '1.2.0',
      sha256: 'a3f5c2d1e0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3',
      source: '/work/profiles/pnc-persons.yaml',
      openapi: '3.0.3',
      convertedFrom: 'swagger-2.0',
      mode: 'profile',
      servers: ['https://api.pnc.example/v1'],
      warnings: structuredClone(WARNINGS),
    },
    target: { url: TARGET },
    startedAt: '2025-11-23T10:00:00.000Z',
    finishedAt: '2025-11-23T10:00:12.345Z',
    durationMs: 12345,
    invocation: { argv: ['run', '--profile', '/work/profiles/pnc-persons.yaml', '--target', TARGET, '--token-env', 'PNC_TOKEN', '-H', 'X-Api-Key: [redacted]'] },
    options: {
      limits: {
        requestTimeoutMs: 10000,
        maxBodyBytes: 1048576,
        maxHeaderBytes: 16384,
        maxRedirects: 5,
        concurrency: 4,
        ratePerSecond: null,
        runTimeoutMs: 600000,
        evidenceBodyBytes: 2048,
        maxRetryWaitMs: 5000,
        maxJsonValues: 1000000,
        maxPages: 100,
        exportWaitMs: 300000,
        maxExportBytes: 2147483648,
        maxProfileBytes: 20971520,
      },
      allowWrites: true,
      checks: ['response-schema', 'content-type', 'cache-headers', 'status-codes', 'problem-json', 'security-headers'],
    },
    cleanup: { created: 2, deleted: [`${TARGET}/persons/P-901`], leftBehind: [{ url: `${TARGET}/persons/P-902`, reason: 'clean-up DELETE answered 500' }] },
    requirements: structuredClone(REQUIREMENTS),
    checks: [
      { id: 'response-schema', title: 'Response schema', description: 'The response body validates against the schema declared for its status and media type.' },
      { id: 'content-type', title: 'Content-Type', description: 'The response Content-Type is one the operation declares.' },
      { id: 'cache-headers', title: 'Cache headers', description: 'Responses with personal data are not cacheable.' },
      { id: 'status-codes', title: 'Status codes', description: 'The status code is one the operation documents.' },
      { id: 'problem-json', title: 'Problem details', description: 'Error responses use application/problem+json.' },
      { id: 'security-headers', title: 'Security headers', description: 'HSTS and related headers are sent.' },
    ],
    summary: {
      verdict: 'non-conformant',
      total: 12,
      passed: 3,
      failed: 3,
      warnings: 2,
      skipped: 2,
      errors: 2,
      mustFailed: 2,
      mustUnverified: [],
    mustErrors: 1,
      probes: 3,
      operationsSkipped: 1,
    },
    claims: {
      source: 'well-known',
      location: `${TARGET}/.well-known/interop-claims`,
      supplier: 'Vendor A (fictional)',
      product: 'Case system',
      productVersion: '4.2.0',
      profileClaimed: true,
      versionClaimed: '1.0.0',
      verified: 1,
      refuted: 1,
      unverified: 0,
      notClaimed: 1,
      entries: [
        { requirement: 'PNC-API-001', level: 'MUST', claimed: true, status: 'verified', observed: 'verified', reason: 'status-code passed' },
        { requirement: 'PNC-API-004', level: 'MUST', claimed: true, status: 'refuted', observed: 'refuted', reason: 'response-schema failed on getPerson' },
        { requirement: 'PNC-API-009', level: 'SHOULD', claimed: false, status: 'not-claimed', observed: 'verified', reason: 'compression passed' },
      ],
    },
    results: withResultIds(sampleResults()),
  };
}

/**
 * A generic-mode report (plain OpenAPI, no x-interop): no requirements,
 * every result has `requirement: null`, conformant.
 *
 * @example
 *   buildGenericReport().results.every((r) => r.requirement === null); // true
 */
export function buildGenericReport(): Report {
  const report = buildSampleReport();
  // Generic mode has no requirements, so no claims ledger.
  delete report.claims;
  const results = [
    makeResult({ requirement: null, evidence: evidence({ url: PERSON, status: 200, body: '{}' }) }),
    makeResult({ requirement: null, check: 'content-type', message: 'ok', evidence: evidence({ url: PERSON, status: 200 }) }),
    makeResult({
      requirement: null,
      check: 'security-headers',
      level: 'SHOULD',
      status: 'fail',
      message: 'Strict-Transport-Security is missing',
      evidence: evidence({ url: PERSON, status: 200 }),
    }),
  ];
  return {
    ...report,
    profile: { ...report.profile, id: 'petstore', title: 'Petstore', version: '1.0.0', mode: 'generic', warnings: [] },
    requirements: [],
    summary: {
      verdict: 'conformant',
      total: 3,
      passed: 2,
      failed: 1,
      warnings: 0,
      skipped: 0,
      errors: 0,
      mustFailed: 0,
      mustUnverified: [],
    mustErrors: 0,
      probes: 1,
      operationsSkipped: 0,
    },
    results: withResultIds(results),
  };
}

/**
 * Results of one status and level, numbered, for tests about long tables.
 *
 * @example
 *   manyResults(25, 'fail', 'MUST').length; // 25
 */
export function manyResults(count: number, status: ResultStatus, level: Level): CheckResult[] {
  return Array.from({ length: count }, (_, index) =>
    makeResult({ status, level, operationId: `operation${index + 1}`, message: `finding number ${index + 1}` }),
  );
}
