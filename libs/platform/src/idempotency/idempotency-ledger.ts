import { randomUUID } from 'crypto';
import { Logger } from '@nestjs/common';
import {
  Actor,
  conflict,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ruleViolation,
  WrongExpectedVersionError,
} from '@lp/eventsourcing';
import { IdempotencyEvent, idempotencyState, RecordedResponse } from './idempotency-events';

/** Who and why, stamped on the idempotency records like on any other event. */
export interface LedgerContext {
  actor: Actor;
  correlationId: string;
  causationId: string;
  now: Date;
}

export type BeginResult = { kind: 'run'; revision: number } | { kind: 'replay'; response: RecordedResponse };

// Two attempts to claim a released key are plenty: a lost race means someone else now runs it.
const MAX_CLAIM_ATTEMPTS = 3;

/**
 * Keeps one stream per idempotency scope. Claiming the key is an append with an expected revision,
 * so of two concurrent requests with one key exactly one runs: the store arbitrates the race.
 */
export class IdempotencyLedger {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly store: EventStore) {}

  async begin(streamId: string, fingerprint: string, context: LedgerContext): Promise<BeginResult> {
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const state = idempotencyState(await this.store.readStream(streamId));
      if (state.kind === 'unused' || state.kind === 'released') {
        const expected: ExpectedRevision = state.kind === 'unused' ? 'no_stream' : state.revision;
        try {
          const result = await this.append(streamId, { type: 'IdempotentRequestStarted', data: { fingerprint } }, expected, context);
          return { kind: 'run', revision: result };
        } catch (error) {
          if (error instanceof WrongExpectedVersionError) continue; // someone claimed it first: look again
          throw error;
        }
      }
      if (state.fingerprint !== fingerprint) {
        throw ruleViolation('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body');
      }
      if (state.kind === 'in-progress') {
        throw conflict('REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry later');
      }
      return { kind: 'replay', response: state.response };
    }
    throw conflict('REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry later');
  }

  /** The answer (success or 4xx problem) becomes the key's permanent result. */
  async complete(streamId: string, revision: number, response: RecordedResponse, context: LedgerContext): Promise<void> {
    await this.finish(streamId, revision, { type: 'IdempotentRequestCompleted', data: response }, context);
  }

  /** A 5xx: the key is freed so the client may retry it. */
  async release(streamId: string, revision: number, status: number, context: LedgerContext): Promise<void> {
    await this.finish(streamId, revision, { type: 'IdempotentRequestReleased', data: { status } }, context);
  }

  private async finish(streamId: string, revision: number, event: IdempotencyEvent, context: LedgerContext): Promise<void> {
    try {
      await this.append(streamId, event, revision, context);
    } catch (error) {
      // The client still gets its answer; the key stays "in progress" and repeats get 409.
      this.logger.error(`Could not record ${event.type} on ${streamId}: ${(error as Error).stack ?? String(error)}`);
    }
  }

  private async append(
    streamId: string,
    event: IdempotencyEvent,
    expectedRevision: ExpectedRevision,
    context: LedgerContext,
  ): Promise<number> {
    const toAppend: EventToAppend = {
      ...event,
      eventId: randomUUID(),
      schemaVersion: 1,
      occurredAt: context.now.toISOString(),
      correlationId: context.correlationId,
      causationId: context.causationId,
      actor: context.actor,
    };
    const result = await this.store.appendToStream(streamId, [toAppend], { expectedRevision });
    return result.nextExpectedRevision;
  }
}
