import { ExponentialBackoff, IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import { isTransient } from './transient-errors';

export interface RetryPolicyOptions {
  /** First wait after a transient failure (default 100 ms); later waits grow exponentially, with jitter. */
  initialDelayMs?: number;
  /** Longest wait between two tries during an outage (default 30 s). */
  maxDelayMs?: number;
  /**
   * Waits before the further tries a failure that is NOT transient gets (default none: it is given
   * up on at once). A short budget absorbs a fluke; a deterministic failure fails the same each time.
   */
  poisonDelaysMs?: number[];
  /** Which failures are retried for ever (default isTransient). */
  retriedForEver?: (error: unknown) => boolean;
}

export interface RetryRun {
  /** Stops the waiting: run() then rejects with RetryAbortedError carrying the last failure (an aborted signal still gets one try). */
  signal?: AbortSignal;
  /** Told about every failed try that will be repeated, before the wait. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The retry was stopped (shutdown) while the work was still failing. */
export class RetryAbortedError extends Error {
  constructor(readonly lastError: unknown) {
    super(`Stopped while retrying: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
    this.name = 'RetryAbortedError';
  }
}

/**
 * The one retry policy of the event machinery (forwarder, projections, reactors, bus consumers,
 * store subscriptions): a transient failure (transient-errors.ts) is retried for ever with capped
 * exponential back-off and decorrelated jitter (cockatiel's), so an outage of any length costs
 * time, never a message; anything else is retried only `poisonDelaysMs.length` times and then
 * thrown, for the caller to park or to fail with. Waits end at once when the signal aborts.
 */
export class RetryPolicy {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly poisonDelaysMs: number[];
  private readonly retriedForEver: (error: unknown) => boolean;

  constructor(private readonly options: RetryPolicyOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.poisonDelaysMs = options.poisonDelaysMs ?? [];
    this.retriedForEver = options.retriedForEver ?? isTransient;
  }

  /** The same waits for transient failures, with another budget for the rest. */
  withPoisonDelays(poisonDelaysMs: number[]): RetryPolicy {
    return new RetryPolicy({ ...this.options, poisonDelaysMs });
  }

  /**
   * The same waits for every failure, for machinery that has nowhere to park what fails (the
   * forwarder, a reactor on its own store): it retries, and readiness shows it retrying.
   */
  forEveryFailure(): RetryPolicy {
    return new RetryPolicy({ ...this.options, retriedForEver: () => true });
  }

  /**
   * The waits of one outage, for a loop that cannot be written as `run` (a stream that fails by
   * event): each call gives the next wait; a new outage takes a new one.
   */
  waits(): () => number {
    const factory = this.backoffFactory();
    let backoff: IBackoff<IRetryBackoffContext<unknown>> | undefined;
    let attempt = 0;
    return () => {
      const context: IRetryBackoffContext<unknown> = { attempt: ++attempt, signal: new AbortController().signal, result: { error: new Error('outage') } };
      backoff = backoff ? backoff.next(context) : factory.next(context);
      return backoff.duration;
    };
  }

  private backoffFactory(): IBackoffFactory<IRetryBackoffContext<unknown>> {
    return new ExponentialBackoff({ initialDelay: this.initialDelayMs, maxDelay: this.maxDelayMs });
  }

  async run<T>(work: (attempt: number) => Promise<T>, { signal, onRetry }: RetryRun = {}): Promise<T> {
    // Made on the first failure only: most runs succeed at once, and every delivery and checkpoint runs here.
    let backoff: IBackoff<IRetryBackoffContext<unknown>> | undefined;
    let poisonFailures = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(attempt);
      } catch (error) {
        if (signal?.aborted) throw new RetryAbortedError(error);
        let delayMs: number | undefined;
        if (this.retriedForEver(error)) {
          const context: IRetryBackoffContext<unknown> = {
            attempt,
            signal: signal ?? new AbortController().signal,
            result: { error: error instanceof Error ? error : new Error(String(error)) },
          };
          backoff = backoff ? backoff.next(context) : this.backoffFactory().next(context);
          delayMs = backoff.duration;
        } else {
          delayMs = this.poisonDelaysMs[poisonFailures++];
          if (delayMs === undefined) throw error;
        }
        onRetry?.(error, attempt, delayMs);
        if (!(await sleep(delayMs, signal))) throw new RetryAbortedError(error);
      }
    }
  }
}

/** Shared by every piece of machinery that is not given one of its own (tests give shorter waits). */
export const infrastructureRetry = new RetryPolicy();

/** Resolves true after `ms`, false as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
