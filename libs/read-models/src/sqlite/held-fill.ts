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
  /** When it last became dirty (Date.now()): the held longest are written first. */
  dirtiedAt?: number;
  /** Its fill's checkpoint when it last became dirty: every event up to it was applied before its first unwritten change. */
  since?: number;
}

export interface HeldFillOptions {
  /** Changed documents at which the older half of them is written (default 20,000). */
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
  /** Undefined when the store may write now; else settles when it may (SqliteReadStore.writeTurn). */
  writeTurn(): Promise<void> | undefined;
}

/**
 * The documents and checkpoint of a version being filled (a blue/green rebuild's, which nobody reads
 * yet, or a first fill, ReadStore.holdFirstFill), held in memory and written once in a while instead
 * of at every event: an order's ten events then read its row once and write it about once, where
 * each event read the row, parsed it, wrote it and wrote the checkpoint. The checkpoint is written
 * after the documents it covers, so a crash loses only what is replayed from the older checkpoint
 * (the version guard makes that harmless). A read of the version, close(), an index made or the
 * version promoted write them first; flush() and sync(), which a bus consumer calls before it saves
 * its offsets, do not: a held fill's checkpoint is here.
 *
 * Between those, what is written is what changed longest ago: the older half once flushAfterDocuments
 * have changed, and what changed flushAfterMs ago. A stream's events come close together, so the
 * documents still changing stay held until their streams are done, and each row is written about once
 * instead of again at every write that fell while its stream was half applied. The checkpoint then
 * written is the oldest `since` of what stays held: never past a change not written.
 */
export class HeldFill {
  /** Checkpoint key of each fill → its physical collections. */
  private readonly fills = new Map<string, string[]>();
  /** Physical collection → the checkpoint key of its fill. */
  private readonly fillOf = new Map<string, string>();
  /** The last checkpoint each fill saved, written or not (a held document's `since`). */
  private readonly lastCheckpoints = new Map<string, number>();
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
    for (const name of physicalNames) {
      if (!this.collections.has(name)) this.collections.set(name, new Map());
      this.fillOf.set(name, checkpointKey);
    }
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
    this.lastCheckpoints.delete(checkpointKey);
    for (const name of names) {
      this.collections.delete(name);
      this.fillOf.delete(name);
    }
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
    this.lastCheckpoints.set(key, position);
    this.scheduleFlush();
  }

  forgetCheckpoint(key: string): void {
    this.checkpoints.delete(key);
    this.lastCheckpoints.delete(key);
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
      held.dirtiedAt = Date.now();
      held.since = this.lastCheckpoints.get(this.fillOf.get(held.collection) ?? '');
      this.dirty.push(held);
    }
    this.scheduleFlush();
  }

  get due(): boolean {
    return this.dirty.length >= this.flushAfterDocuments;
  }

  /** Writes every changed document, then the checkpoints they cover. One flush at a time. */
  flush(): Promise<void> {
    return this.flushOldest((dirty) => dirty.length);
  }

  /** Writes the older half of the changed documents (the first changed first), then the checkpoints that covers. */
  flushOlderHalf(): Promise<void> {
    return this.flushOldest((dirty) => dirty.length - Math.floor(this.flushAfterDocuments / 2));
  }

  /** Writes what changed flushAfterMs ago (and a quarter of that after, so that writes come in batches), then the checkpoints that covers. */
  private flushAged(): Promise<void> {
    const cutoff = Date.now() - (this.flushAfterMs * 3) / 4;
    return this.flushOldest((dirty) => {
      const young = dirty.findIndex((held) => held.dirtiedAt! > cutoff);
      return young < 0 ? dirty.length : young;
    });
  }

  /** `count`: how many of the changed documents, oldest first, to write. One flush at a time. */
  private async flushOldest(count: (dirty: readonly HeldDocument[]) => number): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.dirty.length === 0 && this.checkpoints.size === 0) return;
    this.flushing = this.flushNow(Math.max(0, count(this.dirty)));
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async flushNow(count: number): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // `dirty` is in the order documents became dirty: the batch is the oldest changes.
    const batch = this.dirty.slice(0, count);
    const stays = this.dirty.slice(count);
    this.dirty = stays;
    // Taken before the documents: every event up to these positions is in a document of the batch, in
    // one written before, or in one that stays held (whose `since` then bounds it). Events applied
    // during the flush may be written too: a row ahead of its checkpoint is only applied again after
    // a crash, and skipped by the version guard.
    const checkpoints = [...this.checkpoints].map(([key, position]) => [key, position, this.coveredBy(key, position, stays)] as const);
    this.forgottenCheckpoints.clear();
    const share = new EventLoopShare();
    let written = 0;
    try {
      for (; written < batch.length; written++) {
        const held = batch[written];
        const turn = this.writer.writeTurn();
        if (turn) await turn;
        // Changed again meanwhile: still dirty, and written here with its latest state.
        if (held.dirty && this.collections.get(held.collection)?.get(held.id) === held) {
          this.writer.writeDocument(held);
          held.dirty = false;
        }
        await share.handOverIfDue();
      }
      await this.writer.writeTurn();
      for (const [key, position, covered] of checkpoints) {
        if (this.forgottenCheckpoints.has(key) || !this.fills.has(key)) continue;
        if (covered !== undefined) this.writer.savePosition(key, covered);
        // Written as it is now: nothing of this fill left to write until its next checkpoint.
        if (covered === position && this.checkpoints.get(key) === position) this.checkpoints.delete(key);
      }
    } catch (error) {
      // Nothing is lost: what was not written is held again, first, for the next flush.
      this.dirty = [...batch.slice(written).filter((held) => held.dirty), ...this.dirty];
      this.scheduleFlush();
      throw error;
    }
    this.forgetUnchangedBeyondKept();
    // What stays held is written when it is old enough, or by the next flush that comes first.
    if (this.dirty.length > 0 || this.checkpoints.size > 0) this.scheduleFlush();
  }

  /**
   * The checkpoint of `key` that may be written once the batch is: `position` when none of its
   * documents stays held, else the oldest `since` of those that do (undefined: one changed before
   * the fill's first checkpoint, so none may be written yet).
   */
  private coveredBy(key: string, position: number, stays: readonly HeldDocument[]): number | undefined {
    let covered: number | undefined = position;
    for (const held of stays) {
      if (this.fillOf.get(held.collection) !== key) continue;
      if (held.since === undefined) return undefined;
      covered = Math.min(covered, held.since);
    }
    return covered;
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

  /** Due when the oldest change held is flushAfterMs old (a checkpoint alone: flushAfterMs from now). */
  private scheduleFlush(): void {
    if (this.timer) return;
    const oldest = this.dirty[0]?.dirtiedAt ?? Date.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // An error (the disk, the database closed) leaves the documents held; the next change or read retries.
      this.flushAged().catch(() => undefined);
    }, Math.max(0, oldest + this.flushAfterMs - Date.now()));
    this.timer.unref?.();
  }

  /** Stops the timer (the store closes after a last flush). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
