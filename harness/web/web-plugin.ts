/**
 * The workspace's pages as one fastify plugin: sessions, CSRF, the login
 * limiter, server-side authorisation (through the core's port, which answers
 * null for what an account may not see, so those pages are 404 whether or
 * not the thing exists), and the live progress stream.
 *
 * Register it in its own encapsulated scope: its form parser, hooks and
 * security headers apply to its routes only, never to `/api`.
 *
 * @example
 *   app.register(createWebPlugin({ port: workspacePort, secureCookies: false }));
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isHarnessError } from '../errors.js';
import { HTML_CSP } from '../report/html-page.js';
import { renderAuditPage } from './audit-page.js';
import { renderComparePage } from './compare-page.js';
import { renderEvaluationPage, renderEvaluationsPage } from './evaluation-pages.js';
import { createLoginLimiter, type LoginLimiter } from './login-limiter.js';
import { renderLoginPage } from './login-page.js';
import { createProgressStreams, type ProgressStreamOptions } from './progress-stream.js';
import { renderRunPage } from './run-page.js';
import { renderSupplierPage } from './supplier-page.js';
import { WORKSPACE_CSS, WORKSPACE_JS } from './web-assets.js';
import { loginCsrfCookieName, readCookie, sessionCookie, sessionCookieName } from './web-cookies.js';
import { renderMessagePage, seg, WEB_CSP, type PageContext } from './web-page.js';
import type { NewSupplier, ReportFile, WebAccount, WebSession, WorkspacePort } from './web-port.js';
import { hashSessionId, randomSecret, sameSecret } from './web-session-token.js';

export interface WebPluginOptions {
  port: WorkspacePort;
  /**
   * Mark the session cookie Secure (and name it `__Host-…`) even when the
   * request arrived over plain http: for a service behind a TLS-terminating
   * proxy. Requests that arrive over https get a Secure cookie regardless.
   */
  secureCookies?: boolean;
  /** How long a signed-in session lives (default 8 hours). */
  sessionTtlMs?: number;
  limiter?: LoginLimiter;
  progress?: ProgressStreamOptions;
}

interface WebRequestState {
  session: WebSession | null;
  account: WebAccount | null;
  /** The sign-in form's token (from its cookie), before a session exists. */
  loginCsrf: string | null;
}

type FormBody = Record<string, string[]>;

/** How long a sign-in form stays usable. */
const LOGIN_FORM_TTL_S = 60 * 60;
const FORM_LIMIT_BYTES = 64 * 1024;
const CLAIMS_LIMIT_BYTES = 1024 * 1024;

const REPORT_TYPES: Readonly<Record<ReportFile, string>> = {
  'report.json': 'application/json; charset=utf-8',
  'report.html': 'text/html; charset=utf-8',
  'report.md': 'text/markdown; charset=utf-8',
  'junit.xml': 'application/xml; charset=utf-8',
  'report.json.sig': 'application/octet-stream',
};

const NOTICES: Readonly<Record<string, string>> = {
  'supplier-added': 'Supplier added. Its credentials are stored encrypted and will not be shown again.',
  'runs-queued': 'Runs queued.',
  'claims-uploaded': 'Claims document uploaded.',
  'self-test-queued': 'Self-test queued.',
};

/** Builds the plugin; see the module comment. */
export function createWebPlugin(options: WebPluginOptions): (app: FastifyInstance) => Promise<void> {
  const { port } = options;
  const sessionTtlMs = options.sessionTtlMs ?? 8 * 60 * 60_000;
  const limiter = options.limiter ?? createLoginLimiter();
  const states = new WeakMap<FastifyRequest, WebRequestState>();

  return async function webPlugin(app: FastifyInstance): Promise<void> {
    const streams = createProgressStreams(port, options.progress);
    // Before the server stops accepting: open streams would otherwise hold close() until their runs end.
    app.addHook('preClose', async () => streams.closeAll());

    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: CLAIMS_LIMIT_BYTES }, (request, body, done) => {
      const text = body as string;
      // The route's path, not the URL: `/login?/claims` must not pass for the claims upload.
      if (text.length > FORM_LIMIT_BYTES && request.routeOptions.url !== '/suppliers/:id/claims') {
        done(Object.assign(new Error('form too large'), { statusCode: 413 }), undefined);
        return;
      }
      const form: FormBody = Object.create(null);
      for (const [key, value] of new URLSearchParams(text)) (form[key] ??= []).push(value);
      done(null, form);
    });

    function isSecure(request: FastifyRequest): boolean {
      return options.secureCookies === true || request.protocol === 'https';
    }

    app.addHook('onRequest', async (request, reply) => {
      reply.header('Content-Security-Policy', WEB_CSP);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Referrer-Policy', 'no-referrer');
      reply.header('X-Frame-Options', 'DENY');
      reply.header('Cache-Control', 'no-store');
      if (isSecure(request)) reply.header('Strict-Transport-Security', 'max-age=31536000');
      const id = readCookie(request.headers.cookie, sessionCookieName(isSecure(request)));
      const state: WebRequestState = { session: null, account: null, loginCsrf: readCookie(request.headers.cookie, loginCsrfCookieName(isSecure(request))) ?? null };
      if (id !== undefined) {
        const session = await port.findSession(hashSessionId(id));
        const account = session && session.expiresAt.getTime() > Date.now() ? await port.accountById(session.accountId) : null;
        if (session && account) {
          state.session = session;
          state.account = account;
        }
      }
      states.set(request, state);
    });

    // Every state-changing request: same origin, and the session's synchronizer token.
    app.addHook('preHandler', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD') return;
      const state = states.get(request)!;
      const form = (request.body ?? {}) as FormBody;
      const expected = state.session?.csrfToken ?? (request.url === '/login' ? state.loginCsrf : null);
      if (!sameOrigin(request, options.secureCookies === true) || !expected || !sameSecret(form._csrf?.[0], expected)) {
        await reply.code(403).type('text/html; charset=utf-8').send(renderMessagePage(contextOf(request), 'Request refused', 'This form was not sent from this workspace page, or it has expired. Go back, reload the page and try again.'));
      }
    });

    function contextOf(request: FastifyRequest): PageContext {
      const state = states.get(request);
      return { account: state?.account ?? null, csrfToken: state?.session?.csrfToken ?? state?.loginCsrf ?? '' };
    }

    async function startSession(reply: FastifyReply, request: FastifyRequest, accountId: string): Promise<void> {
      const id = randomSecret();
      const session: WebSession = { idHash: hashSessionId(id), accountId, csrfToken: randomSecret(), expiresAt: new Date(Date.now() + sessionTtlMs) };
      await port.createSession(session);
      const secure = isSecure(request);
      reply.header('Set-Cookie', [
        sessionCookie(id, { secure, maxAgeSeconds: Math.floor(sessionTtlMs / 1000) }),
        sessionCookie('', { secure, maxAgeSeconds: 0, name: loginCsrfCookieName(secure) }),
      ]);
    }

    function html(reply: FastifyReply, code: number, page: string): FastifyReply {
      return reply.code(code).type('text/html; charset=utf-8').send(page);
    }

    function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
      return html(reply, 404, renderMessagePage(contextOf(request), 'Not found', 'There is no such page, or you do not have access to it.'));
    }

    /** The signed-in account, or a redirect to the sign-in page (returns null then). */
    function requireAccount(request: FastifyRequest, reply: FastifyReply): WebAccount | null {
      const account = states.get(request)?.account ?? null;
      if (account === null) void reply.redirect('/login', 303);
      return account;
    }

    function isPanel(account: WebAccount): boolean {
      return account.role === 'admin' || account.role === 'evaluator';
    }

    function notice(request: FastifyRequest): string | undefined {
      const key = (request.query as Record<string, unknown>).done;
      return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key] : undefined;
    }

    app.get('/assets/workspace.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(WORKSPACE_CSS));
    app.get('/assets/workspace.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(WORKSPACE_JS));

    app.get('/', async (request, reply) => {
      const account = states.get(request)?.account;
      if (!account) return reply.redirect('/login', 303);
      return reply.redirect(account.role === 'supplier' && account.supplierId ? `/suppliers/${seg(account.supplierId)}` : '/evaluations', 303);
    });

    app.get('/login', async (request, reply) => {
      const state = states.get(request)!;
      if (state.account) return reply.redirect('/', 303);
      if (state.loginCsrf === null) {
        state.loginCsrf = randomSecret();
        reply.header('Set-Cookie', sessionCookie(state.loginCsrf, { secure: isSecure(request), maxAgeSeconds: LOGIN_FORM_TTL_S, name: loginCsrfCookieName(isSecure(request)) }));
      }
      return html(reply, 200, renderLoginPage(contextOf(request)));
    });

    app.post('/login', async (request, reply) => {
      const form = request.body as FormBody;
      const email = (form.email?.[0] ?? '').trim().toLowerCase().slice(0, 320);
      const password = (form.password?.[0] ?? '').slice(0, 1024);
      const address = clientAddress(request, options.secureCookies === true);
      // Counted before the password is checked: parallel guesses cannot all slip in while the first ones hash.
      if (!limiter.attempt(email, address)) {
        // Once per account and address per window: a flood of refused attempts must not flood the audit log.
        if (limiter.firstRefusal(`${email}\n${address}`)) await port.audit({ actorId: null, action: 'session.login-refused', detail: { reason: 'too many attempts', address } });
        return html(reply.header('Retry-After', '900'), 429, renderLoginPage(contextOf(request), { error: 'Too many sign-in attempts. Wait 15 minutes and try again.', email }));
      }
      let account: WebAccount | null;
      try {
        account = email && password ? await port.authenticate(email, password) : null;
      } catch (err) {
        if (!(err instanceof Error && err.name === 'LoginsBusy')) throw err;
        limiter.release(email, address);
        return html(reply.header('Retry-After', '5'), 503, renderLoginPage(contextOf(request), { error: 'The workspace is busy signing others in. Try again in a few seconds.', email }));
      }
      if (account === null) {
        // The email typed is not recorded: it may be a password typed in the wrong field.
        await port.audit({ actorId: null, action: 'session.login-failed', detail: { address } });
        return html(reply, 401, renderLoginPage(contextOf(request), { error: 'Email or password not recognised.', email }));
      }
      limiter.succeeded(email, address);
      // Always a new id on sign-in, and the one held before (if any) ends: nothing planted earlier survives.
      const previous = states.get(request)!.session;
      if (previous) await port.deleteSession(previous.idHash);
      await startSession(reply, request, account.id);
      await port.audit({ actorId: account.id, action: 'session.login', subject: account.id, detail: { address } });
      return reply.redirect('/', 303);
    });

    app.post('/logout', async (request, reply) => {
      const state = states.get(request)!;
      if (state.session) await port.deleteSession(state.session.idHash);
      if (state.account) await port.audit({ actorId: state.account.id, action: 'session.logout', subject: state.account.id });
      reply.header('Set-Cookie', sessionCookie('', { secure: isSecure(request), maxAgeSeconds: 0 }));
      return reply.redirect('/login', 303);
    });

    app.get('/evaluations', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      if (!isPanel(account)) return notFound(request, reply);
      return html(reply, 200, renderEvaluationsPage(contextOf(request), await port.listEvaluations(account), port.bundledProfiles()));
    });

    app.post('/evaluations', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      if (!isPanel(account)) return notFound(request, reply);
      const form = request.body as FormBody;
      const name = (form.name?.[0] ?? '').trim();
      const profiles = (form.profiles ?? []).filter((p) => port.bundledProfiles().includes(p));
      const deadline = form.deadline?.[0] || undefined;
      if (!name || name.length > 200 || profiles.length === 0 || (deadline !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(deadline))) {
        return html(reply, 400, renderMessagePage(contextOf(request), 'Evaluation not created', 'Give the evaluation a name (up to 200 characters) and choose at least one profile.'));
      }
      const created = await port.createEvaluation(account, { name, profiles, ...(deadline ? { deadline } : {}) });
      return reply.redirect(`/evaluations/${seg(created.id)}`, 303);
    });

    app.get<{ Params: { id: string } }>('/evaluations/:id', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const evaluation = isPanel(account) ? await port.evaluation(account, request.params.id) : null;
      if (!evaluation) return notFound(request, reply);
      const message = notice(request);
      return html(reply, 200, renderEvaluationPage(contextOf(request), evaluation, message ? { notice: message } : {}));
    });

    app.post<{ Params: { id: string } }>('/evaluations/:id/suppliers', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const evaluation = isPanel(account) ? await port.evaluation(account, request.params.id) : null;
      if (!evaluation) return notFound(request, reply);
      const parsed = supplierFromForm(request.body as FormBody);
      if (typeof parsed === 'string') return html(reply, 400, renderEvaluationPage(contextOf(request), evaluation, { error: parsed }));
      try {
        await port.addSupplier(account, evaluation.id, parsed);
      } catch (err) {
        const message = clientError(err);
        if (message === undefined) throw err;
        // 422: a well-formed URL that INTEROP_ALLOWED_TARGETS does not allow, as the API answers it.
        const status = (err as { status?: unknown }).status === 422 ? 422 : 400;
        return html(reply, status, renderEvaluationPage(contextOf(request), evaluation, { error: message }));
      }
      return reply.redirect(`/evaluations/${seg(evaluation.id)}?done=supplier-added`, 303);
    });

    app.post<{ Params: { id: string } }>('/evaluations/:id/runs', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const evaluation = isPanel(account) ? await port.evaluation(account, request.params.id) : null;
      if (!evaluation) return notFound(request, reply);
      const known = new Set(evaluation.suppliers.map((s) => s.id));
      const chosen = ((request.body as FormBody).suppliers ?? []).filter((id) => known.has(id));
      if (chosen.length === 0) return html(reply, 400, renderEvaluationPage(contextOf(request), evaluation, { error: 'Choose at least one supplier to run.' }));
      await port.queueRuns(account, evaluation.id, chosen);
      return reply.redirect(`/evaluations/${seg(evaluation.id)}?done=runs-queued`, 303);
    });

    app.get<{ Params: { id: string } }>('/evaluations/:id/public-key.pub', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const key = await port.publicKey(account, request.params.id);
      if (key === null) return notFound(request, reply);
      return reply.type('application/octet-stream').header('Content-Disposition', 'attachment; filename="evaluation.pub"').send(key);
    });

    app.get<{ Params: { id: string } }>('/evaluations/:id/compare', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const evaluation = isPanel(account) ? await port.evaluation(account, request.params.id) : null;
      if (!evaluation) return notFound(request, reply);
      return html(reply, 200, renderComparePage(contextOf(request), evaluation, await port.latestReports(account, evaluation.id)));
    });

    app.get<{ Params: { id: string } }>('/runs/:id', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const run = await port.run(account, request.params.id);
      if (!run) return notFound(request, reply);
      const events = (await port.progress(account, run.id, 0)) ?? [];
      return html(reply, 200, renderRunPage(contextOf(request), run, events));
    });

    app.get<{ Params: { id: string }; Querystring: { after?: string } }>('/runs/:id/events', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const run = await port.run(account, request.params.id);
      if (!run) return notFound(request, reply);
      const resumeFrom = Number(request.headers['last-event-id'] ?? request.query.after ?? 0);
      const session = states.get(request)!.session!;
      return streams.open(request, reply, account, run.id, Number.isSafeInteger(resumeFrom) && resumeFrom >= 0 ? resumeFrom : 0, session.idHash);
    });

    app.get<{ Params: { id: string; file: string } }>('/runs/:id/files/:file', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const file = request.params.file as ReportFile;
      if (!Object.hasOwn(REPORT_TYPES, file)) return notFound(request, reply);
      const body = await port.reportFile(account, request.params.id, file);
      if (body === null) return notFound(request, reply);
      // The report page keeps its own policy: no script at all.
      if (file === 'report.html') reply.header('Content-Security-Policy', `${HTML_CSP}; sandbox`);
      else reply.header('Content-Disposition', `attachment; filename="${file}"`);
      return reply.type(REPORT_TYPES[file]).send(body);
    });

    app.get<{ Params: { id: string } }>('/suppliers/:id', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const supplier = await port.supplier(account, request.params.id);
      if (!supplier) return notFound(request, reply);
      const message = notice(request);
      return html(reply, 200, renderSupplierPage(contextOf(request), supplier, await port.supplierRuns(account, supplier.id), message ? { notice: message } : {}));
    });

    app.post<{ Params: { id: string } }>('/suppliers/:id/self-test', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const supplier = account.role === 'supplier' && account.supplierId === request.params.id ? await port.supplier(account, request.params.id) : null;
      if (!supplier) return notFound(request, reply);
      try {
        await port.queueRuns(account, supplier.evaluationId, [supplier.id]);
      } catch (err) {
        const message = clientError(err);
        if (message === undefined) throw err;
        return html(reply, 409, renderSupplierPage(contextOf(request), supplier, await port.supplierRuns(account, supplier.id), { error: message }));
      }
      return reply.redirect(`/suppliers/${seg(supplier.id)}?done=self-test-queued`, 303);
    });

    app.post<{ Params: { id: string } }>('/suppliers/:id/claims', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const supplier = account.role === 'supplier' && account.supplierId === request.params.id ? await port.supplier(account, request.params.id) : null;
      if (!supplier) return notFound(request, reply);
      const text = (request.body as FormBody).claims?.[0] ?? '';
      try {
        await port.uploadClaims(account, supplier.id, text);
      } catch (err) {
        const message = clientError(err);
        if (message === undefined) throw err;
        return html(reply, 400, renderSupplierPage(contextOf(request), supplier, await port.supplierRuns(account, supplier.id), { error: message }));
      }
      return reply.redirect(`/suppliers/${seg(supplier.id)}?done=claims-uploaded`, 303);
    });

    app.get('/audit', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const entries = await port.auditLog(account, null, 500);
      if (entries === null) return notFound(request, reply);
      return html(reply, 200, renderAuditPage(contextOf(request), entries, null));
    });

    app.get<{ Params: { id: string } }>('/evaluations/:id/audit', async (request, reply) => {
      const account = requireAccount(request, reply);
      if (!account) return reply;
      const evaluation = isPanel(account) ? await port.evaluation(account, request.params.id) : null;
      const entries = evaluation ? await port.auditLog(account, evaluation.id, 500) : null;
      if (!evaluation || entries === null) return notFound(request, reply);
      return html(reply, 200, renderAuditPage(contextOf(request), entries, evaluation));
    });
  };
}

/**
 * Whether a state-changing request comes from this service's own pages: its
 * `Origin` (sent by every current browser on a POST) names this host, or,
 * without one, the fetch metadata does not say it came from another site.
 * Behind a TLS proxy (`secureCookies`) the page's origin is https although
 * the request reached the service over http.
 */
function sameOrigin(request: FastifyRequest, secureCookies: boolean): boolean {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  // Pages send no referrer, so a browser posts their forms with `Origin: null`; its fetch metadata then says where the form was.
  if (origin === 'null') return site === 'same-origin';
  if (origin !== undefined) {
    try {
      const url = new URL(origin);
      const scheme = secureCookies ? 'https:' : `${request.protocol}:`;
      return url.host === request.host && url.protocol === scheme;
    } catch {
      return false;
    }
  }
  return site === undefined || site === 'same-origin';
}

/**
 * The address a sign-in is counted against. Behind the TLS proxy that
 * `--secure-cookies` declares, every request comes from the proxy, so the
 * proxy's own entry (the last in `X-Forwarded-For`) names the client; a value
 * the client itself wrote further left is never used.
 */
function clientAddress(request: FastifyRequest, behindProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (!behindProxy || typeof forwarded !== 'string') return request.ip;
  return forwarded.split(',').pop()!.trim().slice(0, 64) || request.ip;
}

/** The supplier the add-supplier form describes, or a message saying what is missing. */
function supplierFromForm(form: FormBody): NewSupplier | string {
  const field = (name: string): string => (form[name]?.[0] ?? '').trim();
  const name = field('name');
  const target = field('target');
  if (!name || name.length > 200) return 'Give the supplier a name (up to 200 characters).';
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'The sandbox URL is not a URL.';
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return 'The sandbox URL must be http or https, with no credentials in it.';
  switch (field('authKind')) {
    case 'bearer':
      return field('bearerToken') ? { name, target, auth: { bearerToken: field('bearerToken') } } : 'Give the bearer token.';
    case 'client': {
      if (!field('clientId') || !field('clientSecret')) return 'Give the client id and the client secret.';
      const tokenUrl = field('tokenUrl');
      return { name, target, auth: { clientId: field('clientId'), clientSecret: field('clientSecret'), ...(tokenUrl ? { tokenUrl } : {}) } };
    }
    case 'header':
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(field('headerName')) || !field('headerValue')) return 'Give a valid header name and its value.';
      return { name, target, auth: { headers: { [field('headerName')]: field('headerValue') } } };
    default:
      return { name, target };
  }
}

/** The message of an error the core raised about the request (a 4xx or a harness usage error), else undefined. */
function clientError(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const status = (err as { statusCode?: unknown; status?: unknown }).statusCode ?? (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return err.message;
  if (isHarnessError(err)) return err.message;
  return undefined;
}
