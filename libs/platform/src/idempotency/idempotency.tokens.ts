/** The EventStore the idempotency records go to; the application's root module provides it. */
export const IDEMPOTENCY_EVENT_STORE = Symbol('IDEMPOTENCY_EVENT_STORE');

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
