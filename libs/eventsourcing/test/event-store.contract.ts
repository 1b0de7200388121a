import { randomUUID } from 'crypto';
import { EventStore, EventToAppend, RecordedEvent, WrongExpectedVersionError } from '@lp/eventsourcing';

/**
 * The behaviour every EventStore adapter must have. It relies only on ordering of positions, never
 * on their values, and every test uses its own random stream prefix (and event type prefix), so it
 * also runs against a shared server that already holds other events.
 */
export function eventStoreContract(
  name: string,
  create: () => Promise<{ store: EventStore; cleanup?: () => Promise<void> }>,
  /** Whether the adapter offers the optional appendAtomically (several streams in one commit) and countAll. */
  options: { appendsAtomically: boolean; countsAll: boolean },
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: (() => Promise<void>) | undefined;
    /** Unique per test: stream ids start with it and event types start with `T${prefix}`. */
    let prefix: string;

    beforeEach(async () => {
      ({ store, cleanup } = await create());
      prefix = `c${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    });
    afterEach(async () => {
      if (cleanup) await cleanup();
      else await store.close();
    });

    const streamOf = (kind: string) => `${prefix}${kind}-${randomUUID()}`;
    const typeOf = (name: string) => `T${prefix}${name}`;
    const event = (type: string, data: unknown = {}): EventToAppend => ({
      type: typeOf(type),
      data,
      eventId: randomUUID(),
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { id: 'u-1' },
    });
    const events = (count: number, type = 'Happened') => Array.from({ length: count }, (_, n) => event(type, { n }));

    describe('appendToStream', () => {
      it('creates a stream with no_stream and returns the revision and position of the last event', async () => {
        const streamId = streamOf('order');
        const result = await store.appendToStream(streamId, events(3), { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2);
        const read = await store.readStream(streamId);
        expect(read.map((e) => e.streamRevision)).toEqual([0, 1, 2]);
        expect(result.position).toBe(read[2].position);
        expect(read[0].position).toBeLessThan(read[1].position);
        expect(read[1].position).toBeLessThan(read[2].position);
      });

      it('appends after the given revision', async () => {
        const streamId = streamOf('order');
        const first = await store.appendToStream(streamId, events(2), { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(streamId, events(1), { expectedRevision: first.nextExpectedRevision });
        expect(second.nextExpectedRevision).toBe(2);
        expect(second.position).toBeGreaterThan(first.position);
        await store.appendToStream(streamId, events(1), { expectedRevision: 'stream_exists' });
        await store.appendToStream(streamId, events(1), { expectedRevision: 'any' });
        await store.appendToStream(streamOf('order'), events(1), { expectedRevision: 'any' });
        expect((await store.readStream(streamId)).map((e) => e.streamRevision)).toEqual([0, 1, 2, 3, 4]);
      });

      it.each([
        ['a number on a missing stream', false, 0, 'no_stream'],
        ['stream_exists on a missing stream', false, 'stream_exists', 'no_stream'],
        ['no_stream on an existing stream', true, 'no_stream', 1],
        ['a stale number', true, 0, 1],
        ['a number ahead of the stream', true, 5, 1],
      ] as const)('refuses %s with WrongExpectedVersionError and writes nothing', async (_, exists, expected, actual) => {
        const streamId = streamOf('order');
        if (exists) await store.appendToStream(streamId, events(2), { expectedRevision: 'no_stream' });
        const before = await store.readStream(streamId);

        const error = await store
          .appendToStream(streamId, events(2), { expectedRevision: expected })
          .then(() => undefined, (e: unknown) => e);

        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId, expected, actual });
        expect(await store.readStream(streamId)).toEqual(before);
      });

      it('still checks the revision when appending no events', async () => {
        const streamId = streamOf('order');
        await expect(store.appendToStream(streamId, [], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        await store.appendToStream(streamId, events(2), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(streamId, [], { expectedRevision: 0 })).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        const result = await store.appendToStream(streamId, [], { expectedRevision: 1 });
        expect(result.nextExpectedRevision).toBe(1);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('lets exactly one of two concurrent appends with the same expected revision win', async () => {
        const streamId = streamOf('order');
        await store.appendToStream(streamId, events(1), { expectedRevision: 'no_stream' });
        const [a, b] = [event('A'), event('B')];

        const results = await Promise.allSettled([
          store.appendToStream(streamId, [a], { expectedRevision: 0 }),
          store.appendToStream(streamId, [b], { expectedRevision: 0 }),
        ]);

        const fulfilled = results.filter((r) => r.status === 'fulfilled');
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(WrongExpectedVersionError);
        const read = await store.readStream(streamId);
        expect(read).toHaveLength(2);
        expect([a.eventId, b.eventId]).toContain(read[1].eventId);
      });
    });

    describe('readStream', () => {
      it('reads forwards, backwards, from a revision and at most maxCount', async () => {
        const streamId = streamOf('order');
        await store.appendToStream(streamId, events(5), { expectedRevision: 'no_stream' });
        const revisions = (read: RecordedEvent[]) => read.map((e) => e.streamRevision);

        expect(revisions(await store.readStream(streamId))).toEqual([0, 1, 2, 3, 4]);
        expect((await store.readStream(streamId)).map((e) => e.data)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
        expect(revisions(await store.readStream(streamId, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(revisions(await store.readStream(streamId, { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(revisions(await store.readStream(streamId, { fromRevision: 1, maxCount: 2 }))).toEqual([1, 2]);
        expect(revisions(await store.readStream(streamId, { direction: 'backwards', fromRevision: 3 }))).toEqual([3, 2, 1, 0]);
        expect(revisions(await store.readStream(streamId, { direction: 'backwards', maxCount: 1 }))).toEqual([4]);
      });

      it('returns [] for a stream that does not exist', async () => {
        expect(await store.readStream(streamOf('missing'))).toEqual([]);
      });

      it('round-trips every field of the envelope', async () => {
        const streamId = streamOf('order');
        const written: EventToAppend = {
          type: typeOf('OrderPlaced'),
          data: { lines: [{ sku: 'M365-E3', quantity: 3, unitPrice: '12.50' }], note: 'ünïcødé ✓', none: null },
          eventId: randomUUID(),
          schemaVersion: 2,
          occurredAt: '2026-05-15T01:23:45.000Z',
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: { id: 'u-123', name: 'Staff', resellerId: 'r-direct', roles: ['reseller-admin'] },
        };
        await store.appendToStream(streamId, [event('First'), written], { expectedRevision: 'no_stream' });

        const [read] = await store.readStream(streamId, { fromRevision: 1 });
        const { position, ...envelope } = read;
        expect(envelope).toEqual({ ...written, streamId, streamRevision: 1 });
        expect(typeof position).toBe('number');
        const [viaAll] = await store.readAll({ filter: { eventTypePrefixes: [typeOf('OrderPlaced')] } });
        expect(viaAll).toEqual(read);
      });

      it('keeps each event its own actor when the events of one append share actor objects', async () => {
        const streamId = streamOf('order');
        const staff = { id: 'u-staff', resellerId: 'r-1', roles: ['reseller-admin'] };
        const system = { id: 'system' };
        const actors = [staff, staff, system, staff];
        await store.appendToStream(
          streamId,
          actors.map((actor) => ({ ...event('Happened'), actor })),
          { expectedRevision: 'no_stream' },
        );

        expect((await store.readStream(streamId)).map((read) => read.actor)).toEqual(actors);
      });
    });

    describe('readAll', () => {
      it('reads all streams in global order, after a position, at most maxCount', async () => {
        const order = streamOf('order');
        const customer = streamOf('customer');
        await store.appendToStream(order, [event('A')]);
        await store.appendToStream(customer, [event('B')]);
        await store.appendToStream(order, [event('C'), event('D')]);
        const filter = { streamPrefixes: [prefix] };

        const all = await store.readAll({ filter });
        expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D'].map(typeOf));
        expect(all.map((e) => e.streamId)).toEqual([order, customer, order, order]);
        for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);

        const after = await store.readAll({ filter, fromPosition: all[1].position });
        expect(after.map((e) => e.type)).toEqual(['C', 'D'].map(typeOf));
        const limited = await store.readAll({ filter, fromPosition: all[0].position, maxCount: 2 });
        expect(limited.map((e) => e.type)).toEqual(['B', 'C'].map(typeOf));
      });

      it('filters by stream prefix and by event type prefix', async () => {
        const order = streamOf('order');
        const contract = streamOf('contract');
        await store.appendToStream(order, [event('OrderPlaced'), event('OrderCancelled')]);
        await store.appendToStream(contract, [event('ContractCreated')]);
        await store.appendToStream(streamOf('orderNote'), [event('NoteAdded')]);

        const orders = await store.readAll({ filter: { streamPrefixes: [`${prefix}order-`] } });
        expect(orders.map((e) => e.streamId)).toEqual([order, order]);
        const both = await store.readAll({ filter: { streamPrefixes: [`${prefix}order-`, `${prefix}contract-`] } });
        expect(both.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderCancelled', 'ContractCreated'].map(typeOf));
        const byType = await store.readAll({ filter: { eventTypePrefixes: [typeOf('Order')] } });
        expect(byType.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderCancelled'].map(typeOf));
        const notCaseInsensitive = await store.readAll({ filter: { eventTypePrefixes: [typeOf('order')] } });
        expect(notCaseInsensitive).toEqual([]);
      });
    });

    (options.countsAll ? describe : describe.skip)('countAll (optional: a store that counts without reading)', () => {
      it('counts the events of exactly the given types in a range of positions', async () => {
        expect(store.countAll).toBeDefined();
        const first = await store.appendToStream(streamOf('order'), [event('Placed'), event('PlacedAgain'), event('Cancelled')]);
        const second = await store.appendToStream(streamOf('order'), [event('Placed'), event('Other')]);
        const before = (await store.readAll({ filter: { streamPrefixes: [prefix] } }))[0].position - 1;
        const types = [typeOf('Placed'), typeOf('Cancelled')];
        expect(await store.countAll!({ fromPosition: before, upTo: second.position, eventTypes: types })).toBe(3);
        // After the first append's events, and up to the second's first one.
        const firstOfSecond = (await store.readAll({ filter: { streamPrefixes: [prefix] }, fromPosition: first.position }))[0].position;
        expect(await store.countAll!({ fromPosition: first.position, upTo: firstOfSecond, eventTypes: types })).toBe(1);
        expect(await store.countAll!({ fromPosition: before, upTo: second.position, eventTypes: [] })).toBe(0);
      });
    });

    describe('headPosition', () => {
      it('is the position of the newest event, and moves with every append', async () => {
        const first = await store.appendToStream(streamOf('order'), events(2), { expectedRevision: 'no_stream' });
        expect(await store.headPosition()).toBeGreaterThanOrEqual(first.position);
        const second = await store.appendToStream(streamOf('order'), events(1), { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(second.position);
        expect(head).toBeGreaterThan(first.position);
      });
    });

    describe('readCausedBy', () => {
      it('returns every event with that causation id across streams, in global order, and nothing else', async () => {
        const causationId = randomUUID();
        const caused = (type: string) => ({ ...event(type), causationId });
        const numbers = streamOf('numbers');
        const order = streamOf('order');
        await store.appendToStream(order, events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(numbers, [caused('NumberReserved')], { expectedRevision: 'no_stream' });
        await store.appendToStream(streamOf('other'), events(1));
        await store.appendToStream(order, [caused('Accepted'), caused('Placed')], { expectedRevision: 1 });

        const found = await store.readCausedBy(causationId, { notBefore: new Date(Date.now() - 60_000) });

        expect(found.map((e) => [e.streamId, e.streamRevision, e.type])).toEqual([
          [numbers, 0, typeOf('NumberReserved')],
          [order, 2, typeOf('Accepted')],
          [order, 3, typeOf('Placed')],
        ]);
        expect(found.every((e) => e.causationId === causationId)).toBe(true);
        expect(found[1].position).toBeLessThan(found[2].position);
      });

      it('returns [] when nothing was caused by that id', async () => {
        await store.appendToStream(streamOf('order'), events(2));
        expect(await store.readCausedBy(randomUUID())).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      const collect = () => {
        const received: RecordedEvent[] = [];
        return { received, handler: (e: RecordedEvent) => void received.push(e) };
      };

      it('catches up from the beginning, then delivers live events in order', async () => {
        const streamId = streamOf('order');
        await store.appendToStream(streamId, events(3));
        const { received, handler } = collect();
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } }, handler);

        await subscription.caughtUp();
        expect(received.map((e) => e.streamRevision)).toEqual([0, 1, 2]);
        await store.appendToStream(streamId, events(2));
        await store.appendToStream(streamOf('other'), events(1));
        await subscription.caughtUp();
        expect(received.map((e) => e.type)).toHaveLength(6);
        expect(received.slice(0, 5).map((e) => [e.streamId, e.streamRevision])).toEqual(
          [0, 1, 2, 3, 4].map((revision) => [streamId, revision]),
        );
        for (let i = 1; i < received.length; i++) expect(received[i].position).toBeGreaterThan(received[i - 1].position);
        await subscription.stop();
        await expect(subscription.done).resolves.toBeUndefined();
      });

      it('starts after a checkpoint position (exclusive)', async () => {
        const streamId = streamOf('order');
        await store.appendToStream(streamId, events(3));
        const [, second] = await store.readStream(streamId);
        const { received, handler } = collect();
        const subscription = store.subscribeToAll(
          { fromPosition: second.position, filter: { streamPrefixes: [prefix] } },
          handler,
        );

        await subscription.caughtUp();
        expect(received.map((e) => e.streamRevision)).toEqual([2]);
        await store.appendToStream(streamId, events(1));
        await subscription.caughtUp();
        expect(received.map((e) => e.streamRevision)).toEqual([2, 3]);
        await subscription.stop();
      });

      it('delivers a live event exactly as a read of its stream returns it', async () => {
        const streamId = streamOf('order');
        const { received, handler } = collect();
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } }, handler);
        await subscription.caughtUp();
        const written: EventToAppend = {
          ...event('OrderPlaced', { lines: [{ sku: 'M365-E3', quantity: 3 }], note: 'ünïcødé ✓', none: null }),
          schemaVersion: 2,
          actor: { id: 'u-123', resellerId: 'r-direct', roles: ['reseller-admin'] },
        };
        await store.appendToStream(streamId, [event('First'), written], { expectedRevision: 'no_stream' });
        await subscription.caughtUp();
        await subscription.stop();
        expect(received).toEqual(await store.readStream(streamId));
        expect(received[1]).toMatchObject({ ...written, streamId, streamRevision: 1 });
      });

      it('respects an event type filter', async () => {
        const { received, handler } = collect();
        const subscription = store.subscribeToAll({ filter: { eventTypePrefixes: [typeOf('Order')] } }, handler);
        await store.appendToStream(streamOf('order'), [event('OrderPlaced'), event('Noise'), event('OrderCancelled')]);
        await subscription.caughtUp();
        expect(received.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderCancelled'].map(typeOf));
        await subscription.stop();
      });

      it('stops delivering after stop(), which waits for the running handler', async () => {
        const streamId = streamOf('order');
        let releaseHandler!: () => void;
        const handlerBlocked = new Promise<void>((resolve) => (releaseHandler = resolve));
        let handlerEntered!: () => void;
        const entered = new Promise<void>((resolve) => (handlerEntered = resolve));
        let handlerFinished = false;
        const stopped: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } }, async (e) => {
          stopped.push(e);
          handlerEntered();
          await handlerBlocked;
          handlerFinished = true;
        });
        const witness = collect();
        const running = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } }, witness.handler);

        await store.appendToStream(streamId, events(3));
        await entered;
        const stopping = subscription.stop();
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(handlerFinished).toBe(false);
        releaseHandler();
        await stopping;
        expect(handlerFinished).toBe(true);

        await store.appendToStream(streamId, events(2));
        await running.caughtUp();
        expect(witness.received).toHaveLength(5);
        expect(stopped).toHaveLength(1);
        await running.stop();
      });

      it('rejects done with the handler error and stops delivering', async () => {
        const streamId = streamOf('order');
        await store.appendToStream(streamId, events(3));
        const seen: number[] = [];
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } }, (e) => {
          seen.push(e.streamRevision);
          if (e.streamRevision === 1) throw new Error('handler failed');
        });

        await expect(subscription.done).rejects.toThrow('handler failed');
        await subscription.caughtUp();
        expect(seen).toEqual([0, 1]);
      });
    });

    // An optional capability: where an adapter lacks it (EventStoreDB), callers append one stream after another.
    if (!options.appendsAtomically) {
      it('offers no appendAtomically, so that callers append one stream after another', () => {
        expect(store.appendAtomically).toBeUndefined();
      });
    }
    (options.appendsAtomically ? describe : describe.skip)('appendAtomically', () => {
      const atomic = () => store.appendAtomically!.bind(store);

      it('commits the appends it builds together, each with its own result, seeing the streams as they are', async () => {
        const append = atomic();
        const counter = streamOf('counter');
        const claim = streamOf('claim');
        await store.appendToStream(counter, events(2), { expectedRevision: 'no_stream' });
        const seen: number[] = [];
        const results = await append((context) => {
          seen.push(context.lastRevision(counter), context.lastRevision(claim));
          return [
            { streamId: counter, events: [event('Advanced')], expectedRevision: 1 },
            { streamId: claim, events: events(2, 'Claimed'), expectedRevision: 'no_stream' },
          ];
        });
        expect(seen).toEqual([1, -1]);
        expect(results.map((result) => result.nextExpectedRevision)).toEqual([2, 1]);
        expect(results[0].position).toBeLessThan(results[1].position);
        const claimed = await store.readStream(claim);
        expect(claimed.map((e) => e.type)).toEqual([typeOf('Claimed'), typeOf('Claimed')]);
        expect(claimed[1].position).toBe(results[1].position);
      });

      it('writes nothing when one of its appends fails its expected revision, and names that stream', async () => {
        const append = atomic();
        const first = streamOf('first');
        const taken = streamOf('taken');
        await store.appendToStream(taken, events(1), { expectedRevision: 'no_stream' });
        const beside = streamOf('beside');
        const failure = append(() => [
          { streamId: first, events: events(2), expectedRevision: 'no_stream' },
          { streamId: taken, events: events(1), expectedRevision: 'no_stream' },
        ]);
        // An append made at the same moment (in the embedded store: the same group commit) is not affected.
        const besideAppend = store.appendToStream(beside, events(1), { expectedRevision: 'no_stream' });
        await expect(failure).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await expect(failure).rejects.toMatchObject({ streamId: taken });
        await besideAppend;
        expect(await store.readStream(first)).toEqual([]);
        expect(await store.readStream(taken)).toHaveLength(1);
        expect(await store.readStream(beside)).toHaveLength(1);
      });

      it('writes nothing when building throws, and rejects with what it threw', async () => {
        const append = atomic();
        const untouched = streamOf('untouched');
        await expect(
          append((context) => {
            context.lastRevision(untouched);
            throw new Error('refused while building');
          }),
        ).rejects.toThrow('refused while building');
        expect(await store.readStream(untouched)).toEqual([]);
      });

      it('is delivered to a live subscription in order, with the appends around it', async () => {
        const append = atomic();
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ fromPosition: await store.headPosition(), filter: { eventTypePrefixes: [typeOf('')] } }, (e) => void received.push(e));
        const [a, b, c] = [streamOf('a'), streamOf('b'), streamOf('c')];
        await Promise.all([
          store.appendToStream(a, [event('First')]),
          append(() => [
            { streamId: b, events: [event('Second')] },
            { streamId: c, events: [event('Third')] },
          ]),
          store.appendToStream(a, [event('Fourth')]),
        ]);
        const deadline = Date.now() + 2000;
        while (received.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        await subscription.stop();
        expect(received.map((e) => e.type)).toEqual(['First', 'Second', 'Third', 'Fourth'].map(typeOf));
      });
    });

    describe('upcasting (the platform\'s upcasters, libs/integration-events)', () => {
      it('hands out an event stored at an older schemaVersion at its current one: stream, $all and subscription reads', async () => {
        const streamId = streamOf('order');
        // An OrderPlaced v1 line without its term; v2 lines state it (the annual StreamOne SKU: annual).
        const stored = { ...event('ignored', { lines: [{ sku: 'SN-POCKETALK-SI-Y', billingPolicy: 'stellr-cutoff' }] }), type: 'OrderPlaced', schemaVersion: 1 };
        await store.appendToStream(streamId, [stored]);
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } }, (e) => void received.push(e));
        await subscription.caughtUp();
        await subscription.stop();
        const all = (await store.readAll({ filter: { streamPrefixes: [prefix] } })).filter((e) => e.streamId === streamId);
        for (const [read] of [await store.readStream(streamId), all, received]) {
          expect(read).toMatchObject({ eventId: stored.eventId, type: 'OrderPlaced', schemaVersion: 2, data: { lines: [{ sku: 'SN-POCKETALK-SI-Y', term: 'annual' }] } });
        }
      });
    });
  });
}
