import Database from 'better-sqlite3';
import { EventEmitter } from 'events';
import { eventUpcasters } from '@lp/integration-events';
import { EventToAppend, RecordedEvent } from '../envelope';
import { WrongExpectedVersionError } from '../errors';
import {
  AppendContext,
  AppendResult,
  CheckpointStore,
  CountAllOptions,
  EventFilter,
  EventHandler,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoreSubscription,
  StreamAppend,
  SubscribeToAllOptions,
} from '../event-store';
import { openSqliteDatabase, SqliteSynchronous } from './open-sqlite-database';
import { LIMIT_CLAUSE, LimitedStatements } from './limited-statements';
import { CommittedTail } from './committed-tail';
import { PollingSubscription } from './polling-subscription';
import { ParsedActors } from './parsed-actors';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store';

export interface SqliteEventStoreOptions {
  /** Path of the database file, or ':memory:'. */
  filename: string;
  /** FULL (default) survives power loss; NORMAL only a process crash, but commits faster. */
  synchronous?: SqliteSynchronous;
  /** How often subscriptions look for events appended by another process (default 250 ms). */
  pollIntervalMs?: number;
  /** Events read per query by subscriptions, which bounds their memory (default 500). */
  subscriptionBatchSize?: number;
}

/**
 * The columns reads select, in the order of a raw row (EventColumns): an array per row instead of an
 * object saved ~3.5 µs of the ~10.5 it took to read and decode an order event (a rebuild reads 1M).
 */
const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, occurred_at, correlation_id, causation_id, actor, data';
type EventColumns = [number, string, number, string, string, number, string, string, string, string, string];

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  occurred_at: string;
  correlation_id: string;
  causation_id: string;
  actor: string;
  data: string;
}

/** What an append resolves with: one result, or one per stream of an atomic append. */
type Written = AppendResult | AppendResult[];

interface PendingAppend {
  /** Runs inside the write transaction: inserts the events (pushing their rows to `rows`) and returns the result. */
  write: (rows: EventRow[]) => Written;
  /**
   * Whether it may insert more than one row, so that in a group commit it needs its own savepoint: one
   * that fails part-way is then rolled back alone. A one-row append needs none: a refused revision
   * writes nothing, and a failed INSERT undoes itself.
   */
  severalRows: boolean;
  resolve: (result: Written) => void;
  reject: (error: unknown) => void;
  /** The rows this append inserted, kept for the committed tail once the commit succeeds. */
  rows: EventRow[];
}

type Outcome = { result: Written } | { error: unknown };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  -- No AUTOINCREMENT: rows are never deleted, so rowids already only grow, without its bookkeeping per insert.
  position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  occurred_at TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  causation_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  data TEXT NOT NULL,
  UNIQUE (stream_id, revision)
);
-- What a request caused: an idempotency key whose request died is settled by looking its request id up.
CREATE INDEX IF NOT EXISTS events_by_causation ON events (causation_id)`;

const NO_LIMIT = -1;

/** Enough for every live subscription to find a burst of appends in memory; a subscription further behind reads the file. */
const TAIL_CAPACITY = 2_000;

/** An event with this eventId is already stored; the whole append was rolled back. */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    readonly streamId: string,
    cause: unknown,
  ) {
    super(`Event ${eventId} (appending to ${streamId}) is already in the store`, { cause });
    this.name = 'DuplicateEventIdError';
  }
}

/**
 * The embedded event store: one SQLite file, global order = autoincrement `position` (from 1),
 * optimistic concurrency per stream via expectedRevision checked inside the write transaction.
 */
export class SqliteEventStore implements EventStore {
  readonly db: Database.Database;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly appended = new EventEmitter().setMaxListeners(0);
  private readonly tail = new CommittedTail<EventRow>(TAIL_CAPACITY);
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly filteredReads = new Map<string, LimitedStatements<EventColumns>>();
  /** COUNT statements by how many types they match. */
  private readonly counts = new Map<number, Database.Statement<unknown[], { n: number }>>();
  private pending: PendingAppend[] = [];
  private checkpointStore?: SqliteCheckpointStore;
  private closed = false;

  private readonly insertEvent: Database.Statement;
  private readonly lastOfStream: Database.Statement<[string], { revision: number; position: number }>;
  private readonly readForwards: LimitedStatements<EventColumns>;
  private readonly readBackwards: LimitedStatements<EventColumns>;
  private readonly headStmt: Database.Statement<[], { head: number | null }>;
  private readonly causedBy: Database.Statement<[string], EventRow>;
  private readonly appendOneTx: Database.Transaction<(pending: PendingAppend) => Written>;
  private readonly appendGroupTx: Database.Transaction<(group: PendingAppend[]) => Outcome[]>;

  constructor(options: SqliteEventStoreOptions) {
    this.db = openSqliteDatabase(options.filename, options.synchronous ?? 'FULL');
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.batchSize = options.subscriptionBatchSize ?? 500;
    this.db.exec(SCHEMA);
    const inserted = EVENT_COLUMNS.split(', ').slice(1);
    this.insertEvent = this.db.prepare(`INSERT INTO events (${inserted.join(', ')}) VALUES (${inserted.map(() => '?').join(', ')})`);
    this.lastOfStream = this.db.prepare(
      'SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    );
    this.readForwards = new LimitedStatements(this.db, `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ${LIMIT_CLAUSE}`, { raw: true });
    this.readBackwards = new LimitedStatements(this.db, `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC ${LIMIT_CLAUSE}`, { raw: true });
    this.headStmt = this.db.prepare('SELECT MAX(position) AS head FROM events');
    this.causedBy = this.db.prepare('SELECT * FROM events WHERE causation_id = ? ORDER BY position');
    this.appendOneTx = this.db.transaction((pending: PendingAppend) => pending.write(pending.rows));
    // Inside the group transaction an append that may insert several rows runs in its own savepoint
    // (a nested better-sqlite3 transaction), so one that fails part-way rolls back that append only.
    this.appendGroupTx = this.db.transaction((group: PendingAppend[]) =>
      group.map((pending): Outcome => {
        try {
          return { result: pending.severalRows ? this.appendOneTx(pending) : pending.write(pending.rows) };
        } catch (error) {
          return { error };
        }
      }),
    );
  }

  /**
   * Appends made in the same turn of the event loop are committed together (group commit): one
   * fsync for all of them instead of one each, which is what makes concurrent single appends
   * fast with synchronous=FULL. Each append still checks its own expected revision.
   */
  appendToStream(
    streamId: string,
    events: EventToAppend[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    const append = { streamId, events, expectedRevision: options?.expectedRevision };
    return this.enqueue<AppendResult>((rows) => this.appendInTransaction(append, rows), events.length > 1);
  }

  /**
   * Several streams in one commit, built inside the write transaction (see EventStore.appendAtomically);
   * it joins the group commit like any append, in its own savepoint.
   */
  appendAtomically(build: (context: AppendContext) => StreamAppend[]): Promise<AppendResult[]> {
    const context: AppendContext = { lastRevision: (streamId) => this.lastOfStream.get(streamId)?.revision ?? -1 };
    return this.enqueue<AppendResult[]>((rows) => build(context).map((append) => this.appendInTransaction(append, rows)), true);
  }

  private enqueue<Result extends Written>(write: (rows: EventRow[]) => Result, severalRows: boolean): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('SqliteEventStore is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ write, severalRows, resolve: (result) => resolve(result as Result), reject, rows: [] });
      if (this.pending.length === 1) setImmediate(() => this.commitPending());
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? NO_LIMIT;
    const rows =
      options.direction === 'backwards'
        ? this.readBackwards.all(limit, [streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER])
        : this.readForwards.all(limit, [streamId, options.fromRevision ?? 0]);
    return rows.map(fromColumns);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readRange(options.fromPosition ?? 0, Number.MAX_SAFE_INTEGER, options.maxCount ?? NO_LIMIT, options.filter);
  }

  /** Indexed, so `notBefore` is not needed here. */
  async readCausedBy(causationId: string): Promise<RecordedEvent[]> {
    return this.causedBy.all(causationId).map(toRecordedEvent);
  }

  /** Counted in SQL over the position range (the primary key), no event read into JavaScript. */
  async countAll({ fromPosition, upTo, eventTypes }: CountAllOptions): Promise<number> {
    if (eventTypes.length === 0) return 0;
    let statement = this.counts.get(eventTypes.length);
    if (!statement) {
      const types = eventTypes.map(() => '?').join(', ');
      statement = this.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE position > ? AND position <= ? AND type IN (${types})`);
      this.counts.set(eventTypes.length, statement);
    }
    return statement.get(fromPosition, upTo, ...eventTypes)!.n;
  }

  async headPosition(): Promise<number> {
    return this.head();
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventHandler): StoreSubscription {
    const subscription = new PollingSubscription(
      {
        head: () => this.head(),
        read: (after, upTo, limit) => this.readRange(after, upTo, limit, options.filter),
        onAppend: (listener) => {
          this.appended.on('appended', listener);
          return () => this.appended.off('appended', listener);
        },
        pollIntervalMs: this.pollIntervalMs,
        batchSize: this.batchSize,
      },
      options.fromPosition ?? 0,
      handler,
    );
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /**
   * A checkpoint store in this store's own file, so a consumer's checkpoint sits beside the events.
   * Its commits do not wait for the disk (see SqliteCheckpointStoreOptions.relaxedSync): a checkpoint
   * that a power loss takes back only makes its consumer redo work it does idempotently, and an fsync
   * per checkpoint held the event loop ~1 ms each time.
   */
  checkpoints(): CheckpointStore {
    this.checkpointStore ??= new SqliteCheckpointStore(this.db, { relaxedSync: true });
    return this.checkpointStore;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.commitPending();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }

  private head(): number {
    return this.headStmt.get()?.head ?? 0;
  }

  private commitPending(): void {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    let outcomes: Outcome[];
    try {
      outcomes =
        group.length === 1 ? [tryAppend(() => this.appendOneTx.immediate(group[0]))] : this.appendGroupTx.immediate(group);
    } catch (error) {
      // The commit itself failed (disk full, database locked too long): nothing was written.
      for (const pending of group) pending.reject(error);
      return;
    }
    // Rows of a failed append were rolled back; the appends that succeeded hold consecutive positions.
    const rows = group.filter((_, index) => 'result' in outcomes[index]).flatMap((pending) => pending.rows);
    this.tail.add(rows);
    outcomes.forEach((outcome, index) => {
      if ('result' in outcome) group[index].resolve(outcome.result);
      else group[index].reject(outcome.error);
    });
    const head = rows.at(-1)?.position;
    if (head !== undefined) this.appended.emit('appended', head);
  }

  private appendInTransaction({ streamId, events, expectedRevision = 'any' }: StreamAppend, rows: EventRow[]): AppendResult {
    const last = this.lastOfStream.get(streamId);
    const current = last ? last.revision : -1;
    if (!revisionHolds(expectedRevision, current)) {
      throw new WrongExpectedVersionError(streamId, expectedRevision, current < 0 ? 'no_stream' : current);
    }
    let revision = current;
    let position = last?.position ?? 0;
    // A command's events share its actor object: its JSON is made once per append, not once per event.
    let actor: unknown = NO_ACTOR_YET;
    let actorJson = '';
    for (const event of events) {
      revision += 1;
      if (event.actor !== actor) {
        actor = event.actor;
        actorJson = JSON.stringify(event.actor);
      }
      const row = this.insert(streamId, revision, event, actorJson);
      rows.push(row);
      position = row.position;
    }
    return { nextExpectedRevision: revision, position };
  }

  private insert(streamId: string, revision: number, event: EventToAppend, actorJson: string): EventRow {
    const row: EventRow = {
      position: 0,
      stream_id: streamId,
      revision,
      event_id: event.eventId,
      type: event.type,
      schema_version: event.schemaVersion,
      occurred_at: event.occurredAt,
      correlation_id: event.correlationId,
      causation_id: event.causationId,
      actor: actorJson,
      data: JSON.stringify(event.data ?? null),
    };
    try {
      // Every column but the position, which the insert gives, in EVENT_COLUMNS' order; named one by one, with no array made and spread per row.
      const info = this.insertEvent.run(
        row.stream_id,
        row.revision,
        row.event_id,
        row.type,
        row.schema_version,
        row.occurred_at,
        row.correlation_id,
        row.causation_id,
        row.actor,
        row.data,
      );
      row.position = Number(info.lastInsertRowid);
      return row;
    } catch (error) {
      // The only unique key an append can break is event_id (the revision is computed under the write lock).
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new DuplicateEventIdError(event.eventId, streamId, error);
      }
      throw error;
    }
  }

  private readRange(after: number, upTo: number, limit: number, filter?: EventFilter): RecordedEvent[] {
    const { column, prefixes } = describeFilter(filter);
    const recent = this.tail.between(after, upTo);
    if (recent) return pickMatching(recent, column, prefixes, limit).map(toRecordedEvent);
    const key = `${column}:${prefixes.length}`;
    let statement = this.filteredReads.get(key);
    if (!statement) {
      // substr/length compare characters exactly (LIKE would be case-insensitive and treat % and _ as wildcards).
      const matches = prefixes.map((_, i) => `substr(${column}, 1, length(@p${i})) = @p${i}`).join(' OR ');
      statement = new LimitedStatements<EventColumns>(
        this.db,
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > @after AND position <= @upTo
         ${matches ? `AND (${matches})` : ''} ORDER BY position ${LIMIT_CLAUSE}`,
        { raw: true },
      );
      this.filteredReads.set(key, statement);
    }
    const params: Record<string, string | number> = { after, upTo };
    prefixes.forEach((prefix, i) => (params[`p${i}`] = prefix));
    return statement.all(limit, params).map(fromColumns);
  }
}

function tryAppend(append: () => Written): Outcome {
  try {
    return { result: append() };
  } catch (error) {
    return { error };
  }
}

function revisionHolds(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current < 0;
    case 'stream_exists':
      return current >= 0;
    default:
      return expected === current;
  }
}

function describeFilter(filter?: EventFilter): { column: 'stream_id' | 'type'; prefixes: string[] } {
  if (!filter) return { column: 'stream_id', prefixes: [] };
  if ('streamPrefixes' in filter) return { column: 'stream_id', prefixes: nonEmpty(filter.streamPrefixes) };
  return { column: 'type', prefixes: nonEmpty(filter.eventTypePrefixes) };
}

/** What the filtered read's SQL selects, for rows already in memory. */
function pickMatching(rows: EventRow[], column: 'stream_id' | 'type', prefixes: string[], limit: number): EventRow[] {
  const matching = prefixes.length ? rows.filter((row) => prefixes.some((prefix) => row[column].startsWith(prefix))) : rows;
  return limit === NO_LIMIT ? matching : matching.slice(0, limit);
}

/** A filter with no prefixes would match nothing; a prefix that matches nothing is the honest SQL for that. */
function nonEmpty(prefixes: string[]): string[] {
  return prefixes.length ? prefixes : ['\u0000never'];
}

/** No event's actor: the first event of an append always has its actor's JSON made. */
const NO_ACTOR_YET = Symbol('no actor yet');

/** A row kept in memory (the committed tail, causedBy) as its columns. */
const columnsOf = (row: EventRow): EventColumns => [
  row.position,
  row.stream_id,
  row.revision,
  row.event_id,
  row.type,
  row.schema_version,
  row.occurred_at,
  row.correlation_id,
  row.causation_id,
  row.actor,
  row.data,
];

function toRecordedEvent(row: EventRow): RecordedEvent {
  return fromColumns(columnsOf(row));
}

/** Shared by every store of the process: the same users act in each service. */
const parsedActors = new ParsedActors();

/** Every read (streams, $all, subscriptions) comes through here: events of an older schemaVersion are upcast. */
function fromColumns([position, streamId, streamRevision, eventId, type, schemaVersion, occurredAt, correlationId, causationId, actor, data]: EventColumns): RecordedEvent {
  return eventUpcasters.upcast({
    position,
    streamId,
    streamRevision,
    eventId,
    type,
    schemaVersion,
    occurredAt,
    correlationId,
    causationId,
    actor: parsedActors.of(actor),
    data: JSON.parse(data),
  });
}
