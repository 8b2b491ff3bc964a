/**
 * The API's OpenAPI 3.1 document, written by hand beside the routes
 * (api-routes.ts) and served at /api/openapi.json. The harness runs it
 * against the service itself in generic mode with zero failures
 * (test/service/dogfood.test.ts), so a route that drifts from it fails a test.
 */
const uuid = { type: 'string', format: 'uuid', example: '00000000-0000-4000-8000-000000000000' };
const dateTime = { type: 'string', format: 'date-time' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const errors = { '400': problem('The request is invalid'), '401': problem('No valid bearer token'), '403': problem('The account may not do this'), '404': problem('Not found, or not visible to this account') };
const readErrors = { '401': errors['401'], '403': errors['403'], '404': errors['404'] };
const evaluationId = { name: 'evaluationId', in: 'path', required: true, schema: uuid };
const runId = { name: 'runId', in: 'path', required: true, schema: uuid };
const supplierId = { name: 'supplierId', in: 'path', required: true, schema: uuid };

const reportDownloads = Object.fromEntries(
  (
    [
      ['report.json', 'application/json', { type: 'object' }, 'The canonical report (reports/report.schema.json)'],
      ['report.json.sig', 'application/json', ref('ReportSignature'), 'Ed25519 signature of report.json with the evaluation key'],
      ['report.html', 'text/html', { type: 'string' }, 'The self-contained HTML report'],
      ['report.md', 'text/markdown', { type: 'string' }, 'The Markdown summary'],
      ['junit.xml', 'application/xml', { type: 'string' }, 'JUnit XML for CI'],
    ] as const
  ).map(([name, mediaType, schema, description]) => [
    `/api/runs/{runId}/${name}`,
    {
      get: {
        operationId: `getRun${name.replace(/(^|\.)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`,
        summary: description,
        tags: ['runs'],
        parameters: [runId],
        responses: { '200': { description, content: { [mediaType]: { schema } } }, ...readErrors },
      },
    },
  ]),
);

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'interop-harness evaluation workspace API',
    version: '1',
    description: 'Create evaluations and suppliers, queue conformance runs, poll them and fetch their signed reports. Every operation takes `Authorization: Bearer <API token>`; errors are RFC 9457 problem details.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  tags: [{ name: 'evaluations' }, { name: 'suppliers' }, { name: 'runs' }, { name: 'accounts' }],
  paths: {
    '/api/openapi.json': {
      get: { operationId: 'getOpenApiDocument', summary: 'This document', tags: ['accounts'], security: [], responses: { '200': { description: 'The OpenAPI 3.1 document', ...json({ type: 'object' }) } } },
    },
    '/api/me': {
      get: { operationId: 'getMe', summary: 'The account the token belongs to', tags: ['accounts'], responses: { '200': { description: 'The account', ...json(ref('Me')) }, '401': errors['401'] } },
    },
    '/api/profiles': {
      get: { operationId: 'listProfiles', summary: 'Bundled profiles an evaluation may use', tags: ['evaluations'], responses: { '200': { description: 'Profiles', ...json({ type: 'object', required: ['profiles'], properties: { profiles: { type: 'array', items: ref('Profile') } } }) }, '401': errors['401'] } },
    },
    '/api/evaluations': {
      get: { operationId: 'listEvaluations', summary: 'Evaluations visible to the account', tags: ['evaluations'], responses: { '200': { description: 'Evaluations', ...json({ type: 'object', required: ['evaluations'], properties: { evaluations: { type: 'array', items: ref('Evaluation') } } }) }, '401': errors['401'] } },
      post: {
        operationId: 'createEvaluation',
        summary: 'Create an evaluation (admin, evaluator); its signing key is generated',
        tags: ['evaluations'],
        requestBody: { required: true, ...json(ref('NewEvaluation')) },
        responses: { '201': { description: 'Created', ...json(ref('Evaluation')) }, '400': errors['400'], '401': errors['401'], '403': errors['403'] },
      },
    },
    '/api/evaluations/{evaluationId}': {
      get: { operationId: 'getEvaluation', summary: 'One evaluation', tags: ['evaluations'], parameters: [evaluationId], responses: { '200': { description: 'The evaluation', ...json(ref('Evaluation')) }, ...readErrors } },
    },
    '/api/evaluations/{evaluationId}/public-key': {
      get: { operationId: 'getEvaluationPublicKey', summary: 'The Ed25519 public key (PEM) that verifies its reports', tags: ['evaluations'], parameters: [evaluationId], responses: { '200': { description: 'SPKI PEM, for `interop-harness verify --key`', content: { 'application/x-pem-file': { schema: { type: 'string' } } } }, ...readErrors } },
    },
    '/api/evaluations/{evaluationId}/suppliers': {
      get: { operationId: 'listSuppliers', summary: 'Suppliers of the evaluation (a supplier account sees only its own)', tags: ['suppliers'], parameters: [evaluationId], responses: { '200': { description: 'Suppliers', ...json({ type: 'object', required: ['suppliers'], properties: { suppliers: { type: 'array', items: ref('Supplier') } } }) }, ...readErrors } },
      post: {
        operationId: 'addSupplier',
        summary: 'Add a supplier; its credentials are stored encrypted and never returned',
        tags: ['suppliers'],
        parameters: [evaluationId],
        requestBody: { required: true, ...json(ref('NewSupplier')) },
        responses: { '201': { description: 'Created', ...json(ref('Supplier')) }, '422': problem('The target or token URL is outside INTEROP_ALLOWED_TARGETS (the field names which)'), ...errors },
      },
    },
    '/api/suppliers/{supplierId}': {
      get: { operationId: 'getSupplier', summary: 'One supplier', tags: ['suppliers'], parameters: [supplierId], responses: { '200': { description: 'The supplier', ...json(ref('Supplier')) }, ...readErrors } },
    },
    '/api/suppliers/{supplierId}/claims': {
      put: {
        operationId: 'putSupplierClaims',
        summary: "Upload the supplier's claims document (profiles/interop-claims.schema.json)",
        tags: ['suppliers'],
        parameters: [supplierId],
        requestBody: { required: true, ...json({ type: 'object' }) },
        responses: { '204': { description: 'Stored' }, ...errors },
      },
    },
    '/api/evaluations/{evaluationId}/runs': {
      get: {
        operationId: 'listRuns',
        summary: 'Runs of the evaluation, newest first (history)',
        tags: ['runs'],
        parameters: [evaluationId, { name: 'supplier', in: 'query', required: false, schema: uuid }],
        responses: { '200': { description: 'Runs', ...json({ type: 'object', required: ['runs'], properties: { runs: { type: 'array', items: ref('Run') } } }) }, ...readErrors },
      },
      post: {
        operationId: 'queueRuns',
        summary: 'Queue a run of each (or the named) supplier against each profile; a supplier account queues self-tests of its own sandbox',
        tags: ['runs'],
        parameters: [evaluationId],
        requestBody: { required: false, ...json(ref('QueueRuns')) },
        responses: { '202': { description: 'Queued', ...json({ type: 'object', required: ['runs'], properties: { runs: { type: 'array', items: ref('QueuedRun') } } }) }, ...errors },
      },
    },
    '/api/evaluations/{evaluationId}/compare': {
      get: { operationId: 'compareSuppliers', summary: 'The compare matrix, from the latest finished run of each supplier and profile', tags: ['evaluations'], parameters: [evaluationId], responses: { '200': { description: 'Suppliers by requirements', ...json(ref('CompareMatrix')) }, ...readErrors } },
    },
    '/api/evaluations/{evaluationId}/audit': {
      get: { operationId: 'getAuditLog', summary: 'Who did what and when in the evaluation', tags: ['evaluations'], parameters: [evaluationId], responses: { '200': { description: 'Newest first', ...json({ type: 'object', required: ['entries'], properties: { entries: { type: 'array', items: ref('AuditEntry') } } }) }, ...readErrors } },
    },
    '/api/evaluations/{evaluationId}/members': {
      post: {
        operationId: 'addMember',
        summary: 'Add an evaluator account to the evaluation',
        tags: ['evaluations'],
        parameters: [evaluationId],
        requestBody: { required: true, ...json({ type: 'object', required: ['account'], properties: { account: uuid } }) },
        responses: { '204': { description: 'Added' }, ...errors },
      },
    },
    '/api/runs/{runId}': {
      get: { operationId: 'getRun', summary: 'A run: status, verdict and summary once finished', tags: ['runs'], parameters: [runId], responses: { '200': { description: 'The run', ...json(ref('Run')) }, ...readErrors } },
    },
    ...reportDownloads,
    '/api/accounts': {
      get: { operationId: 'listAccounts', summary: 'Accounts (admin)', tags: ['accounts'], responses: { '200': { description: 'Accounts', ...json({ type: 'object', required: ['accounts'], properties: { accounts: { type: 'array', items: ref('Account') } } }) }, '401': errors['401'], '403': errors['403'] } },
      post: { operationId: 'createAccount', summary: 'Create an account (admin)', tags: ['accounts'], requestBody: { required: true, ...json(ref('NewAccount')) }, responses: { '201': { description: 'Created', ...json(ref('Account')) }, '409': problem('The email is taken'), ...errors } },
    },
    '/api/accounts/{accountId}': {
      patch: {
        operationId: 'setAccountDisabled',
        summary: "Disable an account (its tokens, password and sessions stop working at once) or enable it again (admin; not one's own)",
        tags: ['accounts'],
        parameters: [{ name: 'accountId', in: 'path', required: true, schema: uuid }],
        requestBody: { required: true, ...json({ type: 'object', required: ['disabled'], additionalProperties: false, properties: { disabled: { type: 'boolean' } } }) },
        responses: { '200': { description: 'The account', ...json(ref('Account')) }, '409': problem('An admin cannot disable their own account'), ...errors },
      },
    },
    '/api/tokens': {
      get: {
        operationId: 'listApiTokens',
        summary: "Your API tokens, or (admin) another account's; never the tokens themselves",
        tags: ['accounts'],
        parameters: [{ name: 'account', in: 'query', required: false, schema: uuid }],
        responses: { '200': { description: 'Tokens, newest first', ...json({ type: 'object', required: ['tokens'], properties: { tokens: { type: 'array', items: ref('ApiToken') } } }) }, ...readErrors },
      },
      post: {
        operationId: 'createApiToken',
        summary: 'Create an API token for yourself, or (admin) for another account; shown once',
        tags: ['accounts'],
        requestBody: { required: false, ...json({ type: 'object', properties: { name: { type: 'string' }, account: uuid } }) },
        responses: { '201': { description: 'The token, shown only now', ...json({ type: 'object', required: ['id', 'token', 'account'], properties: { id: uuid, token: { type: 'string' }, account: uuid } }) }, ...errors },
      },
    },
    '/api/tokens/{tokenId}': {
      delete: {
        operationId: 'revokeApiToken',
        summary: "Revoke one of your API tokens, or (admin) anyone's: it authenticates nobody from now on",
        tags: ['accounts'],
        parameters: [{ name: 'tokenId', in: 'path', required: true, schema: uuid }],
        responses: { '200': { description: 'The token, revoked', ...json(ref('ApiToken')) }, ...readErrors },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (`ih_…`)' } },
    schemas: {
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' }, field: { type: 'string' } },
      },
      Me: { type: 'object', required: ['id', 'role', 'supplier'], properties: { id: uuid, role: { enum: ['admin', 'evaluator', 'supplier'] }, supplier: { type: ['string', 'null'] } } },
      Profile: { type: 'object', required: ['id', 'title', 'version', 'status'], properties: { id: { type: 'string' }, title: { type: 'string' }, version: { type: 'string' }, status: { type: 'string' } } },
      NewEvaluation: {
        type: 'object',
        required: ['name', 'profiles'],
        properties: { name: { type: 'string', minLength: 1, example: 'Records management 2027' }, profiles: { type: 'array', items: { type: 'string' }, minItems: 1, example: ['baseline'] }, deadline: dateTime },
      },
      Evaluation: {
        type: 'object',
        required: ['id', 'name', 'profiles', 'deadline', 'signingKeyId', 'createdAt', 'publicKey'],
        properties: { id: uuid, name: { type: 'string' }, profiles: { type: 'array', items: { type: 'string' } }, deadline: nullableDateTime, signingKeyId: { type: 'string' }, createdAt: dateTime, publicKey: { type: 'string' } },
      },
      SupplierAuth: {
        oneOf: [
          { type: 'object', required: ['bearerToken'], additionalProperties: false, properties: { bearerToken: { type: 'string' } } },
          { type: 'object', required: ['clientId', 'clientSecret'], additionalProperties: false, properties: { clientId: { type: 'string' }, clientSecret: { type: 'string' }, tokenUrl: { type: 'string', format: 'uri' } } },
          { type: 'object', required: ['headers'], additionalProperties: false, properties: { headers: { type: 'object', additionalProperties: { type: 'string' } } } },
        ],
      },
      NewSupplier: { type: 'object', required: ['name', 'target'], properties: { name: { type: 'string' }, target: { type: 'string', format: 'uri' }, auth: ref('SupplierAuth') } },
      Supplier: {
        type: 'object',
        required: ['id', 'evaluation', 'name', 'target', 'auth', 'hasClaims', 'createdAt'],
        properties: {
          id: uuid,
          evaluation: uuid,
          name: { type: 'string' },
          target: { type: 'string' },
          auth: { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: { enum: ['none', 'bearerToken', 'clientCredentials', 'headers'] } } },
          hasClaims: { type: 'boolean' },
          createdAt: dateTime,
        },
      },
      QueueRuns: { type: 'object', properties: { suppliers: { type: 'array', items: uuid }, profiles: { type: 'array', items: { type: 'string' } } } },
      QueuedRun: { type: 'object', required: ['id', 'supplier', 'profile', 'status'], properties: { id: uuid, supplier: uuid, profile: { type: 'string' }, status: { enum: ['queued', 'running', 'finished', 'failed'] } } },
      Run: {
        type: 'object',
        required: ['id', 'evaluation', 'supplier', 'profile', 'kind', 'status', 'progress', 'attempts', 'createdAt', 'startedAt', 'finishedAt'],
        properties: {
          id: uuid,
          evaluation: uuid,
          supplier: uuid,
          profile: { type: 'string' },
          kind: { enum: ['evaluation', 'self-test'] },
          status: { enum: ['queued', 'running', 'finished', 'failed'] },
          verdict: { enum: ['conformant', 'non-conformant', 'inconclusive'] },
          summary: { type: 'object', description: "report.json's summary" },
          progress: { type: 'object', properties: { operations: { type: 'integer' }, probesFinished: { type: 'integer' }, lastOperation: { type: 'string' } } },
          error: { type: 'string' },
          attempts: { type: 'integer' },
          createdAt: dateTime,
          startedAt: nullableDateTime,
          finishedAt: nullableDateTime,
          reports: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      CompareMatrix: {
        type: 'object',
        required: ['evaluation', 'profiles', 'suppliers', 'rows', 'warnings'],
        properties: {
          evaluation: uuid,
          profiles: { type: 'array', items: { type: 'string' } },
          suppliers: { type: 'array', items: { type: 'object', required: ['id', 'name', 'runs'], properties: { id: uuid, name: { type: 'string' }, runs: { type: 'object', additionalProperties: uuid } } } },
          rows: {
            type: 'array',
            items: {
              type: 'object',
              required: ['profile', 'requirement', 'kind', 'level', 'statement', 'principle', 'cells'],
              properties: {
                profile: { type: 'string' },
                requirement: { type: 'string' },
                kind: { enum: ['requirement', 'check'] },
                level: { type: 'string' },
                statement: { type: 'string' },
                principle: { type: 'string' },
                cells: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['supplier', 'status', 'detail', 'run'],
                    properties: { supplier: uuid, status: { enum: ['passed', 'failed', 'unverified', 'not claimed'] }, detail: { type: 'string' }, run: { type: ['string', 'null'] } },
                  },
                },
              },
            },
          },
          warnings: { type: 'array', items: { type: 'string' } },
        },
      },
      ReportSignature: { type: 'object', required: ['signed', 'signature'], properties: { signed: { type: 'object' }, signature: { type: 'string' } } },
      AuditEntry: {
        type: 'object',
        required: ['id', 'at', 'accountId', 'action', 'evaluationId', 'subject', 'detail'],
        properties: { id: { type: 'integer' }, at: dateTime, accountId: { type: ['string', 'null'] }, action: { type: 'string' }, evaluationId: { type: ['string', 'null'] }, subject: { type: ['string', 'null'] }, detail: { type: 'object' } },
      },
      NewAccount: {
        type: 'object',
        required: ['email', 'name', 'role'],
        properties: { email: { type: 'string', format: 'email' }, name: { type: 'string' }, role: { enum: ['admin', 'evaluator', 'supplier'] }, supplier: uuid, password: { type: 'string', minLength: 12, writeOnly: true } },
      },
      ApiToken: {
        type: 'object',
        required: ['id', 'account', 'name', 'createdAt', 'lastUsedAt', 'revokedAt'],
        properties: { id: uuid, account: uuid, name: { type: 'string' }, createdAt: dateTime, lastUsedAt: nullableDateTime, revokedAt: nullableDateTime },
      },
      Account: {
        type: 'object',
        required: ['id', 'email', 'name', 'role', 'supplier', 'createdAt', 'disabled'],
        properties: { id: uuid, email: { type: 'string' }, name: { type: 'string' }, role: { enum: ['admin', 'evaluator', 'supplier'] }, supplier: { type: ['string', 'null'] }, createdAt: dateTime, disabled: { type: 'boolean' } },
      },
    },
  },
} as const;
