import { aggregateIdOf, EventStore, RecordedEvent } from '@lp/eventsourcing';
import { RecordedResponse } from './idempotency-events';
import { DeadAttempt } from './idempotency-ledger';
import { IDEMPOTENT_RECOVERED_HEADER } from './idempotency.tokens';

/**
 * Streams that do not say a request took effect: the keys' own records, and DocumentNumbers'
 * sequence and reservation streams (`<document>NumberSequence`, `<document>Number-<number>`), which
 * a request writes before its command. A number reserved by a request that then died stays unused,
 * as after any refused request.
 */
const NOT_AN_OUTCOME = /^(idempotency-|[a-z][A-Za-z]*Number(Sequence$|-))/;

/**
 * What a request that died had committed, found through its request id (the causationId of its
 * events), and the answer its retry gets. The original response was never recorded, and rebuilding
 * it would need the handler's read-after-write with ids it chose at random, so the retry gets what a
 * client needs to carry on: the route's success status and `{ id }` of the resource it created (or,
 * for an action on an existing resource, of that resource), marked `Idempotent-Recovered: true`.
 * undefined when it committed nothing: then the retry runs afresh.
 */
export async function committedOutcome(
  stores: readonly EventStore[],
  attempt: DeadAttempt,
  successStatus: number,
): Promise<RecordedResponse | undefined> {
  const caused = await Promise.all(stores.map((store) => store.readCausedBy(attempt.requestId, { notBefore: attempt.claimedAt })));
  const outcome = caused.flat().filter((event) => !NOT_AN_OUTCOME.test(event.streamId));
  if (outcome.length === 0) return undefined;
  const headers = { [IDEMPOTENT_RECOVERED_HEADER]: 'true' };
  if (successStatus === 204) return { status: 204, body: null, headers };
  return { status: successStatus, body: { id: aggregateIdOf(resourceStream(outcome)) }, headers };
}

/** The stream the request created, else the first one it appended to. */
function resourceStream(events: RecordedEvent[]): string {
  return (events.find((event) => event.streamRevision === 0) ?? events[0]).streamId;
}
