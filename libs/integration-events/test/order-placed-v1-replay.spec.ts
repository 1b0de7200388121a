import { readFileSync } from 'fs';
import { join } from 'path';
import { aggregateStream, CommandHandler, EventEnvelope, EventToAppend, foldEvents, RecordedEvent } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { OrderPlaced, schemaPath, TOPICS } from '@lp/integration-events';
import { toPublishedEnvelope } from '@lp/messaging';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { withPlacement } from '../../../services/contract/src/projections/rows';
import { orderDecider } from '../../../services/order/src/domain/order';
import { OrderEvent } from '../../../services/order/src/domain/order-events';
import { CommittedSchemas } from './support/committed-schemas';

/**
 * OrderPlaced v2 (every line states its term) against a stream written before it: the stored
 * version 1 events replay through the upcaster to the same order, and the contract service's known
 * order gets the terms the lines always had (the annual StreamOne product included).
 */
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/order-stream.v1.json'), 'utf8')) as { streamId: string; events: EventToAppend[] };
const storedPlaced = fixture.events.find((event) => event.type === 'OrderPlaced')!;
const schemas = new CommittedSchemas();

describe('an order stream written with OrderPlaced v1 (fixtures/order-stream.v1.json)', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    await store.appendToStream(fixture.streamId, fixture.events, { expectedRevision: 'no_stream' });
  });
  afterEach(() => store.close());

  it('is version 1 as stored: valid against OrderPlaced.v1.json, not against v2 (its lines lack the term)', () => {
    expect(schemas.errors(schemaPath({ topic: TOPICS.order, type: 'OrderPlaced' }, 1), storedPlaced.data)).toEqual([]);
    expect(schemas.errors(schemaPath({ topic: TOPICS.order, type: 'OrderPlaced' }, 2), storedPlaced.data)).toContain("/lines/0 must have required property 'term'");
  });

  it('reads as version 2 from the stream, from $all and from a subscription, each line with its term', async () => {
    const subscribed: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({}, (event) => void subscribed.push(event));
    await subscription.caughtUp();
    await subscription.stop();
    for (const events of [await store.readStream(fixture.streamId), await store.readAll(), subscribed]) {
      const placed = events.find((event) => event.type === 'OrderPlaced') as RecordedEvent<OrderPlaced>;
      expect(placed.schemaVersion).toBe(2);
      expect(placed.data.lines.map((line) => [line.sku, line.term])).toEqual([
        ['MS-O365-E1', 'monthly'],
        ['SN-POCKETALK-SI-Y', 'annual'],
      ]);
      expect(schemas.errors(schemaPath({ topic: TOPICS.order, type: 'OrderPlaced' }, 2), placed.data)).toEqual([]);
      // Every other event is handed out as stored.
      expect(events.filter((event) => event.type !== 'OrderPlaced').map((event) => event.schemaVersion)).toEqual([1, 1, 1]);
    }
  });

  it('replays to the same order as the events as they were written', async () => {
    const asWritten = foldEvents(orderDecider, fixture.events as unknown as OrderEvent[]);
    const { state, revision } = await aggregateStream(store, fixture.streamId, orderDecider);
    expect(state).toEqual(asWritten);
    expect(state).toMatchObject({ status: 'PARTIALLY_PLACED', lines: [{ placementStatus: 'PLACED' }, { placementStatus: 'PLACED' }, { placementStatus: 'UNPLACED' }] });
    expect(revision).toBe(3);
  });

  it('places its last line as OrderPlaced v2, the term derived for a line created before terms travelled', async () => {
    const { events } = await new CommandHandler(store, orderDecider).handle(
      fixture.streamId,
      { type: 'PlaceOrder', placedOn: '2026-05-20', customerTenants: [{ tenantId: 'tn-3c4d', customerId: 'c-7f1e', mcaAccepted: true }] },
      { actor: { id: 'u-1', resellerId: 'r-direct' }, correlationId: 'req-2', causationId: 'req-2', now: new Date('2026-05-20T01:00:00Z') },
    );
    expect(events.map((event) => [event.type, event.schemaVersion])).toEqual([['OrderPlaced', 2]]);
    const placed = events[0] as RecordedEvent<OrderPlaced>;
    expect(placed.data.lines).toEqual([expect.objectContaining({ sku: 'MS-WINSRV-2022-STD', term: 'one-time', tenantId: 'tn-3c4d' })]);
    expect(schemas.problemsOf(TOPICS.order, toPublishedEnvelope(placed))).toEqual([]);
  });

  it('reaches a bus subscriber as version 2: the contract service knows the same order, now with each line’s term', async () => {
    const bus = new InProcessEventBus({ filename: ':memory:' });
    try {
      const published = { ...storedPlaced, streamId: fixture.streamId, streamRevision: 3 } as EventEnvelope;
      await bus.publish(TOPICS.order, [published]);
      const received: EventEnvelope[] = [];
      const subscription = await bus.subscribe({ groupId: 'contract-known-orders', topics: [TOPICS.order], handler: async (event) => void received.push(event) });
      await subscription.caughtUp();
      await subscription.stop();

      const [event] = received as EventEnvelope<OrderPlaced>[];
      expect(event.schemaVersion).toBe(2);
      const known = withPlacement(undefined, event.data);
      const knownFromV1 = withPlacement(undefined, storedPlaced.data as OrderPlaced['data']);
      expect(known.placedLines.map(({ term, ...line }) => line)).toEqual(knownFromV1.placedLines);
      expect({ ...known, placedLines: [] }).toEqual({ ...knownFromV1, placedLines: [] });
      expect(known.placedLines.map((line) => line.term)).toEqual(['monthly', 'annual']);
    } finally {
      await bus.close();
    }
  });
});
