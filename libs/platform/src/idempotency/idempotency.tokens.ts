/** The EventStore the idempotency records go to; the application's root module provides it. */
export const IDEMPOTENCY_EVENT_STORE = Symbol('IDEMPOTENCY_EVENT_STORE');

/**
 * Optional: the EventStores the application's commands append to (default: the idempotency store
 * alone). A key whose request died is settled by looking its request id up there.
 */
export const IDEMPOTENCY_COMMIT_STORES = Symbol('IDEMPOTENCY_COMMIT_STORES');

/** Optional: Partial<LedgerOptions> (lease, wait); default from IDEMPOTENCY_LEASE_MS and IDEMPOTENCY_WAIT_MS. */
export const IDEMPOTENCY_OPTIONS = Symbol('IDEMPOTENCY_OPTIONS');

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** What a key may be: 1 to 255 printable ASCII characters, no space (the guard's check and the OpenAPI document's). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** On a replay rebuilt from what a request that died had committed, instead of its recorded answer. */
export const IDEMPOTENT_RECOVERED_HEADER = 'Idempotent-Recovered';
