import type { HttpResponse } from '../http-types';

/**
 * Response header of a command's answer built from the write side (the state the command decided)
 * because the read model was behind or down: the command was committed, but a GET may not show it
 * yet. Replayed with the answer for a repeated Idempotency-Key.
 */
export const VIEW_STALE_HEADER = 'X-View-Stale';

const staleAnswers = new WeakSet<object>();

/** Marks an answer as built from the write side; viewStaleHook then sends VIEW_STALE_HEADER with it. */
export function markViewStale<T extends object>(answer: T): T {
  staleAnswers.add(answer);
  return answer;
}

export function isViewStale(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && staleAnswers.has(answer);
}

/**
 * Fastify preSerialization hook: sends `X-View-Stale: true` with an answer marked by markViewStale.
 * A hook, not an interceptor: a global interceptor wraps every request of every route in rxjs. The
 * idempotency hook records the header with the answer, as it is sent.
 */
export function viewStaleHook(_req: unknown, reply: HttpResponse, payload: unknown, done: (error: Error | null, payload?: unknown) => void): void {
  if (isViewStale(payload)) reply.header(VIEW_STALE_HEADER, 'true');
  done(null, payload);
}
