import type { HttpResponse } from '../http-types';
import { VIEW_STALE_HEADER } from '../http/view-stale';
import { RecordedResponse } from './idempotency-events';
import { Lease } from './idempotency-ledger';

/** Response headers worth replaying: where the created resource lives, and that its view was stale. */
const REPLAYED_HEADERS = ['Location', VIEW_STALE_HEADER];

/**
 * Answers that free the key instead of becoming its result: a 5xx (the client may retry), and a 400,
 * which never ran the command (the body failed validation), so the client may send it corrected
 * under the same key instead of meeting 422 IDEMPOTENCY_KEY_REUSED (as Stripe does).
 */
const freesKey = (status: number) => status >= 500 || status === 400;

/** The lease of each request that runs under an Idempotency-Key, from the guard to the onSend hook. */
const leases = new WeakMap<object, Lease>();

/** IdempotencyGuard: this request holds the key; its answer ends the lease. */
export function holdLease(request: object, response: HttpResponse, lease: Lease): void {
  leases.set(request, lease);
  // An answer written to the Node response itself (hijacked, streamed) never passes onSend: it is
  // recorded without its body once written, as the status alone is known.
  response.raw.once('finish', () => {
    if (leases.get(request) !== lease) return;
    leases.delete(request);
    const status = response.raw.statusCode;
    void (freesKey(status) ? lease.release(status) : lease.complete({ status, body: null }));
  });
}

/** Thrown by IdempotencyGuard to answer a repeat with the recorded success; the exception filter sends it. */
export class ReplayedAnswer extends Error {
  constructor(readonly recorded: RecordedResponse) {
    super(`replayed answer ${recorded.status}`);
    this.name = 'ReplayedAnswer';
  }
}

/** Sends a replayed success as the handler's answer was sent (its headers are already on the reply). */
export function sendReplayedAnswer(response: HttpResponse, answer: ReplayedAnswer): void {
  response.status(answer.recorded.status).send(answer.recorded.body);
}

/**
 * Fastify onSend hook: the answer of a request holding an Idempotency-Key becomes the key's result
 * before it leaves: a success or a refusal is recorded (status, body, the replayed headers); a 400 or
 * a 5xx frees the key (freesKey). What is recorded is what is sent, after the
 * exception filter and the serializer. Requests without a lease pass untouched.
 */
export function idempotentAnswerHook(request: object, reply: HttpResponse, payload: unknown, done: (error: Error | null, payload?: unknown) => void): void {
  const lease = leases.get(request);
  if (!lease) return done(null, payload);
  leases.delete(request);
  const status = reply.statusCode;
  // Ending a lease never throws: a record that cannot be written leaves the key to its lease's end.
  void (freesKey(status) ? lease.release(status) : lease.complete(recordedAnswer(reply, payload))).then(() => done(null, payload));
}

function recordedAnswer(reply: HttpResponse, payload: unknown): RecordedResponse {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return { status: reply.statusCode, body: bodyOf(reply, payload), ...(Object.keys(headers).length ? { headers } : {}) };
}

/** The body as the handler returned it: JSON parsed back; other text as it is; nothing (or a stream) as null. */
function bodyOf(reply: HttpResponse, payload: unknown): unknown {
  const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : payload;
  if (typeof text !== 'string' || text === '') return null;
  if (!/[/+]json\b/.test(String(reply.getHeader('content-type') ?? ''))) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
