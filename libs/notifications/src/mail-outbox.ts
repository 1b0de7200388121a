import { Logger } from '@nestjs/common';
import { CheckpointStore, EventFilter, EventStore, EventToAppend, RecordedEvent, WrongExpectedVersionError, newId } from '@lp/eventsourcing';
import { BackgroundWorker, StoreReactor } from '@lp/runtime';
import { MailMessage, Mailer } from './mailer';
import { MailRejectedError } from './smtp-mailer';

export const NOTICE_MAIL_SENT = 'NoticeMailSent';
/** The server refused the mail for good (e.g. unknown mailbox); it is not tried again. */
export const NOTICE_MAIL_REJECTED = 'NoticeMailRejected';

export interface NoticeMailSentData {
  /** The event that asked for the mail. */
  eventId: string;
  messageId: string;
  to: string;
  sentAt: string;
}

export interface NoticeMailRejectedData {
  eventId: string;
  messageId: string;
  to: string;
  responseCode: number;
  reason: string;
  rejectedAt: string;
}

/** Where the outcome of the mail for one event is recorded: one stream per event, at most one entry. */
export const mailSentStreamId = (eventId: string) => `mailSent-${eventId}`;

export interface MailOutboxOptions {
  /** Checkpoint id and logger name, e.g. 'provisioning.notice-mail'. */
  name: string;
  /** The store the triggering events are committed to; the send records go there too. */
  store: EventStore;
  checkpoints: CheckpointStore;
  filter: EventFilter;
  eventTypes: string[];
  mailer: Mailer;
  /** The mail an event asks for, or null for none. Must give the same mail (and messageId) every time for the same event. */
  compose: (event: RecordedEvent) => MailMessage | null | Promise<MailMessage | null>;
  /** Waits between tries while sending fails; the last repeats (default 100 ms … 5 s). */
  retryDelaysMs?: number[];
  now?: () => Date;
}

/**
 * Sends the notice mails that committed events ask for, without losing or (in the normal case)
 * repeating one. The event in the store IS the outbox entry: it was committed atomically with the
 * state change, so no mail can be lost to a crash between "decide" and "send". A StoreReactor hands
 * the events over one at a time, its checkpoint moving only past handled ones; for each event the
 * outbox sends the mail and then appends `NoticeMailSent` to `mailSent-<eventId>` (expected
 * revision no_stream), and skips events whose stream already has it. A send that fails is retried
 * with back-off; a mail the server refuses for good (5xx for the recipient or content) is recorded
 * as `NoticeMailRejected` so one bad address cannot hold up every later notice.
 *
 * Exactly once is impossible over SMTP: if the process dies after the server accepted a mail but
 * before the record is written, the mail is sent again on restart (at least once). It is the same
 * mail with the same Message-ID, which mail systems and clients use to drop the duplicate. Two
 * outboxes on the same store can likewise both send before one records; run one per service.
 */
export class MailOutbox implements BackgroundWorker {
  private readonly reactor: StoreReactor;
  private readonly logger: Logger;
  private readonly now: () => Date;
  /** Mails sent whose record could not be written yet: a retry only writes the record, it does not send again. */
  private readonly unrecorded = new Map<string, EventToAppend>();

  constructor(private readonly options: MailOutboxOptions) {
    this.logger = new Logger(options.name);
    this.now = options.now ?? (() => new Date());
    this.reactor = new StoreReactor({
      name: options.name,
      store: options.store,
      checkpoints: options.checkpoints,
      filter: options.filter,
      eventTypes: options.eventTypes,
      retryDelaysMs: options.retryDelaysMs,
      handle: (event) => this.handle(event),
    });
  }

  get name(): string {
    return this.options.name;
  }

  start(): Promise<void> {
    return this.reactor.start();
  }

  caughtUp(): Promise<void> {
    return this.reactor.caughtUp();
  }

  stop(): Promise<void> {
    return this.reactor.stop();
  }

  private async handle(event: RecordedEvent): Promise<void> {
    const streamId = mailSentStreamId(event.eventId);
    let record = this.unrecorded.get(event.eventId);
    if (!record) {
      const message = await this.options.compose(event);
      if (!message) return;
      const [outcome] = await this.options.store.readStream(streamId, { maxCount: 1 });
      if (outcome) return; // sent (or refused) before a restart, or by another replica
      record = await this.sendMail(event, message);
      this.unrecorded.set(event.eventId, record);
    }
    try {
      await this.options.store.appendToStream(streamId, [record], { expectedRevision: 'no_stream' });
    } catch (error) {
      // Someone else recorded this event's mail first (another replica): it has been handled.
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    this.unrecorded.delete(event.eventId);
  }

  /** Sends and returns the record to append; throws (→ retried) unless the server refused for good. */
  private async sendMail(event: RecordedEvent, message: MailMessage): Promise<EventToAppend> {
    const { eventId } = event;
    const { messageId, to } = message;
    try {
      await this.options.mailer.send(message);
    } catch (error) {
      if (!(error instanceof MailRejectedError)) throw error;
      this.logger.error(`notice ${messageId} to ${to} refused for good (${error.responseCode}), not retried: ${error.message}`);
      const data: NoticeMailRejectedData = { eventId, messageId, to, responseCode: error.responseCode, reason: error.message, rejectedAt: this.now().toISOString() };
      return this.recordOf(event, NOTICE_MAIL_REJECTED, data);
    }
    this.logger.log(`notice ${messageId} sent to ${to} via ${this.options.mailer.description}`);
    const data: NoticeMailSentData = { eventId, messageId, to, sentAt: this.now().toISOString() };
    return this.recordOf(event, NOTICE_MAIL_SENT, data);
  }

  private recordOf(event: RecordedEvent, type: string, data: NoticeMailSentData | NoticeMailRejectedData): EventToAppend {
    return {
      type,
      data,
      eventId: newId(),
      schemaVersion: 1,
      occurredAt: this.now().toISOString(),
      correlationId: event.correlationId,
      causationId: event.eventId,
      actor: { id: `system:${this.options.name}`, name: 'notice mail outbox' },
    };
  }
}
