/**
 * Live progress of a run as server-sent events. The stream reads the run's
 * stored progress events through the port (so a run executed by another
 * worker process, on another machine, streams the same), sends each once as
 * `event: progress` with its sequence number as the event id (a reconnecting
 * EventSource resumes after it with `Last-Event-ID`), and ends with
 * `event: end` when the run has finished or failed. Each poll checks the
 * session again: the stream ends once its session is signed out or expires.
 *
 * Bounded: at most `maxStreams` open streams per process and
 * `maxPerAccount` per account (more are refused with 503/429), each open for
 * at most `maxLifetimeMs` (the browser then reconnects and resumes), polled
 * every `pollMs`, with a comment line every `heartbeatMs` so a proxy does not
 * cut an idle stream.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebAccount, WorkspacePort } from './web-port.js';

export interface ProgressStreamOptions {
  maxStreams?: number;
  maxPerAccount?: number;
  maxLifetimeMs?: number;
  pollMs?: number;
  heartbeatMs?: number;
}

export interface ProgressStreams {
  /** `sessionIdHash` names the session the stream belongs to: it ends when that session does. */
  open(request: FastifyRequest, reply: FastifyReply, account: WebAccount, runId: string, afterSeq: number, sessionIdHash: string): FastifyReply;
  /** How many streams are open now. */
  size(): number;
  closeAll(): void;
}

/**
 * @example
 *   const streams = createProgressStreams(port, { maxStreams: 100 });
 *   app.get('/runs/:id/events', (request, reply) => streams.open(request, reply, account, id, 0));
 */
export function createProgressStreams(port: WorkspacePort, options: ProgressStreamOptions = {}): ProgressStreams {
  const maxStreams = options.maxStreams ?? 200;
  const maxPerAccount = options.maxPerAccount ?? 10;
  const maxLifetimeMs = options.maxLifetimeMs ?? 30 * 60_000;
  const pollMs = options.pollMs ?? 500;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const open = new Set<() => void>();
  const perAccount = new Map<string, number>();

  return {
    size: () => open.size,
    closeAll: function closeAll() {
      for (const close of [...open]) close();
    },
    open: function openStream(request, reply, account, runId, afterSeq, sessionIdHash) {
      if (open.size >= maxStreams) return reply.code(503).header('Retry-After', '30').send('too many live progress streams; reload later');
      if ((perAccount.get(account.id) ?? 0) >= maxPerAccount) return reply.code(429).header('Retry-After', '30').send('too many live progress streams for this account');
      perAccount.set(account.id, (perAccount.get(account.id) ?? 0) + 1);

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      raw.write('retry: 3000\n\n');

      let after = afterSeq;
      let closed = false;
      let polling = false;
      let lastWrite = Date.now();
      const started = Date.now();
      const timer = setInterval(() => void poll(), pollMs);
      void poll();

      function close(): void {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        open.delete(close);
        const left = (perAccount.get(account.id) ?? 1) - 1;
        if (left <= 0) perAccount.delete(account.id);
        else perAccount.set(account.id, left);
        raw.end();
      }
      open.add(close);
      request.raw.on('close', close);

      function send(text: string): void {
        raw.write(text);
        lastWrite = Date.now();
      }

      async function poll(): Promise<void> {
        if (closed || polling) return;
        polling = true;
        try {
          const session = await port.findSession(sessionIdHash);
          if (closed) return;
          if (session === null || session.accountId !== account.id || session.expiresAt.getTime() <= Date.now()) return close();
          const events = await port.progress(account, runId, after);
          if (closed) return;
          if (events === null) return close();
          for (const event of events) {
            after = Math.max(after, event.seq);
            send(`id: ${event.seq}\nevent: progress\ndata: ${JSON.stringify({ seq: event.seq, type: event.type, text: event.text, done: event.done, total: event.total })}\n\n`);
          }
          const run = await port.run(account, runId);
          if (closed) return;
          if (run === null) return close();
          if (run.status === 'finished' || run.status === 'failed') {
            send(`event: end\ndata: ${JSON.stringify({ status: run.status, verdict: run.verdict ?? null })}\n\n`);
            return close();
          }
          if (Date.now() - started >= maxLifetimeMs) return close();
          if (Date.now() - lastWrite >= heartbeatMs) send(': still running\n\n');
        } catch {
          // The store is unreachable for now: end the stream; the browser reconnects and resumes.
          close();
        } finally {
          polling = false;
        }
      }
      return reply;
    },
  };
}
