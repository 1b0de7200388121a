import { RetryPolicy } from '@lp/eventsourcing';
import { SubscriptionStatus } from '@lp/messaging';

export interface BackgroundIndexesOptions {
  /** Resolves once the fill has caught up (or its subscription stopped): the indexes wait for it. Absent: made at once. */
  caughtUp?: () => Promise<void>;
  /** Makes the indexes (and whatever records that they are made), telling `working` which collection it indexes. */
  make: (working: (collection: string) => void) => Promise<void>;
  /** What the status says is being retried, e.g. 'making the indexes of a first fill'. */
  what: string;
  retryPolicy: RetryPolicy;
  /** Shows the retries, and which collection is being indexed (SubscriptionStatus.indexing). */
  status: SubscriptionStatus;
  /** A failure the policy does not retry: the projection reports it; its next start indexes again. */
  onFailure: (error: unknown) => void;
}

/**
 * A projection's indexes made while it goes on consuming:
 * - a first fill's (a new read database, or one dropped to be built again) once the fill has caught
 *   up, over the filled collections at once, which costs a fraction of keeping them up to date row by
 *   row. Reads meanwhile go without them, on documents that are not all there yet anyway;
 * - at a start with a checkpoint, what the projection declares that the store lacks (a release's new
 *   sort field or text index: seconds at 1M orders), at once. Lists go without them until made.
 * A store that is down is waited out; stop() ends the wait (and a stop before the fill caught up makes
 * nothing), so the next start is left to index.
 */
export class BackgroundIndexes {
  readonly done: Promise<void>;
  private readonly stopped = new AbortController();

  constructor(private readonly options: BackgroundIndexesOptions) {
    this.done = this.run();
  }

  /**
   * Settles when a projection's caughtUp() may: at once, unless these are a first fill's indexes
   * (made once it caught up), whose documents the store may hold until they are made.
   */
  get caughtUp(): Promise<void> {
    return this.options.caughtUp ? this.done : Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.done;
  }

  private async run(): Promise<void> {
    const { caughtUp, make, what, retryPolicy, status, onFailure } = this.options;
    const signal = this.stopped.signal;
    let made = false;
    try {
      await caughtUp?.();
      if (signal.aborted) return;
      await retryPolicy.run(() => make((collection) => status.indexing(collection)), { signal, onRetry: (error, attempt) => status.retrying(error, attempt, what) });
      made = true;
    } catch (error) {
      if (!signal.aborted) onFailure(error);
    } finally {
      status.indexingEnded(made);
    }
  }
}
