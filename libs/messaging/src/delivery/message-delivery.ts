import { EventEnvelope, RetryAbortedError, RetryPolicy } from '@lp/eventsourcing';
import { Delivery, MessageHandler } from '../event-bus';
import { meantForAnotherGroup, REDRIVE_GROUP_HEADER } from '../message-headers';
import { SubscriptionStatus } from '../status/subscription-status';
import { ParkedKeys } from './parked-keys';

/** Why and after what a message was parked: what the dead letter records. */
export interface ParkedBecause {
  error: unknown;
  /** Tries of the handler (0 when it waited behind an earlier parked message of its key). */
  attempts: number;
  firstFailedAt: string;
}

/** Where a consumer group parked a message and after how many tries: what either bus keeps with a dead letter. */
export interface ParkedBy {
  groupId: string;
  topic: string;
  partition: number;
  offset: number;
  attempts: number;
  /** When the first try failed (the parking time is the last failure). */
  firstFailedAt?: string;
}

/** One message as a bus adapter hands it over: decoding happens inside, so an undecodable value is poison too. */
export interface IncomingMessage {
  key: string;
  delivery: Delivery;
  decode(): EventEnvelope;
  /** Puts it on `<topic>.dlq` with the reason (the adapter's own format). */
  park(because: ParkedBecause): Promise<void>;
}

export interface MessageDeliveryOptions {
  groupId: string;
  handler: MessageHandler;
  policy: RetryPolicy;
  parkedKeys: ParkedKeys;
  status?: SubscriptionStatus;
  /** Called before every further try (Kafka: keeps the group membership through long back-offs). */
  beforeRetry?: () => Promise<void>;
}

/** A message of a key with a parked one is parked behind it with this reason. */
export class WaitingBehindParkedError extends Error {
  constructor(key: string) {
    super(`Parked behind an earlier parked message of key ${key} (handled in order once that one is re-driven or discarded)`);
    this.name = 'WaitingBehindParkedError';
  }
}

/**
 * What a consumer group does with one message, whichever bus delivered it: skip a re-drive meant
 * for another group; park it behind an earlier parked message of its key; else hand it to the
 * handler under the shared retry policy — an outage (isTransient) is retried for ever and never
 * parks, any other failure gets the short poison budget and is then parked. Resolves true once the
 * message is done with (handled, skipped or parked: the offset may move on), false when the
 * subscription stopped first (leave it uncommitted: it is delivered again).
 */
export class MessageDelivery {
  private readonly abort = new AbortController();

  constructor(private readonly options: MessageDeliveryOptions) {}

  stop(): void {
    this.abort.abort();
  }

  async deliver(message: IncomingMessage): Promise<boolean> {
    const { groupId, handler, parkedKeys, status } = this.options;
    const { delivery, key } = message;
    if (meantForAnotherGroup(delivery.headers, groupId)) return true;
    const where = `${delivery.topic}:${delivery.partition}@${delivery.offset}`;
    // A re-drive for this group is the parked message itself coming back: it goes first, not behind.
    const redrive = delivery.headers?.[REDRIVE_GROUP_HEADER] === groupId;
    try {
      if (!redrive && (await this.whileInfrastructureFails(() => parkedKeys.mustWait(delivery.topic, key), `checking parked messages of ${key}`))) {
        const because = { error: new WaitingBehindParkedError(key), attempts: 0, firstFailedAt: new Date().toISOString() };
        await this.park(message, because, where);
        return true;
      }
      let attempts = 0;
      let firstFailedAt: string | undefined;
      try {
        await this.options.policy.run(
          async (attempt) => {
            attempts = attempt;
            if (attempt > 1) await this.options.beforeRetry?.();
            await handler(message.decode(), delivery);
          },
          {
            signal: this.abort.signal,
            onRetry: (error, attempt) => {
              firstFailedAt ??= new Date().toISOString();
              status?.retrying(error, attempt, where);
            },
          },
        );
        return true;
      } catch (error) {
        if (error instanceof RetryAbortedError) throw error;
        await this.park(message, { error, attempts, firstFailedAt: firstFailedAt ?? new Date().toISOString() }, where);
        return true;
      }
    } catch (error) {
      if (error instanceof RetryAbortedError) return false;
      throw error;
    }
  }

  private async park(message: IncomingMessage, because: ParkedBecause, where: string): Promise<void> {
    // Parking writes to the bus, which may itself be away: that is retried like any outage.
    await this.whileInfrastructureFails(() => message.park(because), `parking ${where}`);
    this.options.parkedKeys.add(message.delivery.topic, message.key);
    this.options.status?.parked(because.error, where);
  }

  private whileInfrastructureFails<T>(work: () => Promise<T>, what: string): Promise<T> {
    return this.options.policy.withPoisonDelays([]).run(work, {
      signal: this.abort.signal,
      onRetry: (error, attempt) => this.options.status?.retrying(error, attempt, what),
    });
  }
}
