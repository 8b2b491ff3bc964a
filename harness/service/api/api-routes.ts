import type { FastifyInstance } from 'fastify';
import type { SupplierAuth } from '../domain.js';
import { InvalidInput } from '../invalid-input.js';
import type { Workspace } from '../workspace.js';
import type { Queryable } from '../store/database.js';
import { bearerAuthentication } from './authenticate.js';
import { OPENAPI_DOCUMENT } from './openapi-document.js';
import { problemFor, sendProblem } from './problem.js';
import { accountView, evaluationView, REPORT_NAMES, runView, supplierView } from './views.js';

/**
 * The JSON API under /api, for CI and scripts: every route authenticates the
 * bearer token, then calls the workspace, which asks the access policy.
 * Errors are RFC 9457 problem details. The OpenAPI 3.1 document describing it
 * is served at /api/openapi.json (no token needed to read it).
 */
export function apiRoutes(deps: { db: Queryable; workspace: Workspace }) {
  const { workspace } = deps;
  return async function registerApi(api: FastifyInstance): Promise<void> {
    api.setErrorHandler((error, request, reply) => {
      const problem = problemFor(error);
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, request, problem.status, problem.detail, problem.field);
    });
    api.setNotFoundHandler((request, reply) => sendProblem(reply, request, 404, 'no such API route'));

    api.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(OPENAPI_DOCUMENT));

    api.register(async (secured) => {
      secured.addHook('onRequest', bearerAuthentication(deps.db));
      const actor = (request: { actor: unknown }) => request.actor as NonNullable<import('fastify').FastifyRequest['actor']>;

      secured.get('/me', async (request) => {
        const me = actor(request);
        return { id: me.id, role: me.role, supplier: me.supplierId };
      });

      secured.get('/profiles', async () => ({ profiles: (await import('../../index.js')).listBundledProfiles().map(({ id, title, version, status }) => ({ id, title, version, status })) }));

      secured.get('/evaluations', async (request) => ({ evaluations: (await workspace.listEvaluations(actor(request))).map(evaluationView) }));

      secured.post<{ Body: { name: string; profiles: string[]; deadline?: string } }>(
        '/evaluations',
        { schema: { body: { type: 'object', required: ['name', 'profiles'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, profiles: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 20 }, deadline: { type: 'string' } } } } },
        async (request, reply) => {
          const evaluation = await workspace.createEvaluation(actor(request), request.body);
          return reply.code(201).header('location', `/api/evaluations/${evaluation.id}`).send(evaluationView(evaluation));
        },
      );

      secured.get<{ Params: { evaluationId: string } }>('/evaluations/:evaluationId', async (request) => evaluationView(await workspace.getEvaluation(actor(request), request.params.evaluationId)));

      secured.get<{ Params: { evaluationId: string } }>('/evaluations/:evaluationId/public-key', async (request, reply) =>
        reply.type('application/x-pem-file').send(await workspace.publicKey(actor(request), request.params.evaluationId)),
      );

      secured.get<{ Params: { evaluationId: string } }>('/evaluations/:evaluationId/suppliers', async (request) => ({
        suppliers: (await workspace.listSuppliers(actor(request), request.params.evaluationId)).map(supplierView),
      }));

      secured.post<{ Params: { evaluationId: string }; Body: { name: string; target: string; auth?: unknown } }>(
        '/evaluations/:evaluationId/suppliers',
        { schema: { body: { type: 'object', required: ['name', 'target'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, target: { type: 'string', maxLength: 2048 }, auth: { type: 'object' } } } } },
        async (request, reply) => {
          const supplier = await workspace.addSupplier(actor(request), request.params.evaluationId, { name: request.body.name, target: request.body.target, ...(request.body.auth === undefined ? {} : { auth: parseAuth(request.body.auth) }) });
          return reply.code(201).header('location', `/api/suppliers/${supplier.id}`).send(supplierView(supplier));
        },
      );

      secured.get<{ Params: { supplierId: string } }>('/suppliers/:supplierId', async (request) => supplierView(await workspace.getSupplier(actor(request), request.params.supplierId)));

      secured.put<{ Params: { supplierId: string }; Body: unknown }>('/suppliers/:supplierId/claims', async (request, reply) => {
        await workspace.setClaims(actor(request), request.params.supplierId, request.body);
        return reply.code(204).send();
      });

      secured.get<{ Params: { evaluationId: string }; Querystring: { supplier?: string } }>('/evaluations/:evaluationId/runs', async (request) => ({
        runs: (await workspace.listRuns(actor(request), request.params.evaluationId, request.query.supplier)).map(runView),
      }));

      secured.post<{ Params: { evaluationId: string }; Body: { suppliers?: string[]; profiles?: string[] } | undefined }>(
        '/evaluations/:evaluationId/runs',
        { schema: { body: { type: ['object', 'null'], properties: { suppliers: { type: 'array', items: { type: 'string' }, maxItems: 100 }, profiles: { type: 'array', items: { type: 'string' }, maxItems: 20 } } } } },
        async (request, reply) => {
          const runs = await workspace.queueRuns(actor(request), request.params.evaluationId, request.body ?? {});
          return reply.code(202).send({ runs: runs.map((run) => ({ id: run.id, supplier: run.supplierId, profile: run.profile, status: run.status })) });
        },
      );

      secured.get<{ Params: { evaluationId: string } }>('/evaluations/:evaluationId/compare', async (request) => workspace.compare(actor(request), request.params.evaluationId));

      secured.get<{ Params: { evaluationId: string } }>('/evaluations/:evaluationId/audit', async (request) => ({ entries: await workspace.auditLog(actor(request), request.params.evaluationId) }));

      secured.get<{ Params: { runId: string } }>('/runs/:runId', async (request) => runView(await workspace.getRun(actor(request), request.params.runId)));

      for (const name of REPORT_NAMES) {
        secured.get<{ Params: { runId: string } }>(`/runs/:runId/${name}`, async (request, reply) => {
          const artifact = await workspace.artifact(actor(request), request.params.runId, name);
          reply.header('content-disposition', `attachment; filename="${name}"`);
          // A supplier's text inside report.html must never run on this origin: the report's own CSP, and no sniffing.
          reply.header('x-content-type-options', 'nosniff');
          if (name === 'report.html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
          return reply.type(artifact.mediaType).send(artifact.content);
        });
      }

      secured.get('/accounts', async (request) => ({ accounts: (await workspace.listAccounts(actor(request))).map(accountView) }));

      secured.post<{ Body: { email: string; name: string; role: 'admin' | 'evaluator' | 'supplier'; supplier?: string; password?: string } }>(
        '/accounts',
        {
          schema: {
            body: {
              type: 'object',
              required: ['email', 'name', 'role'],
              properties: { email: { type: 'string', maxLength: 320 }, name: { type: 'string', minLength: 1, maxLength: 200 }, role: { enum: ['admin', 'evaluator', 'supplier'] }, supplier: { type: 'string' }, password: { type: 'string', maxLength: 1024 } },
            },
          },
        },
        async (request, reply) => reply.code(201).send(accountView(await workspace.createAccount(actor(request), request.body))),
      );

      secured.post<{ Body: { name?: string; account?: string } | undefined }>(
        '/tokens',
        { schema: { body: { type: ['object', 'null'], properties: { name: { type: 'string', maxLength: 200 }, account: { type: 'string' } } } } },
        async (request, reply) => {
          const body = request.body ?? {};
          const created = await workspace.createApiToken(actor(request), { name: body.name ?? 'api', ...(body.account ? { account: body.account } : {}) });
          return reply.code(201).header('cache-control', 'no-store').send(created);
        },
      );

      secured.patch<{ Params: { accountId: string }; Body: { disabled: boolean } }>(
        '/accounts/:accountId',
        { schema: { body: { type: 'object', required: ['disabled'], additionalProperties: false, properties: { disabled: { type: 'boolean' } } } } },
        async (request) => accountView(await workspace.setAccountDisabled(actor(request), request.params.accountId, request.body.disabled)),
      );

      secured.get<{ Querystring: { account?: string } }>(
        '/tokens',
        { schema: { querystring: { type: 'object', properties: { account: { type: 'string' } } } } },
        async (request) => ({ tokens: await workspace.listApiTokens(actor(request), request.query.account) }),
      );

      secured.delete<{ Params: { tokenId: string } }>('/tokens/:tokenId', async (request) => workspace.revokeApiToken(actor(request), request.params.tokenId));

      secured.post<{ Params: { evaluationId: string }; Body: { account: string } }>(
        '/evaluations/:evaluationId/members',
        { schema: { body: { type: 'object', required: ['account'], properties: { account: { type: 'string' } } } } },
        async (request, reply) => {
          await workspace.addMember(actor(request), request.params.evaluationId, request.body.account);
          return reply.code(204).send();
        },
      );
    });
  };
}

/** `auth` is exactly one of the three shapes, with string values; anything else is refused, naming the shapes. */
function parseAuth(raw: unknown): SupplierAuth {
  const shapes = 'auth is one of {bearerToken}, {clientId, clientSecret, tokenUrl?}, {headers: {Name: value}}';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidInput(shapes, 'auth');
  const value = raw as Record<string, unknown>;
  const keys = Object.keys(value).sort().join(',');
  const str = (v: unknown) => typeof v === 'string' && v !== '' && v.length <= 8192;
  if (keys === 'bearerToken' && str(value.bearerToken)) return { bearerToken: value.bearerToken as string };
  if ((keys === 'clientId,clientSecret' || keys === 'clientId,clientSecret,tokenUrl') && str(value.clientId) && str(value.clientSecret) && (value.tokenUrl === undefined || str(value.tokenUrl))) {
    return { clientId: value.clientId as string, clientSecret: value.clientSecret as string, ...(value.tokenUrl ? { tokenUrl: value.tokenUrl as string } : {}) };
  }
  if (keys === 'headers' && value.headers !== null && typeof value.headers === 'object' && !Array.isArray(value.headers)) {
    const headers = value.headers as Record<string, unknown>;
    const entries = Object.entries(headers);
    if (entries.length > 0 && entries.length <= 20 && entries.every(([name, v]) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && str(v) && !/[\r\n]/.test(v as string))) {
      return { headers: Object.fromEntries(entries) as Record<string, string> };
    }
  }
  throw new InvalidInput(shapes, 'auth');
}
