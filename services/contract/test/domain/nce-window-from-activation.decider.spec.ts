import { DeciderSpecification } from '@lp/testing';
import { contractCommandForOutcome } from '../../src/domain/change-outcome';
import { ApplyQuantityChange, contractDecider, ContractEvent, ConfirmLines } from '../../src/domain/contract';
import { CONTRACT_ID, changeLine, created, E1, lineOf, openChange, opened, reference, subscriptionOf, NCE_LINE } from './change-fixtures';

const given = DeciderSpecification.for(contractDecider);

/** Microsoft 365 Business Premium (NCE) × 5: activated at the vendor on 12-09, the contract back-dated to start 11-08. */
const NCE = NCE_LINE;
const ACTIVATED_ON = '2026-12-09';
const BACK_DATED_START = '2026-11-08';

const confirm = (activatedOn?: string, startDate = BACK_DATED_START): ConfirmLines => ({
  type: 'ConfirmLines',
  startDate,
  confirmedOn: '2026-12-10',
  subscriptions: [{ subscriptionId: subscriptionOf(NCE), orderLineId: NCE.orderLineId, status: 'ACTIVE', ...(activatedOn ? { activatedOn } : {}) }],
});
const windowConfirmed = (events: ContractEvent[]) => {
  const [event] = events;
  return event.type === 'ContractConfirmed' ? event.data.lines.map((line) => ({ startDate: line.startDate, until: line.cancellationAllowedUntil })) : [];
};
const cancel = (requestedOn: string) => openChange({ changeId: 'ch-c', lines: [{ lineId: NCE.lineId, quantity: 5 }], requestedOn });

describe('contract decider: a new-commerce window counts from the vendor activation, not the contract start', () => {
  it('given a back-dated start (11-08) and an activation on 12-09, when confirmed, then the line is charged from 11-08 and cancellable until 12-16', () => {
    const events = given([created([NCE])]).when(confirm(ACTIVATED_ON)).events();
    expect(windowConfirmed(events)).toEqual([{ startDate: BACK_DATED_START, until: '2026-12-16' }]);
  });

  it('given a start after the activation, the window still counts from the activation', () => {
    const events = given([created([NCE])]).when(confirm(ACTIVATED_ON, '2027-01-10')).events();
    expect(windowConfirmed(events)).toEqual([{ startDate: '2027-01-10', until: '2026-12-16' }]);
  });

  it('given an activation the contract service never learned, the start date stands in', () => {
    const events = given([created([NCE])]).when(confirm(undefined)).events();
    expect(windowConfirmed(events)).toEqual([{ startDate: BACK_DATED_START, until: '2026-11-15' }]);
  });

  describe('once confirmed that way', () => {
    const confirmedLine = (): ContractEvent[] => {
      const history: ContractEvent[] = [created([NCE])];
      return [...history, ...given(history).when(confirm(ACTIVATED_ON)).events()];
    };

    it('a cancellation on day 6 after the activation (12-15) is allowed, though 37 days after the start', () => {
      given(confirmedLine())
        .when(cancel('2026-12-15'))
        .then([opened([changeLine(NCE, 5, 0)], { changeId: 'ch-c', requestedOn: '2026-12-15' })]);
    });

    it('on its last day (12-16) too; on day 8 (12-17) it is refused with CANCELLATION_WINDOW_CLOSED', () => {
      given(confirmedLine()).when(cancel('2026-12-16')).thenState((state) => expect(lineOf(state, NCE.lineId).openChangeId).toBe('ch-c'));
      given(confirmedLine()).when(cancel('2026-12-17')).thenThrows({ kind: 'rule', code: 'CANCELLATION_WINDOW_CLOSED' });
    });

    it('a reduction follows the same window', () => {
      given(confirmedLine())
        .when(openChange({ changeType: 'CHANGE', lines: [{ lineId: NCE.lineId, quantity: 4 }], requestedOn: '2026-12-17' }))
        .thenThrows({ kind: 'rule', code: 'CANCELLATION_WINDOW_CLOSED' });
    });
  });

  describe('seats added later count from the day the vendor confirmed them', () => {
    const activeWithAddOpen = (): ContractEvent[] => {
      const history: ContractEvent[] = [created([NCE])];
      const confirmed = given(history).when(confirm(ACTIVATED_ON)).events();
      return [...history, ...confirmed, opened([changeLine(NCE, 8, 8)], { type: 'ADD', changeId: 'ch-add' })];
    };
    /** 5 → 8 seats in force from 2027-02-01, the vendor having confirmed them on 2027-01-20 (or never: forced). */
    const added = (vendorConfirmedOn?: string): ApplyQuantityChange => {
      const outcome = contractCommandForOutcome({
        type: 'QuantityChanged',
        data: {
          ...reference,
          changeId: 'ch-add',
          type: 'ADD',
          requestedOn: '2027-01-19',
          effectiveOn: '2027-02-01',
          confirmedOn: '2027-01-21',
          forced: !vendorConfirmedOn,
          lines: [{ ...changeLine(NCE, 8, 8), previousQuantity: 5, newQuantity: 8, ...(vendorConfirmedOn ? { vendorConfirmedOn } : {}) }],
        },
      });
      return outcome!.command as ApplyQuantityChange;
    };
    const addedUntil = (events: ContractEvent[]) => events.flatMap((event) => (event.type === 'ContractLineQuantitiesChanged' ? event.data.lines.map((line) => line.cancellationAllowedUntil) : []));

    it('given the vendor confirmed the 3 seats on 01-20, when the add is applied (effective 02-01), then their window runs until 01-27', () => {
      expect(addedUntil(given(activeWithAddOpen()).when(added('2027-01-20')).events())).toEqual(['2027-01-27']);
    });

    it('forced before the vendor answered, the effective date stands in (until 02-08)', () => {
      expect(addedUntil(given(activeWithAddOpen()).when(added()).events())).toEqual(['2027-02-08']);
    });

    it('then 3 seats may be given up on 01-27, not on 01-28 (the first 5 seats closed on 12-16)', () => {
      const withAdded = (): ContractEvent[] => {
        const history = activeWithAddOpen();
        return [...history, ...given(history).when(added('2027-01-20')).events()];
      };
      const cancelSeats = (quantity: number, requestedOn: string) => openChange({ changeId: 'ch-c', lines: [{ lineId: NCE.lineId, quantity }], requestedOn });
      given(withAdded()).when(cancelSeats(3, '2027-01-27')).thenState((state) => expect(lineOf(state, NCE.lineId).openChangeId).toBe('ch-c'));
      given(withAdded()).when(cancelSeats(4, '2027-01-27')).thenThrows({ kind: 'rule', code: 'CANCELLATION_WINDOW_CLOSED' });
      given(withAdded()).when(cancelSeats(1, '2027-01-28')).thenThrows({ kind: 'rule', code: 'CANCELLATION_WINDOW_CLOSED' });
    });
  });
});
