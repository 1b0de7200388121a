import { ContractLineTerms } from '@lp/integration-events';
import { DeciderSpecification } from '@lp/testing';
import { contractDecider, ContractEvent, ConfirmLines } from '../../src/domain/contract';
import { changeLine, created, E1, lineOf, openChange, opened, subscriptionOf } from './change-fixtures';

const given = DeciderSpecification.for(contractDecider);

/** Microsoft 365 Business Premium (NCE) × 5: activated at the vendor on 12-09, the contract back-dated to start 11-08. */
const NCE: ContractLineTerms = {
  ...E1,
  lineId: 'ol-nce',
  orderLineId: 'ol-nce',
  sku: 'MS-M365-BP-NCE-M',
  productName: 'Microsoft 365 Business Premium (NCE)',
  quantity: 5,
  unitPrice: 2750,
  billingPolicy: 'microsoft-nce',
};
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
});
