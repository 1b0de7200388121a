import Database from 'better-sqlite3';
import { EventEmitter } from 'events';
import { aggregateIdOf, EventEnvelope, infrastructureRetry, RetryPolicy } from '@lp/eventsourcing';
import { LIMIT_CLAUSE, LimitedStatements, openSqliteDatabase, SqliteSynchronous, WalSync, walSyncOf } from '@lp/eventsourcing/sqlite';
import { BusSubscription, EventBus, PublishOptions, SubscribeOptions, upcastingHandler } from '../event-bus';
import { MessageHeaders } from '../message-headers';
import { ConsumerLoop, TopicPartition } from './consumer-loop';
import { ParkedKeys } from '../delivery/parked-keys';
import { InProcessDeadLetters } from '../dead-letters/in-process-dead-letters';
import type { ParkedBy } from '../delivery/message-delivery';
import { InProcessGroupOffsets } from '../consumer-groups/in-process-group-offsets';

/**
 * The embedded runtime's bus: every topic is a durable, partitioned log in one SQLite file, with
 * Kafka semantics (key = aggregate id → partition, offsets per consumer group, at-least-once).
 *
 * Consumer groups: a group starts at the beginning of each topic unless it committed offsets in
 * this file; a group id subscribed twice in one process shares those offsets, and each partition
 * is consumed by one subscription of the group at a time (like Kafka's partition assignment).
 * Embedded in-memory projections therefore subscribe with a fresh group id per process start
 * (e.g. `projection-x-${randomUUID()}`), so they replay their topics from the beginning and
 * rebuild their state, while durable consumers keep a stable group id.
 *
 * The partition count applies to every topic of the file; do not change it for an existing file,
 * or one key's later messages land in another partition and lose their order relative to earlier ones.
 */
export interface InProcessEventBusOptions {
  filename: string;
  /** Partitions per topic (default 1). */
  partitions?: number;
  synchronous?: SqliteSynchronous;
  /**
   * Waits before each retry of a handler failing for a reason that is not an outage; after the last
   * one the message is parked (default 10, 50, 250 ms). An outage (isTransient) is retried for ever.
   */
  retryDelaysMs?: number[];
  /** Waits between tries during an outage (default: the shared infrastructure policy). */
  retryPolicy?: RetryPolicy;
  /** Fallback polling for messages published by another process on the same file (default 250 ms). */
  pollIntervalMs?: number;
  /** Messages read per query (default 200). */
  batchSize?: number;
  /**
   * Runs before committed offsets are saved durably: what the consumers wrote elsewhere (read
   * models in their own files) must be durable before an offset past those messages is.
   */
  beforeOffsetsSaved?: () => void | Promise<void>;
}

/** A message parked in `<topic>.dlq` after its handler kept failing. */
export interface DeadLetter {
  event: EventEnvelope;
  error: { message: string; stack?: string } & ParkedBy;
}

export interface StoredMessage {
  topic: string;
  partition: number;
  offset: number;
  /** The aggregate id: messages of one key are parked in order behind an earlier parked one. */
  key: string;
  payload: string;
  /** JSON of the message's headers (message-headers.ts), NULL when it has none. */
  headers?: string | null;
}

/** Not a topic name (those have no spaces): the wake-up of every loop when partitions are freed. */
const PARTITIONS_RELEASED = 'partitions released';

export class InProcessEventBus implements EventBus {
  readonly partitions: number;
  private readonly db: Database.Database;
  private readonly published = new EventEmitter().setMaxListeners(0);
  private readonly loops = new Set<ConsumerLoop>();
  /** Committed offsets (next offset to read) by group/topic/partition, shared by a group's subscriptions. */
  private readonly offsets = new Map<string, number>();
  /** Which subscription currently consumes a group's partition. */
  private readonly claims = new Map<string, ConsumerLoop>();
  private readonly options: { partitions: number; retryPolicy: RetryPolicy; pollIntervalMs: number; batchSize: number };
  private readonly parkedKeysByGroup = new Map<string, ParkedKeys>();
  private deadLetterView?: InProcessDeadLetters;
  private readonly nextOffsetStmt: Database.Statement<[string, number], { next: number }>;
  private readonly insertStmt: Database.Statement;
  private readonly readStmt: LimitedStatements<StoredMessage>;
  private readonly loadOffsetStmt: Database.Statement<[string, string, number], { next_offset: number }>;
  private readonly saveOffsetStmt: Database.Statement<[string, string, number, number]>;
  private readonly appendTx: Database.Transaction<
    (topic: string, events: EventEnvelope[], error?: DeadLetter['error'], headers?: MessageHeaders) => void
  >;
  private readonly saveOffsetsTx: Database.Transaction<(offsets: UnsavedOffset[]) => void>;
  private readonly unsavedOffsets = new Map<string, UnsavedOffset>();
  private offsetSave?: NodeJS.Timeout;
  private readonly durability: SqliteSynchronous;
  private readonly beforeOffsetsSaved?: () => void | Promise<void>;
  /** The durable setting's flush, off the event loop; absent with NORMAL or in memory. */
  private readonly walSync?: WalSync;
  /** The offset save running, which the next one waits for. */
  private saving: Promise<void> = Promise.resolve();
  /** Something was committed since the last durable commit. */
  private unsynced = false;
  private closed = false;

  constructor(options: InProcessEventBusOptions) {
    this.options = {
      partitions: options.partitions ?? 1,
      retryPolicy: (options.retryPolicy ?? infrastructureRetry).withPoisonDelays(options.retryDelaysMs ?? [10, 50, 250]),
      pollIntervalMs: options.pollIntervalMs ?? 250,
      batchSize: options.batchSize ?? 200,
    };
    this.partitions = this.options.partitions;
    // Publishes commit without an fsync (a process crash loses none of them; WAL keeps them in the
    // OS); sync() and the offset saves commit with the durable setting, which fsyncs the WAL and with
    // it every earlier commit. The forwarder syncs before its checkpoint becomes durable, so after a
    // power loss it republishes what the log lost instead of skipping it: one fsync per command (the
    // event store's), not two.
    this.durability = options.synchronous ?? 'FULL';
    this.beforeOffsetsSaved = options.beforeOffsetsSaved;
    this.db = openSqliteDatabase(options.filename, 'NORMAL');
    if (this.durability === 'FULL') this.walSync = walSyncOf(options.filename);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS bus_messages (
        topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
        key TEXT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL,
        payload TEXT NOT NULL, error TEXT, published_at TEXT NOT NULL,
        PRIMARY KEY (topic, partition, offset));
      CREATE TABLE IF NOT EXISTS bus_offsets (
        group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
        PRIMARY KEY (group_id, topic, partition));`);
    // Headers came later: files written before get the column (NULL = no headers).
    if (!this.db.prepare("SELECT 1 FROM pragma_table_info('bus_messages') WHERE name = 'headers'").get()) {
      this.db.exec('ALTER TABLE bus_messages ADD COLUMN headers TEXT');
    }
    this.nextOffsetStmt = this.db.prepare(
      'SELECT COALESCE(MAX(offset) + 1, 0) AS next FROM bus_messages WHERE topic = ? AND partition = ?',
    );
    this.insertStmt = this.db.prepare(
      `INSERT INTO bus_messages (topic, partition, offset, key, event_id, type, payload, error, published_at, headers)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.readStmt = new LimitedStatements(
      this.db,
      `SELECT topic, partition, offset, key, payload, headers FROM bus_messages
       WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset ${LIMIT_CLAUSE}`,
    );
    this.loadOffsetStmt = this.db.prepare(
      'SELECT next_offset FROM bus_offsets WHERE group_id = ? AND topic = ? AND partition = ?',
    );
    this.saveOffsetStmt = this.db.prepare(
      `INSERT INTO bus_offsets (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset`,
    );
    this.saveOffsetsTx = this.db.transaction((offsets: UnsavedOffset[]) => {
      for (const { groupId, part, nextOffset } of offsets) this.saveOffsetStmt.run(groupId, part.topic, part.partition, nextOffset);
    });
    this.appendTx = this.db.transaction((topic: string, events: EventEnvelope[], error?: DeadLetter['error'], headers?: MessageHeaders) =>
      this.appendInTransaction(topic, events, error, headers),
    );
  }

  /** One transaction per call: resolves once every message is committed to the file. */
  async publish(topic: string, events: EventEnvelope[], options: PublishOptions = {}): Promise<void> {
    if (this.closed) throw new Error('InProcessEventBus is closed');
    if (events.length === 0) return;
    this.appendTx.immediate(topic, events, undefined, options.headers);
    this.unsynced = true;
    this.published.emit(topic);
  }

  async sync(): Promise<void> {
    if (this.closed || !this.unsynced) return;
    await this.saveOffsets(true);
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    if (this.closed) throw new Error('InProcessEventBus is closed');
    const parts: TopicPartition[] = options.topics.flatMap((topic) =>
      Array.from({ length: this.partitions }, (_, partition) => ({ topic, partition })),
    );
    const loop = new ConsumerLoop(this, options.groupId, parts, upcastingHandler(options.handler), { ...this.options, concurrentKeys: options.concurrentKeys }, this.parkedKeysOf(options.groupId), options.status);
    this.loops.add(loop);
    loop.start();
    return loop;
  }

  deadLetterStore(): InProcessDeadLetters {
    this.deadLetterView ??= new InProcessDeadLetters(this);
    return this.deadLetterView;
  }

  consumerGroupOffsets(): InProcessGroupOffsets {
    return new InProcessGroupOffsets(this);
  }

  /** Messages parked in `<topic>.dlq`, with the error that parked them. */
  deadLetters(topic: string): DeadLetter[] {
    return this.db
      .prepare<[string], { payload: string; error: string }>(
        'SELECT payload, error FROM bus_messages WHERE topic = ? ORDER BY partition, offset',
      )
      .all(`${topic}.dlq`)
      .map((row) => ({ event: JSON.parse(row.payload), error: JSON.parse(row.error) }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.loops].map((loop) => loop.stop()));
    await this.saveOffsets();
    await this.walSync?.close();
    this.db.close();
  }

  // ---- used by ConsumerLoop ----

  /** Shared by a group's subscriptions in this process: which keys wait behind a parked message. */
  private parkedKeysOf(groupId: string): ParkedKeys {
    let keys = this.parkedKeysByGroup.get(groupId);
    if (!keys) {
      const anythingParked = this.db.prepare<[string]>('SELECT 1 FROM bus_messages WHERE topic = ? LIMIT 1');
      keys = new ParkedKeys(groupId, this.deadLetterStore(), async (topic) => anythingParked.get(`${topic}.dlq`) !== undefined);
      this.parkedKeysByGroup.set(groupId, keys);
    }
    return keys;
  }

  /**
   * @internal Calls listener after each publish to one of `topics`, and when a subscription leaves
   * partitions to take over. Only those: a publish waking every consumer loop made each of them query
   * its partitions for nothing.
   */
  onPublished(topics: string[], listener: () => void): () => void {
    const events = [...new Set(topics), PARTITIONS_RELEASED];
    for (const event of events) this.published.on(event, listener);
    return () => events.forEach((event) => this.published.off(event, listener));
  }

  /** @internal */
  read(part: TopicPartition, fromOffset: number, limit: number): StoredMessage[] {
    return this.readStmt.all(limit, [part.topic, part.partition, fromOffset]);
  }

  /** @internal Offset the next published message of the partition will get. */
  endOffset(part: TopicPartition): number {
    return this.nextOffsetStmt.get(part.topic, part.partition)?.next ?? 0;
  }

  /** @internal */
  committedOffset(groupId: string, part: TopicPartition): number {
    const key = groupKey(groupId, part);
    let offset = this.offsets.get(key);
    if (offset === undefined) {
      offset = this.loadOffsetStmt.get(groupId, part.topic, part.partition)?.next_offset ?? 0;
      this.offsets.set(key, offset);
    }
    return offset;
  }

  /**
   * @internal Commits in memory at once; `durable` ones also reach the file, within
   * OFFSET_SAVE_INTERVAL_MS and in one transaction for all groups. A crash before that redelivers
   * those messages (at least once; consumers dedupe by event id), as Kafka's auto-commit does, instead
   * of an fsync'd commit per batch of every group for every event.
   */
  commit(groupId: string, part: TopicPartition, nextOffset: number, durable: boolean): void {
    const key = groupKey(groupId, part);
    this.offsets.set(key, nextOffset);
    if (durable) {
      this.unsavedOffsets.set(key, { groupId, part, nextOffset });
      this.offsetSave ??= setTimeout(() => void this.saveOffsets(), OFFSET_SAVE_INTERVAL_MS).unref();
    }
    for (const loop of this.loops) if (loop.groupId === groupId) loop.checkCaughtUp();
  }

  /**
   * One durable commit of the offsets waiting to be saved; `force`: even with none (to sync the log).
   * One save at a time, each after the previous one, so that offsets reach the file in order.
   */
  private saveOffsets(force = false): Promise<void> {
    if (this.offsetSave) clearTimeout(this.offsetSave);
    this.offsetSave = undefined;
    const save = this.saving.catch(() => undefined).then(() => this.saveOffsetsNow(force));
    this.saving = save.catch(() => undefined);
    return save;
  }

  private async saveOffsetsNow(force: boolean): Promise<void> {
    if ((this.unsavedOffsets.size === 0 && !force) || !this.db.open) return;
    const unsaved = [...this.unsavedOffsets.values()];
    this.unsavedOffsets.clear();
    try {
      if (unsaved.length) await this.beforeOffsetsSaved?.();
      await this.durably(() => this.saveOffsetsTx(unsaved));
    } catch (error) {
      // A file is failing (disk full, locked): keep them for the next try unless a newer one came.
      for (const entry of unsaved) {
        const key = groupKey(entry.groupId, entry.part);
        if (!this.unsavedOffsets.has(key)) this.unsavedOffsets.set(key, entry);
      }
      if (!this.closed) this.offsetSave ??= setTimeout(() => void this.saveOffsets(), OFFSET_SAVE_INTERVAL_MS).unref();
      // sync()'s caller (the forwarder, before its checkpoint) must not take the log as durable.
      if (force) throw error;
    }
  }

  /** @internal */
  claim(groupId: string, part: TopicPartition, loop: ConsumerLoop): boolean {
    const key = groupKey(groupId, part);
    const owner = this.claims.get(key);
    if (owner && owner !== loop) return false;
    this.claims.set(key, loop);
    return true;
  }

  /** @internal Frees the loop's partitions and lets the group's other subscriptions take them over. */
  release(loop: ConsumerLoop): void {
    for (const [key, owner] of this.claims) if (owner === loop) this.claims.delete(key);
    this.loops.delete(loop);
    this.published.emit(PARTITIONS_RELEASED);
  }

  /** @internal For the dead-letter and consumer-group adapters, which keep their own tables in this file. */
  get database(): Database.Database {
    return this.db;
  }

  /** @internal */
  async park(message: StoredMessage, error: DeadLetter['error']): Promise<void> {
    const headers = message.headers ? (JSON.parse(message.headers) as MessageHeaders) : undefined;
    // Durable before the group's offset moves past it: only this copy remains.
    await this.durably(() => this.appendTx.immediate(`${message.topic}.dlq`, [JSON.parse(message.payload)], error, headers));
    this.published.emit(`${message.topic}.dlq`);
  }

  /**
   * Commits `write`, then (with the durable setting) flushes the WAL in the thread pool, which makes
   * every earlier commit durable too: the loop goes on serving meanwhile.
   */
  private async durably(write: () => void): Promise<void> {
    write();
    // Before the flush: a publish committed while it runs sets it again, for the next sync().
    this.unsynced = false;
    try {
      await this.walSync?.sync();
    } catch (error) {
      this.unsynced = true;
      throw error;
    }
  }

  private appendInTransaction(topic: string, events: EventEnvelope[], error?: DeadLetter['error'], headers?: MessageHeaders): void {
    const nextByPartition = new Map<number, number>();
    const publishedAt = new Date().toISOString();
    const errorJson = error ? JSON.stringify(error) : null;
    const headersJson = headers && Object.keys(headers).length ? JSON.stringify(headers) : null;
    for (const event of events) {
      const key = aggregateIdOf(event.streamId);
      const partition = partitionOf(key, this.partitions);
      const offset = nextByPartition.get(partition) ?? this.endOffset({ topic, partition });
      this.insertStmt.run(topic, partition, offset, key, event.eventId, event.type, JSON.stringify(event), errorJson, publishedAt, headersJson);
      nextByPartition.set(partition, offset + 1);
    }
  }
}

/** How long a consumer group's committed offset may stay in memory only. */
const OFFSET_SAVE_INTERVAL_MS = 200;

interface UnsavedOffset {
  groupId: string;
  part: TopicPartition;
  nextOffset: number;
}

function groupKey(groupId: string, part: TopicPartition): string {
  return `${groupId}\u0000${part.topic}\u0000${part.partition}`;
}

/** FNV-1a: stable across processes and versions, which is all the partitioner needs. */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
