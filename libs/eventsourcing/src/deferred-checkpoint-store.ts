import { CheckpointStore } from './event-store';

/**
 * A CheckpointStore that remembers each consumer's latest position at once and writes it to the
 * underlying store at most every `intervalMs`, the latest position only.
 *
 * Why: with synchronous=FULL every checkpoint write is an fsync'd commit, and the forwarder and the
 * store reactors moved theirs after every small batch — several fsyncs per command, blocking the
 * event loop. A checkpoint only says where to resume; a position is recorded only after the events
 * before it were handled, so a crash leaves the durable checkpoint at most `intervalMs` behind and
 * those events are handed over again (at least once, as after any crash between handling and
 * checkpointing; consumers dedupe by event id). Nothing is ever skipped.
 *
 * A failed write is kept pending, retried at the next flush, and thrown to the next `store()`
 * caller, so a consumer's retry policy and status see a failing checkpoint store.
 */
export class DeferredCheckpointStore implements CheckpointStore {
  private readonly pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private failure?: unknown;

  /**
   * @param beforeWrite runs before positions are written, e.g. the bus's sync(): a forwarder's
   * checkpoint must never become durable ahead of the messages it says were published.
   */
  constructor(
    private readonly durable: CheckpointStore,
    private readonly intervalMs = 200,
    private readonly beforeWrite?: () => Promise<void>,
  ) {}

  async load(consumerId: string): Promise<number | undefined> {
    return this.pending.get(consumerId) ?? (await this.durable.load(consumerId));
  }

  async store(consumerId: string, position: number): Promise<void> {
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      this.pending.set(consumerId, position);
      this.schedule();
      throw failure;
    }
    this.pending.set(consumerId, position);
    this.schedule();
  }

  /** Writes every pending position now (on stop, and when an operator moves a checkpoint). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A failed earlier write must not stop later flushes (its positions are pending again).
    this.writing = this.writing.catch(() => undefined).then(() => this.writePending());
    return this.writing;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined);
    }, this.intervalMs);
    // A pending checkpoint must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    let written = 0;
    try {
      await this.beforeWrite?.();
      for (const [consumerId, position] of batch) {
        await this.durable.store(consumerId, position);
        written++;
      }
    } catch (error) {
      // Keep what was not written, unless a newer position arrived meanwhile.
      for (const [id, at] of batch.slice(written)) if (!this.pending.has(id)) this.pending.set(id, at);
      this.failure = error;
      this.schedule();
      throw error;
    }
  }
}
