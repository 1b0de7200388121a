import { CommandContext, withMetadata, WrongExpectedVersionError } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { LineReservations } from '../../src/application/line-reservations.store';
import { contractStreamId } from '../../src/domain/contract';
import { contractLinesStreamId } from '../../src/domain/line-reservations';

const GRACE_MS = 60_000;
const context = (now: Date): CommandContext => ({ actor: { id: 'u-1' }, correlationId: 'c', causationId: 'c', now });
const request = (contractId: string, lineIds: string[]) => ({ contractId, orderId: 'o-1', lineIds });

describe('LineReservations on an event store', () => {
  let store: SqliteEventStore;
  let reservations: LineReservations;
  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
    reservations = new LineReservations(store, GRACE_MS);
  });
  afterEach(() => store.close());

  const t0 = new Date('2026-05-20T00:00:00.000Z');
  const later = new Date(t0.getTime() + GRACE_MS + 1);

  it('lets one of two concurrent reservations of a line win; the loser re-reads and is refused', async () => {
    const results = await Promise.allSettled([
      reservations.reserve(request('k-1', ['l-1']), context(t0)),
      reservations.reserve(request('k-2', ['l-1', 'l-2']), context(t0)),
      reservations.reserve(request('k-3', ['l-3']), context(t0)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'LINE_ALREADY_CONTRACTED' });
    const { held } = await reservations.held('o-1');
    expect(held.map((reservation) => reservation.contractId)).toEqual(['k-1', 'k-3']);
  });

  it('after a crash (reserved, no contract), frees the lines once the grace period is over, and a late creator can no longer append its contract', async () => {
    await reservations.reserve(request('k-crashed', ['l-1']), context(t0));
    await expect(reservations.reserve(request('k-2', ['l-1']), context(new Date(t0.getTime() + 1000)))).rejects.toMatchObject({ code: 'LINE_ALREADY_CONTRACTED' });

    await reservations.reserve(request('k-2', ['l-1']), context(later));
    expect((await reservations.held('o-1')).held.map((reservation) => reservation.contractId)).toEqual(['k-2']);
    const created = withMetadata([{ type: 'ContractCreated', data: { contractId: 'k-crashed' } }], context(later));
    await expect(store.appendToStream(contractStreamId('k-crashed'), created, { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('never frees the lines of a contract that was created, however old its reservation', async () => {
    await reservations.reserve(request('k-1', ['l-1']), context(t0));
    await store.appendToStream(contractStreamId('k-1'), withMetadata([{ type: 'ContractCreated', data: { contractId: 'k-1' } }], context(t0)), {
      expectedRevision: 'no_stream',
    });
    await expect(reservations.reserve(request('k-2', ['l-1']), context(later))).rejects.toMatchObject({ code: 'LINE_ALREADY_CONTRACTED' });
  });

  it('releases the lines of a refused contract, and the release is on record', async () => {
    await reservations.reserve(request('k-1', ['l-1']), context(t0));
    await reservations.release(request('k-1', ['l-1']), context(t0));
    await reservations.reserve(request('k-2', ['l-1']), context(t0));
    const types = (await store.readStream(contractLinesStreamId('o-1'))).map((event) => event.type);
    expect(types).toEqual(['ContractLinesReserved', 'ContractLinesReleased', 'ContractLinesReserved']);
  });
});
