import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access-policy.js';
import type { Queryable } from '../store/database.js';
import { accountByApiToken } from '../store/accounts-repository.js';
import { sendProblem } from './problem.js';

/**
 * The API's authentication: `Authorization: Bearer <token>`, looked up by its
 * SHA-256. Sets `request.actor`, or answers 401. (Pages authenticate with
 * session cookies instead; both end in the same `request.actor`.)
 */
export function bearerAuthentication(db: Queryable) {
  return async function authenticateBearer(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+([A-Za-z0-9._~+/=-]{8,512})\s*$/i.exec(header);
    const account = match ? await accountByApiToken(db, match[1]!) : undefined;
    if (!account) return sendProblem(reply, request, 401, header === undefined ? 'send Authorization: Bearer <API token>' : 'the bearer token is not valid');
    request.actor = { id: account.id, role: account.role, supplierId: account.supplierId } satisfies Actor;
    return undefined;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: set by the API's bearer authentication or by the pages' session. */
    actor: Actor | null;
  }
}
