import { EventLoopShare } from '@lp/eventsourcing';

export type Versions = Record<string, number>;

/** A document of a version being filled, held in memory between the writes of its row. */
export interface HeldDocument {
  readonly collection: string;
  readonly id: string;
  /** The document now (undefined: none yet). The next change gets a shallow copy of it. */
  doc: Record<string, unknown> | undefined;
  /** The source versions applied so far, as the row's `versions` column keeps them. Never handed out. */
  readonly versions: Versions;
  /** Whether the collection has a row of it (what its totals and text index counted is read from there). */
  written: boolean;
  dirty: boolean;
}

export interface HeldFillOptions {
  /** Changed documents at which they are written (default 20,000). */
  flushAfterDocuments?: number;
  /** Longest a change stays in memory only (default 5,000 ms: a crash makes a rebuild do at most that much again). */
  flushAfterMs?: number;
  /** Unchanged documents kept after a flush for the next events of their streams (default 20,000). */
  keptDocuments?: number;
}

/** What writing the held documents needs of the store, each call inside its grouped transaction. */
export interface HeldFillWriter {
  writeDocument(held: HeldDocument): void;
  savePosition(key: string, position: number): void;
}

/**
 * The documents and checkpoint of a version being filled (a blue/green rebuild's, which nobody reads
 * yet, or a first fill, ReadStore.holdFirstFill), held in memory and written once in a while instead
 * of at every event: an order's ten events then read its row once and write it about once per flush,
 * where each event read the row, parsed it, wrote it and wrote the checkpoint. The checkpoint is written after the documents it covers, so a crash loses
 * only what is replayed from the older checkpoint (the version guard makes that harmless). A read of
 * the version, close(), an index made or the version promoted write them first; flush() and sync(),
 * which a bus consumer calls before it saves its offsets, do not: a held fill's checkpoint is here.
 */
export class HeldFill {
  /** Checkpoint key of each fill → its physical collections. */
  private readonly fills = new Map<string, string[]>();
  private readonly collections = new Map<string, Map<string, HeldDocument>>();
  private readonly checkpoints = new Map<string, number>();
  private dirty: HeldDocument[] = [];
  private readonly forgottenCheckpoints = new Set<string>();
  private flushing?: Promise<void>;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly flushAfterDocuments: number;
  private readonly flushAfterMs: number;
  private readonly keptDocuments: number;

  constructor(
    private readonly writer: HeldFillWriter,
    options: HeldFillOptions = {},
  ) {
    this.flushAfterDocuments = options.flushAfterDocuments ?? 20_000;
    this.flushAfterMs = options.flushAfterMs ?? 5_000;
    this.keptDocuments = options.keptDocuments ?? 20_000;
  }

  begin(checkpointKey: string, physicalNames: string[]): void {
    if (this.fills.has(checkpointKey)) return;
    this.fills.set(checkpointKey, physicalNames);
    for (const name of physicalNames) if (!this.collections.has(name)) this.collections.set(name, new Map());
  }

  /** The fill of `checkpointKey` is over (a rebuilt version promoted, a first fill indexed or stopped): written, and written through from now on. */
  async end(checkpointKey: string): Promise<void> {
    const names = this.fills.get(checkpointKey);
    if (!names) return;
    // A live fill goes on while a flush hands the thread over: what it changed meanwhile is written
    // too before letting go, or it would be dropped with the held documents while its checkpoint moves on.
    const holdsChanges = () => this.checkpoints.has(checkpointKey) || this.dirty.some((held) => names.includes(held.collection));
    do await this.flush();
    while (holdsChanges());
    this.fills.delete(checkpointKey);
    for (const name of names) this.collections.delete(name);
  }

  /** The held documents of a collection being filled; undefined when its writes go through at once. */
  documents(physicalName: string): Map<string, HeldDocument> | undefined {
    return this.collections.get(physicalName);
  }

  holdsCheckpoint(key: string): boolean {
    return this.fills.has(key);
  }

  /** The checkpoint not written yet, if any. */
  checkpoint(key: string): number | undefined {
    return this.checkpoints.get(key);
  }

  saveCheckpoint(key: string, position: number): void {
    this.forgottenCheckpoints.delete(key);
    this.checkpoints.set(key, position);
    this.scheduleFlush();
  }

  forgetCheckpoint(key: string): void {
    this.checkpoints.delete(key);
    this.forgottenCheckpoints.add(key);
  }

  /** Forgets what is held of a collection (it was emptied or dropped): nothing of it is written. */
  forget(physicalName: string): void {
    this.collections.get(physicalName)?.clear();
  }

  /** After a held document changed: written with the next flush. */
  changed(held: HeldDocument): void {
    if (!held.dirty) {
      held.dirty = true;
      this.dirty.push(held);
    }
    this.scheduleFlush();
  }

  get due(): boolean {
    return this.dirty.length >= this.flushAfterDocuments;
  }

  /** Writes every changed document, then the checkpoints they cover. One flush at a time. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.dirty.length === 0 && this.checkpoints.size === 0) return;
    this.flushing = this.flushNow();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async flushNow(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.dirty;
    this.dirty = [];
    // Taken before the documents: every event up to these positions is in a document of the batch or
    // in one written before. Events applied during the flush may be written too: a row ahead of its
    // checkpoint is only applied again after a crash, and skipped by the version guard.
    const checkpoints = [...this.checkpoints];
    this.checkpoints.clear();
    this.forgottenCheckpoints.clear();
    const share = new EventLoopShare();
    let written = 0;
    try {
      for (; written < batch.length; written++) {
        const held = batch[written];
        // Changed again meanwhile: still dirty, and written here with its latest state.
        if (held.dirty && this.collections.get(held.collection)?.get(held.id) === held) {
          this.writer.writeDocument(held);
          held.dirty = false;
        }
        await share.handOverIfDue();
      }
      for (const [key, position] of checkpoints) {
        if (!this.forgottenCheckpoints.has(key) && this.fills.has(key)) this.writer.savePosition(key, position);
      }
    } catch (error) {
      // Nothing is lost: what was not written is held again, for the next flush.
      for (const held of batch.slice(written)) if (held.dirty) this.dirty.push(held);
      for (const [key, position] of checkpoints) if (!this.checkpoints.has(key) && !this.forgottenCheckpoints.has(key)) this.checkpoints.set(key, position);
      this.scheduleFlush();
      throw error;
    }
    this.forgetUnchangedBeyondKept();
  }

  /**
   * Memory stays bounded: past keptDocuments, unchanged documents are dropped (read again when needed),
   * the first held first: a stream's events come close together, so those held longest are the least
   * likely to get another.
   */
  private forgetUnchangedBeyondKept(): void {
    let excess = -this.keptDocuments;
    for (const documents of this.collections.values()) excess += documents.size;
    for (const documents of this.collections.values()) {
      for (const [id, document] of documents) {
        if (excess <= 0) return;
        if (document.dirty) continue;
        documents.delete(id);
        excess--;
      }
    }
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // An error (the disk, the database closed) leaves the documents held; the next change or read retries.
      this.flush().catch(() => undefined);
    }, this.flushAfterMs);
    this.timer.unref?.();
  }

  /** Stops the timer (the store closes after a last flush). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
