import { DeciderSpecification } from '@lp/testing';
import { contractDecider, ContractEvent } from '../../src/domain/contract';
import { changeLine, CONTRACT_ID, created, E1, lineOf, openChange, opened, reference, subscriptionOf, NCE_LINE } from './change-fixtures';

const given = DeciderSpecification.for(contractDecider);

/** Microsoft 365 Business Premium (NCE, monthly term) × 5, started 2027-01-10: cancellable until 01-17. */
const NCE = NCE_LINE;
const confirmed: ContractEvent = {
  type: 'ContractConfirmed',
  data: {
    ...reference,
    confirmedOn: '2027-01-10',
    lines: [{ ...NCE, subscriptionId: subscriptionOf(NCE), startDate: '2027-01-10', termStartDate: '2027-01-10', termEndDate: '2027-02-09', autoRenew: true, cancellationAllowedUntil: '2027-01-17' }],
  },
};
const ACTIVE = [created([NCE]), confirmed];
/** 3 seats added, in force from 2027-02-01: their own window until 02-08. */
const ADDED: ContractEvent[] = [
  opened([changeLine(NCE, 8, 8)], { type: 'ADD', changeId: 'ch-add' }),
  { type: 'ContractLineQuantitiesChanged', data: { contractId: CONTRACT_ID, changeId: 'ch-add', effectiveOn: '2027-02-01', lines: [{ lineId: NCE.lineId, previousQuantity: 5, newQuantity: 8 }] } },
];
const cancel = (quantity: number, requestedOn: string) => openChange({ changeId: 'ch-c', lines: [{ lineId: NCE.lineId, quantity }], requestedOn });

describe('contract decider: new-commerce cancellation windows (microsoft-nce)', () => {
  it('a confirmed NCE line shows cancellationAllowedUntil = start + 7 days', () => {
    given([created([NCE])])
      .when({ type: 'ConfirmLines', confirmedOn: '2027-01-10', subscriptions: [{ subscriptionId: subscriptionOf(NCE), orderLineId: NCE.orderLineId, status: 'ACTIVE' }] })
      .then([confirmed]);
  });

  it('a cancellation requested inside the window (on its last day too) is allowed', () => {
    given(ACTIVE).when(cancel(5, '2027-01-15')).then([opened([changeLine(NCE, 5, 0)], { changeId: 'ch-c', requestedOn: '2027-01-15' })]);
    given(ACTIVE).when(cancel(2, '2027-01-17')).thenState((state) => expect(lineOf(state, NCE.lineId).openChangeId).toBe('ch-c'));
  });

  it('after it, a cancellation or a reduction is refused (422 CANCELLATION_WINDOW_CLOSED)', () => {
    given(ACTIVE).when(cancel(1, '2027-01-18')).thenThrows({ kind: 'rule', code: 'CANCELLATION_WINDOW_CLOSED' });
    given(ACTIVE)
      .when(openChange({ changeType: 'CHANGE', lines: [{ lineId: NCE.lineId, quantity: 4 }], requestedOn: '2027-01-18' }))
      .thenThrows({ kind: 'rule', code: 'CANCELLATION_WINDOW_CLOSED' });
  });

  it('added seats get their own window: only they may be given up in it', () => {
    given([...ACTIVE, ...ADDED]).when(cancel(3, '2027-02-05')).thenState((state) => expect(lineOf(state, NCE.lineId).openChangeId).toBe('ch-c'));
    given([...ACTIVE, ...ADDED]).when(cancel(4, '2027-02-05')).thenThrows({ kind: 'rule', code: 'CANCELLATION_WINDOW_CLOSED' });
    given([...ACTIVE, ...ADDED]).when(cancel(1, '2027-02-09')).thenThrows({ kind: 'rule', code: 'CANCELLATION_WINDOW_CLOSED' });
  });

  it('other products keep their rules: an evergreen line is cancelled any time', () => {
    given([created([E1]), { ...confirmed, data: { ...confirmed.data, lines: [{ ...E1, subscriptionId: subscriptionOf(E1), startDate: '2027-01-10' }] } } as ContractEvent])
      .when(openChange({ lines: [{ lineId: E1.lineId, quantity: 3 }], requestedOn: '2028-01-01' }))
      .thenState((state) => expect(lineOf(state, E1.lineId).openChangeId).toBe('ch-1'));
  });
});
