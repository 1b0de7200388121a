/** Nest injection tokens for a service's adapters; each service module binds its own. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_STORE = Symbol('READ_STORE');
export const SERVICE_RUNTIME = Symbol('SERVICE_RUNTIME');

/** The providers every service module binds from its runtime. */
export function runtimeProviders(runtime: { eventStore: unknown; readStore: unknown }) {
  return [
    { provide: SERVICE_RUNTIME, useValue: runtime },
    { provide: EVENT_STORE, useValue: runtime.eventStore },
    { provide: READ_STORE, useValue: runtime.readStore },
  ];
}
