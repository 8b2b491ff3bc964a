import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Database } from '../store/database.js';
import { appendRunEvent } from '../store/runs-repository.js';

/** One thing that happened to a run, as followers (the SSE pages) receive it. */
export interface RunProgressEvent {
  /** Row id in run_events: a follower that reconnects asks for events after the last id it saw. */
  id: number;
  runId: string;
  evaluationId: string;
  supplierId: string;
  /** `queued`, `started`, `progress`, `requeued`, `finished` (terminal), `failed` (terminal). */
  type: 'queued' | 'started' | 'progress' | 'requeued' | 'finished' | 'failed';
  data: Record<string, unknown>;
}

/** The PostgreSQL channel that carries run events between processes. */
export const RUN_EVENTS_CHANNEL = 'interop_run_events';

/**
 * Run progress, published once and followed anywhere: each event is stored in
 * `run_events` (so a late or reconnecting follower can catch up), emitted to
 * followers in this process, and, against a PostgreSQL server, sent with
 * NOTIFY so the service's followers hear runs that another `worker` process
 * executes. The embedded database has one process, so no NOTIFY is needed.
 *
 * @example
 *   const stop = hub.follow(runId, (event) => sse.send(event));
 *   await hub.publish({ runId, evaluationId, supplierId, type: 'progress', data: { probesFinished: 3 } });
 */
export interface ProgressHub {
  publish(event: Omit<RunProgressEvent, 'id'>): Promise<RunProgressEvent>;
  /** Follows one run (`runId`) or every run (`'*'`); returns the function that stops following. */
  follow(runId: string | '*', listener: (event: RunProgressEvent) => void): () => void;
  close(): Promise<void>;
}

export async function createProgressHub(db: Database): Promise<ProgressHub> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const origin = randomUUID();
  const emit = (event: RunProgressEvent) => {
    emitter.emit(event.runId, event);
    emitter.emit('*', event);
  };
  let unlisten: (() => Promise<void>) | undefined;
  if (db.kind === 'postgres') {
    unlisten = await db.listen(RUN_EVENTS_CHANNEL, (payload) => {
      try {
        const message = JSON.parse(payload) as { origin: string; event: RunProgressEvent };
        if (message.origin !== origin) emit(message.event);
      } catch {
        // Not ours: ignore.
      }
    });
  }
  return {
    async publish(partial) {
      const id = await appendRunEvent(db, partial.runId, partial.type, partial.data);
      const event: RunProgressEvent = { id, ...partial };
      emit(event);
      if (db.kind === 'postgres') await db.query('SELECT pg_notify($1, $2)', [RUN_EVENTS_CHANNEL, JSON.stringify({ origin, event })]);
      return event;
    },
    follow(runId, listener) {
      emitter.on(runId, listener);
      return () => emitter.off(runId, listener);
    },
    async close() {
      emitter.removeAllListeners();
      await unlisten?.();
    },
  };
}
