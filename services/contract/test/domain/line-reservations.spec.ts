import {
  contractLinesStreamId,
  heldReservations,
  LineReservationEvent,
  releaseRefused,
  reservedLineIds,
  reserveLines,
  staleCandidates,
} from '../../src/domain/line-reservations';

const at = (occurredAt: string) => (event: LineReservationEvent) => ({ ...event, occurredAt });
const reserved = (contractId: string, lineIds: string[], occurredAt = '2026-05-20T00:00:00.000Z') =>
  at(occurredAt)({ type: 'ContractLinesReserved', data: { contractId, orderId: 'o-1', lineIds } });
const released = (contractId: string, lineIds: string[]) =>
  at('2026-05-20T01:00:00.000Z')({ type: 'ContractLinesReleased', data: { contractId, orderId: 'o-1', lineIds, reason: 'CONTRACT_REFUSED' } });

describe('line reservations (a line in at most one contract)', () => {
  it('keeps all reservations of one order in contractLines-<orderId>, outside the forwarded prefix contract-', () => {
    expect(contractLinesStreamId('o-1')).toBe('contractLines-o-1');
    expect(contractLinesStreamId('o-1').startsWith('contract-')).toBe(false);
  });

  it('folds reservations and releases into the reservations still held', () => {
    const held = heldReservations([reserved('k-1', ['l-1']), reserved('k-2', ['l-2', 'l-3']), released('k-1', ['l-1'])]);
    expect(held).toEqual([{ contractId: 'k-2', lineIds: ['l-2', 'l-3'], reservedAt: '2026-05-20T00:00:00.000Z' }]);
    expect(reservedLineIds(held)).toEqual(['l-2', 'l-3']);
  });

  it('reserves free lines', () => {
    const held = heldReservations([reserved('k-1', ['l-1'])]);
    expect(reserveLines(held, { contractId: 'k-2', orderId: 'o-1', lineIds: ['l-2'] })).toEqual([
      { type: 'ContractLinesReserved', data: { contractId: 'k-2', orderId: 'o-1', lineIds: ['l-2'] } },
    ]);
  });

  it('refuses a line another contract holds: 422 LINE_ALREADY_CONTRACTED naming it', () => {
    const held = heldReservations([reserved('k-1', ['l-1', 'l-2'])]);
    expect(() => reserveLines(held, { contractId: 'k-2', orderId: 'o-1', lineIds: ['l-3', 'l-2'] })).toThrow(
      expect.objectContaining({ kind: 'rule', code: 'LINE_ALREADY_CONTRACTED', message: expect.stringContaining('l-2') }),
    );
  });

  it('releases an abandoned reservation in the same append that reserves its lines again', () => {
    const held = heldReservations([reserved('k-crashed', ['l-1', 'l-2'])]);
    expect(reserveLines(held, { contractId: 'k-2', orderId: 'o-1', lineIds: ['l-1'] }, ['k-crashed'])).toEqual([
      { type: 'ContractLinesReleased', data: { contractId: 'k-crashed', orderId: 'o-1', lineIds: ['l-1', 'l-2'], reason: 'CONTRACT_NEVER_CREATED' } },
      { type: 'ContractLinesReserved', data: { contractId: 'k-2', orderId: 'o-1', lineIds: ['l-1'] } },
    ]);
  });

  it('offers for release only reservations in the way that are older than the grace period', () => {
    const held = heldReservations([
      reserved('old-in-the-way', ['l-1'], '2026-05-20T00:00:00.000Z'),
      reserved('old-elsewhere', ['l-9'], '2026-05-20T00:00:00.000Z'),
      reserved('fresh-in-the-way', ['l-2'], '2026-05-20T00:00:50.000Z'),
    ]);
    const now = new Date('2026-05-20T00:01:00.000Z');
    expect(staleCandidates(held, ['l-1', 'l-2'], now, 60_000).map((reservation) => reservation.contractId)).toEqual(['old-in-the-way']);
    expect(staleCandidates(held, ['l-1', 'l-2'], now, 5_000).map((reservation) => reservation.contractId)).toEqual(['old-in-the-way', 'fresh-in-the-way']);
  });

  it('gives back the lines of a refused contract', () => {
    expect(releaseRefused({ contractId: 'k-1', orderId: 'o-1', lineIds: ['l-1'] })).toEqual({
      type: 'ContractLinesReleased',
      data: { contractId: 'k-1', orderId: 'o-1', lineIds: ['l-1'], reason: 'CONTRACT_REFUSED' },
    });
    expect(heldReservations([reserved('k-1', ['l-1']), at('t')(releaseRefused({ contractId: 'k-1', orderId: 'o-1', lineIds: ['l-1'] }))])).toEqual([]);
  });
});
