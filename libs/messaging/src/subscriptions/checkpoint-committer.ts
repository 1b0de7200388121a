/** One handed-over event whose work has not finished yet. */
export interface PendingWork {
  readonly position: number;
  /** Position handed over just before this one: safe to checkpoint while this one runs. */
  readonly before: number;
}

/**
 * The checkpoint of a subscription whose events may finish out of order (Eventuous's checkpoint
 * commit handler): it is the low-water mark of finished work, so it never passes an event whose
 * work has not finished (or never will, because it was stopped), and a restart replays exactly the
 * unfinished ones. Writes never overlap, and the commits of one turn of the event loop (or made while
 * a write runs) are written once, at their newest position.
 */
export class CheckpointCommitter {
  private readonly pending: PendingWork[] = [];
  private seen: number;
  private committed: number;
  private writing: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(
    start: number,
    private readonly write: (position: number) => Promise<void>,
  ) {
    this.seen = start;
    this.committed = start;
  }

  get position(): number {
    return this.committed;
  }

  /** An event to be worked on: the checkpoint stays before it until finish(). */
  begin(position: number): PendingWork {
    const work: PendingWork = { position, before: this.seen };
    this.seen = position;
    this.pending.push(work);
    return work;
  }

  /** An event with nothing to do (not one of the handled types): passed as soon as earlier work is. */
  skip(position: number): void {
    this.seen = position;
    this.commit();
  }

  finish(work: PendingWork): void {
    const index = this.pending.indexOf(work);
    if (index >= 0) this.pending.splice(index, 1);
    this.commit();
  }

  /** Resolves once the checkpoint writes asked for so far are done. */
  written(): Promise<void> {
    return this.writing;
  }

  private commit(): void {
    const safe = this.pending.length ? this.pending[0].before : this.seen;
    if (safe <= this.committed) return;
    this.committed = safe;
    // One write waits at most: it takes the newest position when its turn comes.
    if (this.queued) return;
    this.queued = true;
    // A write that failed for good is not repeated: the next commit writes a later position, and a
    // checkpoint left behind only replays finished work (handlers are idempotent).
    this.writing = this.writing
      // The work finished in this turn of the event loop joins the write: a catch-up handles hundreds
      // of events between two turns, and wrote (and retried, and reported) a checkpoint after each.
      .then(nextTurn)
      .then(() => {
        this.queued = false;
        return this.write(this.committed);
      })
      .catch(() => undefined);
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
