/**
 * The event store could not take the command at all (unreachable, or locked by another writer
 * beyond its busy timeout): nothing was committed, so the client may simply retry later
 * (HTTP 503 STORE_UNAVAILABLE with Retry-After).
 */
export class StoreUnavailableError extends Error {
  constructor(message = 'The event store is unavailable', override readonly cause?: unknown) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** SQLite: another connection held the lock past busy_timeout (nothing was written). */
const SQLITE_UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_CANTOPEN']);
/** EventStoreDB client error types (ErrorType) that mean the server never took the request. */
const ESDB_UNAVAILABLE = new Set(['unavailable', 'not-leader']);
/** Node's socket errors: the server could not be reached. */
const NETWORK_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT']);

/**
 * Whether an error thrown by an event store means "unavailable, nothing committed". Recognised by
 * shape, so the HTTP edge needs no dependency on the adapters' client libraries.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, type } = error as { code?: unknown; type?: unknown };
  if (typeof code === 'string' && (SQLITE_UNAVAILABLE.has(code) || NETWORK_UNAVAILABLE.has(code))) return true;
  return typeof type === 'string' && ESDB_UNAVAILABLE.has(type);
}
