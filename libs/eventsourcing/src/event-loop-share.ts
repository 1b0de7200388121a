/**
 * A loop working through a backlog (a subscription catching up, a blue/green rebuild, a consumer
 * behind its topic) never lets the event loop serve anything else on its own: its handlers'
 * promises settle as microtasks, so one catch-up of 1M events held HTTP requests, health probes and
 * timers for its whole length. Such a loop awaits `handOverIfDue()` after each item: once it has
 * worked for a slice without a break, the thread serves pending I/O (requests included) and timers,
 * then the loop goes on where it was.
 */
export class EventLoopShare {
  private since = performance.now();

  constructor(private readonly sliceMs = EVENT_LOOP_SLICE_MS) {}

  /** Worked for a whole slice since the last break. Cheap: called once per item. */
  isDue(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }

  /** Lets the event loop turn once (setImmediate runs after pending I/O), then starts a new slice. */
  async handOver(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.rested();
  }

  /** handOver() when a whole slice is used up; otherwise goes on at once. */
  async handOverIfDue(): Promise<void> {
    if (this.isDue()) await this.handOver();
  }

  /** The loop waited (for a wake-up or a timer), which was a break for everything else. */
  rested(): void {
    this.since = performance.now();
  }
}

/** Longest a backlog holds the thread in one go: requests wait at most about this long behind it. */
export const EVENT_LOOP_SLICE_MS = 10;
