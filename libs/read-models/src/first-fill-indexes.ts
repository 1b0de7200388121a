import { RetryPolicy } from '@lp/eventsourcing';
import { SubscriptionStatus } from '@lp/messaging';

export interface FirstFillIndexesOptions {
  /** Resolves once the fill has caught up (or its subscription stopped). */
  caughtUp: () => Promise<void>;
  /** Makes the indexes (and whatever records that they are made). */
  make: () => Promise<void>;
  retryPolicy: RetryPolicy;
  status: SubscriptionStatus;
  /** A failure the policy does not retry: the projection reports it; its next start indexes first. */
  onFailure: (error: unknown) => void;
}

/**
 * The indexes of a projection's first fill (a new read database, or one dropped to be built again):
 * made once the fill has caught up, over the filled collections at once, which costs a fraction of
 * keeping them up to date row by row. Reads meanwhile go without them, on documents that are not all
 * there yet anyway. A store that is down is waited out; stop() ends the wait (and a stop before the
 * fill caught up makes nothing), so the next start is left to index.
 */
export class FirstFillIndexes {
  readonly done: Promise<void>;
  private readonly stopped = new AbortController();

  constructor(private readonly options: FirstFillIndexesOptions) {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.done;
  }

  private async run(): Promise<void> {
    const { caughtUp, make, retryPolicy, status, onFailure } = this.options;
    const signal = this.stopped.signal;
    try {
      await caughtUp();
      if (signal.aborted) return;
      await retryPolicy.run(make, { signal, onRetry: (error, attempt) => status.retrying(error, attempt, 'making the indexes of a first fill') });
    } catch (error) {
      if (!signal.aborted) onFailure(error);
    }
  }
}
