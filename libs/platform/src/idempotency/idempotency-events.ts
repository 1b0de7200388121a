import { RecordedEvent } from '@lp/eventsourcing';

/** The answer served for a key, replayed verbatim to repeats. */
export interface RecordedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type IdempotencyEvent =
  | { type: 'IdempotentRequestStarted'; data: { fingerprint: string } }
  | { type: 'IdempotentRequestCompleted'; data: RecordedResponse }
  | { type: 'IdempotentRequestReleased'; data: { status: number } };

/** Where a key stands, folded from its stream. */
export type IdempotencyState =
  | { kind: 'unused' }
  | { kind: 'in-progress'; fingerprint: string; revision: number }
  | { kind: 'completed'; fingerprint: string; response: RecordedResponse; revision: number }
  /** The first attempt failed with a 5xx and changed nothing that counts: the key may be used again. */
  | { kind: 'released'; revision: number };

export function idempotencyState(events: RecordedEvent[]): IdempotencyState {
  let state: IdempotencyState = { kind: 'unused' };
  for (const event of events as unknown as (IdempotencyEvent & { streamRevision: number })[]) {
    const revision = event.streamRevision;
    switch (event.type) {
      case 'IdempotentRequestStarted':
        state = { kind: 'in-progress', fingerprint: event.data.fingerprint, revision };
        break;
      case 'IdempotentRequestCompleted':
        state = { kind: 'completed', fingerprint: state.kind === 'in-progress' ? state.fingerprint : '', response: event.data, revision };
        break;
      case 'IdempotentRequestReleased':
        state = { kind: 'released', revision };
        break;
    }
  }
  return state;
}
