import fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { AccessPolicy } from './access-policy.js';
import { apiRoutes } from './api/api-routes.js';
import type { ProgressHub } from './queue/progress-hub.js';
import type { SecretBox } from './secret-box.js';
import type { Database } from './store/database.js';
import type { Workspace } from './workspace.js';

/** What route plugins (the API, the pages) are given: the workspace and the pieces under it. */
export interface ServiceContext {
  db: Database;
  workspace: Workspace;
  policy: AccessPolicy;
  hub: ProgressHub;
  box: SecretBox;
}

/**
 * A plugin that adds routes outside /api, such as the HTML pages: called with
 * the root app and the context. Register it through `buildApp({ plugins })`.
 *
 * @example
 *   const pages: ServicePlugin = async (app, context) => { app.get('/', async () => 'hello'); };
 */
export type ServicePlugin = (app: FastifyInstance, context: ServiceContext) => Promise<void>;

export interface BuildAppOptions {
  context: ServiceContext;
  /** Route plugins for everything outside /api (ws-web's pages), registered in order after the API. */
  plugins?: ServicePlugin[];
  /** fastify's logger option (default: off; `serve` passes a JSON logger on stderr). */
  logger?: boolean | object;
  /**
   * Told one line per response with a 5xx status: the request id, method,
   * route and the error's message, never a body or a header (they may hold
   * credentials). `serve` writes these lines to stderr.
   */
  logServerError?: (line: string) => void;
  /** How long `app.close()` lets requests in flight finish before it cuts the connections still open (default {@link CLOSE_GRACE_MS}). */
  closeGraceMs?: number;
}

/**
 * The most `app.close()` waits for open connections. A client that connected
 * and never sent a request (a browser's preconnect, a proxy that gave up)
 * would otherwise hold `serve`'s shutdown forever: once a Node server starts
 * closing it no longer times out request headers, and fastify closes only
 * idle keep-alive connections.
 */
export const CLOSE_GRACE_MS = 5_000;

/**
 * The service's fastify app: the JSON API under /api and the given plugins.
 * Nothing is listening yet; `serve` listens, tests use `app.listen({ port: 0, host: '127.0.0.1' })`.
 *
 * @example
 *   const app = await buildApp({ context, plugins: [registerPages] });
 *   await app.listen({ host: '127.0.0.1', port: 0 });
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });
  app.decorateRequest('actor', null);
  let cutConnections: NodeJS.Timeout | undefined;
  app.addHook('preClose', function boundTheClose(done) {
    cutConnections = setTimeout(() => app.server.closeAllConnections(), options.closeGraceMs ?? CLOSE_GRACE_MS);
    cutConnections.unref();
    done();
  });
  // onClose hooks added here run after fastify's own, which waits for the server to close.
  app.addHook('onClose', function stopTheCut(_app, done) {
    clearTimeout(cutConnections);
    done();
  });
  // Safe defaults on every response; pages may tighten their own CSP.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  const logServerError = options.logServerError;
  if (logServerError) {
    // The error is seen in onError, the final status in onResponse: an error mapped to a 4xx is not a server error.
    const errors = new WeakMap<object, Error>();
    app.addHook('onError', async (request, _reply, error) => {
      errors.set(request, error);
    });
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode < 500) return;
      const error = errors.get(request);
      const message = error ? `${error.name}: ${error.message}` : 'no error recorded';
      logServerError(`${reply.statusCode} ${request.method} ${request.routeOptions.url ?? 'unrouted'} (request ${request.id}): ${message.replace(/\s+/g, ' ').slice(0, 500)}`);
    });
  }
  await app.register(apiRoutes({ db: options.context.db, workspace: options.context.workspace }) as FastifyPluginAsync, { prefix: '/api' });
  for (const plugin of options.plugins ?? []) await plugin(app, options.context);
  return app;
}
