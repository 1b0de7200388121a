/**
 * Something a service runs beside its command side besides projections and the forwarder: a
 * process manager reacting to other services' events, a worker calling a vendor, an outbox
 * sending mail. Modules register workers on their ServiceRuntime; the runtime starts them after
 * the read models are rebuilt and stops them before the stores close.
 */
export interface BackgroundWorker {
  readonly name: string;
  start(): Promise<void>;
  /** Resolves once everything that reached the worker before the call has been handled. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}
