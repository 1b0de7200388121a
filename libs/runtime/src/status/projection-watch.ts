import { SubscriptionStatus } from '@lp/messaging';
import { ProjectionRunner } from '@lp/read-models';

const RESUME_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * A projection runner seen through the common status model (the runner's own subscription status).
 * An outage of the read store is waited out inside the runner; any other failure stops it at its
 * checkpoint. This watch notices that end (in memory) and resumes the runner from the checkpoint
 * with back-off, so a failure that passes (a document fixed, a store replaced) heals without a
 * restart, and a lasting one shows as a failure with its error and age.
 */
export class ProjectionWatch {
  readonly status: SubscriptionStatus;
  private watched?: Promise<void>;
  private failure?: unknown;
  private attempts = 0;
  private resumeAt = 0;
  private resuming?: Promise<void>;

  constructor(readonly runner: ProjectionRunner) {
    // The runner's own subscription status: its checkpoint, retries and failure, kept across restarts.
    this.status = runner.subscriptionStatus;
  }

  caughtUp(): Promise<void> {
    return this.runner.caughtUp();
  }

  /** Called by the sampler: watches the current subscription's end and resumes a failed runner when due. */
  sample(running: boolean): void {
    const done = this.runner.done;
    if (done !== this.watched) {
      this.watched = done;
      done.catch((error: unknown) => {
        if (this.watched !== done) return;
        this.failure = error;
        this.status.failed(error);
      });
    }
    if (this.status.state === 'live') this.attempts = 0;
    if (running && this.failure !== undefined && !this.resuming && Date.now() >= this.resumeAt) this.resume();
  }

  private resume(): void {
    this.attempts++;
    this.resumeAt = Date.now() + RESUME_DELAYS_MS[Math.min(this.attempts, RESUME_DELAYS_MS.length) - 1];
    this.status.retrying(this.failure, this.attempts, 'resuming from its checkpoint');
    this.resuming = (async () => {
      try {
        await this.runner.stop();
        this.failure = undefined;
        await this.runner.start();
      } catch (error) {
        this.failure = error;
      } finally {
        this.resuming = undefined;
      }
    })();
  }
}
