/** Nest injection tokens for a service's adapters; each service module binds its own. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_STORE = Symbol('READ_STORE');
export const SERVICE_RUNTIME = Symbol('SERVICE_RUNTIME');
