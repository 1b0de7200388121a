import { DeciderSpecification } from '@lp/testing';
import { BillableLine, billingLineDecider, BillingLineEvent } from '../../src/domain/billing-line.decider';
import { fromCancellationConfirmed, fromContractConfirmed, fromQuantityChanged } from '../../src/domain/from-contract-events';
import { cancellation, change, line } from './lines';

const given = DeciderSpecification.for(billingLineDecider);

/** The sample line of lines.ts, as ContractConfirmed starts it: 3 seats, no changes yet. */
const billable = (overrides: Partial<BillableLine> = {}): BillableLine => {
  const { changes: _changes, cancellation: _cancellation, ...start } = line({ quantity: 3, ...overrides });
  return start;
};
const contract = { contractNumber: 'NCN202606-0000000001', orderNumber: 'NOD202606-0000000001', purchaseOrderNumber: 'PO-1' };
const started = (overrides: Partial<BillableLine> = {}): BillingLineEvent => ({ type: 'BillingLineStarted', data: { line: billable(overrides), contract } });
/** The charging period billing publishes (billing.events) for the sample line (microsoft-csp-monthly, from 2026-06-01). */
const chargingScheduled = (chargingUntil?: string): BillingLineEvent => ({
  type: 'LineChargingScheduled',
  data: { scheduleId: 'l-1', lineId: 'l-1', contractId: 'k-1', customerId: 'c-1', resellerId: 'r-direct', sku: 'MS-O365-E1', chargingFrom: '2026-06-01', ...(chargingUntil ? { chargingUntil } : {}) },
});
const usage = { usageId: 'u-1', lineId: 'l-1', month: '2026-06', amount: 12345, description: 'Azure 6月利用分' };

describe('billing line decider (a contract line’s schedule)', () => {
  describe('StartLineBilling (ContractConfirmed)', () => {
    it('starts the line with its policy, start date and quantity, and publishes its open-ended charging period', () => {
      given([]).when({ type: 'StartLineBilling', line: billable(), contract }).then([started(), chargingScheduled()]);
    });
    it('publishes when charging starts by the policy: StreamOne from the 1st after delivery', () => {
      const stellr = { billingPolicy: 'stellr-cutoff', sku: 'SN-POCKETALK-CC-M', placedOn: '2026-06-16', startDate: '2026-07-20' } as const;
      given([])
        .when({ type: 'StartLineBilling', line: billable(stellr), contract })
        .then([started(stellr), { type: 'LineChargingScheduled', data: { ...chargingScheduled().data as object, sku: 'SN-POCKETALK-CC-M', chargingFrom: '2026-08-01' } } as BillingLineEvent]);
    });
    it('a product the line changed to has a schedule of its own, named in what is published', () => {
      const e3 = { sku: 'MS-O365-E3', productName: 'Office 365 E3', unitPrice: 2170, startDate: '2026-09-01' };
      given([])
        .when({ type: 'StartLineBilling', line: billable(e3), contract, scheduleId: 'l-1~MS-O365-E3' })
        .then([
          { type: 'BillingLineStarted', data: { line: billable(e3), contract, scheduleId: 'l-1~MS-O365-E3' } },
          { type: 'LineChargingScheduled', data: { ...(chargingScheduled().data as object), scheduleId: 'l-1~MS-O365-E3', sku: 'MS-O365-E3', chargingFrom: '2026-09-01' } } as BillingLineEvent,
        ]);
    });
    it('a redelivered confirmation is a no-op', () => {
      given([started()]).when({ type: 'StartLineBilling', line: billable(), contract }).thenNothingHappened();
    });
  });

  describe('ChangeLineQuantity (QuantityChanged, a reduction by cancellation)', () => {
    const reduce = change('REDUCE', 1, '2026-06-10', '2026-06-30', 'ch-1');
    it('records the change on the line', () => {
      given([started()]).when({ type: 'ChangeLineQuantity', change: reduce }).then([{ type: 'BillingLineQuantityChanged', data: { lineId: 'l-1', change: reduce } }]);
      given([started(), { type: 'BillingLineQuantityChanged', data: { lineId: 'l-1', change: reduce } }]).thenState((state) => {
        expect(state.status === 'BILLING' && state.line.changes).toEqual([reduce]);
      });
    });
    it('the same change redelivered is a no-op: it can never charge twice', () => {
      given([started(), { type: 'BillingLineQuantityChanged', data: { lineId: 'l-1', change: reduce } }])
        .when({ type: 'ChangeLineQuantity', change: reduce })
        .thenNothingHappened();
    });
    it('a change that overtook the confirmation is refused (409), so the bus retries it after the confirmation', () => {
      given([]).when({ type: 'ChangeLineQuantity', change: reduce }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });
  });

  describe('CancelLine (CancellationConfirmed of every seat)', () => {
    const cancelled = cancellation('2026-06-10', '2026-06-30');
    it('ends the line and publishes when its charging ends (csp-monthly: the end month in full); once', () => {
      given([started()])
        .when({ type: 'CancelLine', cancellation: cancelled })
        .then([{ type: 'BillingLineCancelled', data: { lineId: 'l-1', cancellation: cancelled } }, chargingScheduled('2026-06-30')]);
      const midMonth = cancellation('2026-06-10', '2026-07-15');
      given([started()])
        .when({ type: 'CancelLine', cancellation: midMonth })
        .then([{ type: 'BillingLineCancelled', data: { lineId: 'l-1', cancellation: midMonth } }, chargingScheduled('2026-07-31')]);
      given([started(), { type: 'BillingLineCancelled', data: { lineId: 'l-1', cancellation: cancelled } }])
        .when({ type: 'CancelLine', cancellation: cancelled })
        .thenNothingHappened();
    });
  });

  describe('RecordUsage (POST /billing/usage)', () => {
    const azure = started({ sku: 'MS-AZURE-PLAN', billingPolicy: 'microsoft-csp-usage', unitPrice: 0, quantity: 1 });
    it('records usage of a usage-billed line; the same record again is a no-op', () => {
      given([azure]).when({ type: 'RecordUsage', usage }).then([{ type: 'UsageRecorded', data: { lineId: 'l-1', usage } }]);
      given([azure, { type: 'UsageRecorded', data: { lineId: 'l-1', usage } }]).when({ type: 'RecordUsage', usage }).thenNothingHappened();
    });
    it('refuses the same record id with other figures (409 USAGE_ALREADY_RECORDED)', () => {
      given([azure, { type: 'UsageRecorded', data: { lineId: 'l-1', usage } }])
        .when({ type: 'RecordUsage', usage: { ...usage, amount: 1 } })
        .thenThrows({ kind: 'conflict', code: 'USAGE_ALREADY_RECORDED' });
    });
    it('refuses usage of a line not billed by usage (422 NOT_USAGE_BILLED) or not billed at all (422 LINE_NOT_BILLED)', () => {
      given([started()]).when({ type: 'RecordUsage', usage }).thenThrows({ kind: 'rule', code: 'NOT_USAGE_BILLED' });
      given([]).when({ type: 'RecordUsage', usage }).thenThrows({ kind: 'rule', code: 'LINE_NOT_BILLED' });
    });
    it('lists every malformed field (400)', () => {
      given([azure])
        .when({ type: 'RecordUsage', usage: { usageId: ' ', lineId: 'l-1', month: '2026-13', amount: 1.5, description: '' } })
        .thenThrows({ kind: 'invalid', errors: ['usageId', 'month', 'amount', 'description'].map((path) => expect.objectContaining({ path })) });
    });
  });
});

describe('contract events → line commands', () => {
  const reference = { contractId: 'k-1', contractNumber: 'NCN202606-0000000001', orderId: 'o-1', orderNumber: 'NOD202606-0000000001', resellerId: 'r-direct', customerId: 'c-1' };
  const identity = { lineId: 'l-1', orderLineId: 'l-1', sku: 'SN-POCKETALK-SI-Y', productName: 'ポケトーク', subscriptionId: 's-1' };

  it('ContractConfirmed starts each line with its placement date, term and the order numbers an invoice prints', () => {
    const [command] = fromContractConfirmed({
      data: {
        ...reference,
        purchaseOrderNumber: 'PO-9',
        confirmedOn: '2026-06-01',
        lines: [{ ...identity, quantity: 2, unitPrice: 24710, billingPolicy: 'stellr-cutoff', trial: false, placedOn: '2026-05-15', term: 'annual', startDate: '2026-05-20' }],
      },
    });
    expect(command).toEqual({
      streamId: 'billingLine-l-1',
      command: {
        type: 'StartLineBilling',
        contract: { contractNumber: reference.contractNumber, orderNumber: reference.orderNumber, purchaseOrderNumber: 'PO-9' },
        line: expect.objectContaining({ lineId: 'l-1', customerId: 'c-1', placedOn: '2026-05-15', startDate: '2026-05-20', quantity: 2, term: 'annual', billingPolicy: 'stellr-cutoff' }),
      },
    });
  });

  it('QuantityChanged: ADD stays an add, CHANGE is a reduction, from its effective date', () => {
    const changed = (type: 'ADD' | 'CHANGE') =>
      fromQuantityChanged({
        data: { ...reference, changeId: 'ch-1', type, requestedOn: '2026-06-10', effectiveOn: '2026-07-01', confirmedOn: '2026-06-12', forced: false, lines: [{ ...identity, previousQuantity: 5, newQuantity: 7 }] },
      })[0].command;
    expect(changed('ADD')).toEqual({
      type: 'ChangeLineQuantity',
      change: { changeId: 'ch-1', kind: 'ADD', requestedOn: '2026-06-10', effectiveOn: '2026-07-01', newQuantity: 7, confirmedOn: '2026-06-12' },
    });
    expect(changed('CHANGE')).toMatchObject({ change: { kind: 'REDUCE' } });
  });

  it('CancellationConfirmed: a line cancelled in full ends; one with seats left is a reduction from the day after the end date (their last day)', () => {
    const commands = fromCancellationConfirmed({
      data: {
        ...reference,
        changeId: 'ch-2',
        type: 'CANCELLATION',
        requestedOn: '2026-06-10',
        endDate: '2026-06-30',
        cancelledOn: '2026-06-12',
        forced: false,
        lines: [
          { ...identity, cancelledQuantity: 3, remainingQuantity: 0 },
          { ...identity, lineId: 'l-2', cancelledQuantity: 1, remainingQuantity: 4 },
        ],
      },
    });
    expect(commands.map(({ streamId, command }) => [streamId, command])).toEqual([
      ['billingLine-l-1', { type: 'CancelLine', cancellation: { changeId: 'ch-2', requestedOn: '2026-06-10', endDate: '2026-06-30', cancelledOn: '2026-06-12' } }],
      [
        'billingLine-l-2',
        { type: 'ChangeLineQuantity', change: { changeId: 'ch-2', kind: 'REDUCE', requestedOn: '2026-06-10', effectiveOn: '2026-07-01', newQuantity: 4, confirmedOn: '2026-06-12' } },
      ],
    ]);
  });
});
