/**
 * Transient versus poison: the one place that decides whether a failure is the infrastructure's
 * (a broker, store or database away for a moment: retry it for ever, never park the message) or
 * the work's own (a domain refusal, an undecodable payload, a bug: retrying cannot help, so a bus
 * consumer parks it). Unknown errors count as poison: a message that keeps failing for a reason
 * nobody classified is better parked, with its error, than blocking its partition silently.
 */

/** Throw (or wrap a cause in) this to say "the infrastructure is away, try again later". */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** Socket and DNS failures Node reports with `code` (net, http, dns). */
const NODE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  // In a container network a peer's name resolves only once its container runs.
  'ENOTFOUND',
]);

/** better-sqlite3's SqliteError codes for a database another connection holds for a moment. */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED)(_|$)/;

/** MongoDB driver errors (by name: the driver may be absent, and names survive copies across realms). */
const MONGO_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
]);
/** Server error codes of a replica set electing, stepping down or shutting down. */
const MONGO_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const MONGO_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool'];

/** kafkajs errors that mean "broker away or busy" even where kafkajs marks them non-retriable (it gave up, we do not). */
const KAFKAJS_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
]);

/** @eventstore/db-client's CommandError `type`s, and the raw gRPC status codes beneath them. */
const ESDB_TYPES = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader']);
const GRPC_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

/** Last resort for errors that lost their shape on the way (re-thrown as text, logged and wrapped). */
const TRANSIENT_TEXT =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|SQLITE_BUSY|not primary|not master|server selection timed out|connection (refused|reset|closed|timed out)|broker (is )?(unavailable|not available)|store (is )?unavailable|14 UNAVAILABLE)\b/i;

/** Whether retrying later can succeed: the failure is the infrastructure's, not the work's. */
export function isTransient(error: unknown): boolean {
  return classify(error, 0);
}

function classify(error: unknown, depth: number): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  const candidate = error as {
    name?: unknown;
    code?: unknown;
    type?: unknown;
    retriable?: unknown;
    errorLabels?: unknown;
    message?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
  };
  const name = typeof candidate.name === 'string' ? candidate.name : '';
  if (error instanceof TransientError || name === 'StoreUnavailableError') return true;
  if (typeof candidate.code === 'string' && (NODE_NETWORK_CODES.has(candidate.code) || SQLITE_CODES.test(candidate.code))) return true;
  if (MONGO_NAMES.has(name)) return true;
  if (name.startsWith('Mongo')) {
    if (typeof candidate.code === 'number' && MONGO_CODES.has(candidate.code)) return true;
    const labels = Array.isArray(candidate.errorLabels) ? (candidate.errorLabels as unknown[]) : [];
    if (labels.some((label) => MONGO_LABELS.includes(String(label)))) return true;
  }
  if (name.startsWith('KafkaJS') && (KAFKAJS_NAMES.has(name) || candidate.retriable === true)) return true;
  if (typeof candidate.type === 'string' && ESDB_TYPES.has(candidate.type)) return true;
  if (typeof candidate.code === 'number' && GRPC_CODES.has(candidate.code) && 'metadata' in candidate) return true;
  // Wrapped causes: Error.cause, kafkajs's originalError, Node's AggregateError of each address tried.
  for (const inner of [candidate.cause, candidate.originalError]) if (inner && classify(inner, depth + 1)) return true;
  if (Array.isArray(candidate.errors) && candidate.errors.length && candidate.errors.every((inner) => classify(inner, depth + 1))) return true;
  return typeof candidate.message === 'string' && TRANSIENT_TEXT.test(candidate.message);
}
