import Database from 'better-sqlite3';
import { EventEnvelope } from '@lp/eventsourcing';
import type { DeadLetter, InProcessEventBus } from '../in-process/in-process-event-bus';
import { MessageHeaders } from '../message-headers';
import { DeadLetterOutcome, DeadLetterStore, ParkedRecord } from './dead-letters';

interface DlqRow {
  topic: string;
  partition: number;
  offset: number;
  payload: string;
  error: string;
  published_at: string;
  headers: string | null;
}

/**
 * Dead letters of the in-process bus: the bus parks them in `<topic>.dlq` in its SQLite log (with
 * the reason in the `error` column); what ops decided about each is a table beside them in the same file.
 */
export class InProcessDeadLetters extends DeadLetterStore {
  private readonly db: Database.Database;

  constructor(private readonly bus: InProcessEventBus) {
    super();
    this.db = bus.database;
    this.db.exec(`CREATE TABLE IF NOT EXISTS bus_dead_letter_outcomes (
      id TEXT PRIMARY KEY, status TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, reason TEXT)`);
  }

  protected async parked(): Promise<ParkedRecord[]> {
    const rows = this.db
      .prepare<[], DlqRow>(
        `SELECT topic, partition, offset, payload, error, published_at, headers FROM bus_messages
         WHERE topic LIKE '%.dlq' ORDER BY topic, partition, offset`,
      )
      .all();
    return rows.map((row) => {
      const error = JSON.parse(row.error) as DeadLetter['error'];
      return {
        dlqTopic: row.topic,
        partition: row.partition,
        offset: row.offset,
        event: JSON.parse(row.payload) as EventEnvelope,
        ...(row.headers && { headers: JSON.parse(row.headers) as MessageHeaders }),
        error: error.message,
        stack: error.stack,
        groupId: error.groupId,
        topic: error.topic,
        attempts: error.attempts,
        firstFailedAt: error.firstFailedAt,
        parkedAt: row.published_at,
      };
    });
  }

  protected async outcomes(): Promise<Map<string, DeadLetterOutcome>> {
    const rows = this.db
      .prepare<[], DeadLetterOutcome & { reason: string | null }>('SELECT id, status, at, by, reason FROM bus_dead_letter_outcomes')
      .all();
    return new Map(rows.map((row) => [row.id, { ...row, reason: row.reason ?? undefined }]));
  }

  protected async record(outcomes: DeadLetterOutcome[]): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO bus_dead_letter_outcomes (id, status, at, by, reason) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, at = excluded.at, by = excluded.by, reason = excluded.reason`,
    );
    this.db.transaction(() => {
      for (const outcome of outcomes) insert.run(outcome.id, outcome.status, outcome.at, outcome.by, outcome.reason ?? null);
    })();
  }

  protected async republish(topic: string, event: EventEnvelope, headers: MessageHeaders): Promise<void> {
    await this.bus.publish(topic, [event], { headers });
  }
}
