import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDenied } from '../access-policy.js';
import { InvalidInput } from '../invalid-input.js';

/** An RFC 9457 problem details object, as every API error is sent. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** The request field at fault, for a 400. */
  field?: string;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
};

/** Sends `application/problem+json`. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, status: number, detail?: string, field?: string): FastifyReply {
  const problem: Problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, ...(detail ? { detail } : {}), instance: request.url.split('?')[0]!, ...(field ? { field } : {}) };
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="interop-harness"');
  return reply.code(status).type('application/problem+json').send(problem);
}

/**
 * Maps what the service throws to a problem: the policy's 403/404, invalid
 * input's 400/409, fastify's own validation and parsing errors by their
 * status; anything else is a 500 whose detail says nothing about internals.
 */
export function problemFor(error: unknown): { status: number; detail: string; field?: string } {
  if (error instanceof AccessDenied) return { status: error.status, detail: error.message };
  if (error instanceof InvalidInput) return { status: error.status, detail: error.message, ...(error.field ? { field: error.field } : {}) };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return { status: 400, detail: fastifyError.message };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) return { status: fastifyError.statusCode, detail: fastifyError.message };
  return { status: 500, detail: 'the service failed to handle this request; the error is in its log' };
}
