import { ContractLineTerms } from '@lp/integration-events';
import { DeciderSpecification } from '@lp/testing';
import { contractDecider, ContractEvent, KnownOrder } from '../../src/domain/contract';
import { changeLine, CONTRACT_ID, created, E1, existing, lineOf, openChange, opened, reference, subscriptionOf } from './change-fixtures';

const given = DeciderSpecification.for(contractDecider);

/** Microsoft 365 Business Premium on an annual term, charged from 2027-01-01. */
const ANNUAL: ContractLineTerms = { ...E1, lineId: 'ol-bp', orderLineId: 'ol-bp', sku: 'MS-M365-BP-Y', productName: 'M365 BP (annual)', quantity: 5, termDuration: 'P1Y' };
/** ポケトーク同時通訳 (StreamOne, annual): placed 2026-12-10 → delivered 12-20 → charged (and its term) from 2027-01-01. */
const STELLR: ContractLineTerms = {
  ...E1,
  lineId: 'ol-sn',
  orderLineId: 'ol-sn',
  sku: 'SN-POCKETALK-SI-Y',
  productName: 'ポケトーク同時通訳',
  quantity: 2,
  unitPrice: 24710,
  billingPolicy: 'stellr-cutoff',
  term: 'annual',
  placedOn: '2026-12-10',
};

const confirmedOn = (lines: ContractLineTerms[], startDate: string, termEndDate?: string): ContractEvent => ({
  type: 'ContractConfirmed',
  data: {
    ...reference,
    confirmedOn: startDate,
    lines: lines.map((line) => ({
      ...line,
      subscriptionId: subscriptionOf(line),
      startDate,
      ...(termEndDate ? { termStartDate: startDate, termEndDate, autoRenew: true } : {}),
    })),
  },
});
const ANNUAL_ACTIVE = [created([E1, ANNUAL]), confirmedOn([ANNUAL], '2027-01-01', '2027-12-31'), confirmedOn([E1], '2027-01-01')];
const autoRenewSet = (autoRenew: boolean, changedOn = '2027-06-01'): ContractEvent => ({
  type: 'ContractLineAutoRenewSet',
  data: { contractId: CONTRACT_ID, lineId: ANNUAL.lineId, autoRenew, changedOn },
});
const identity = { lineId: ANNUAL.lineId, orderLineId: ANNUAL.orderLineId, sku: ANNUAL.sku, productName: ANNUAL.productName, subscriptionId: subscriptionOf(ANNUAL), billingPolicy: ANNUAL.billingPolicy };
const renewed = (termStartDate: string, termEndDate: string, previousQuantity = 5, quantity = 5, changeId?: string): ContractEvent => ({
  type: 'ContractLineRenewed',
  data: {
    ...reference,
    ...identity,
    unitPrice: ANNUAL.unitPrice,
    previousQuantity,
    quantity,
    termDuration: 'P1Y',
    termStartDate,
    termEndDate,
    renewedOn: '2028-01-01',
    ...(changeId ? { changeId } : {}),
  },
});

describe('contract decider: terms and renewal (契約更新)', () => {
  describe('the term of a confirmed line', () => {
    const order = (line: ContractLineTerms): KnownOrder => ({
      orderId: reference.orderId,
      orderNumber: reference.orderNumber,
      resellerId: reference.resellerId,
      customerId: reference.customerId,
      placedLines: [(({ lineId: _lineId, ...placed }) => placed)(line)],
    });
    const subscriptions = (line: ContractLineTerms) => [{ subscriptionId: subscriptionOf(line), orderLineId: line.orderLineId, status: 'ACTIVE' }];

    it('a one-year term charged from 2027-01-01 ends on 2027-12-31 and renews by default', () => {
      given([created([ANNUAL])])
        .when({ type: 'ConfirmLines', confirmedOn: '2027-01-01', subscriptions: subscriptions(ANNUAL) })
        .thenState((state) => expect(lineOf(state, ANNUAL.lineId)).toMatchObject({ termStartDate: '2027-01-01', termEndDate: '2027-12-31', autoRenew: true }));
    });

    it('a StreamOne term starts with charging (the 1st after delivery), not with the confirmation', () => {
      given([created([{ ...STELLR, termDuration: 'P1Y' }])])
        .when({ type: 'ConfirmLines', confirmedOn: '2026-12-21', subscriptions: subscriptions(STELLR) })
        .thenState((state) => expect(lineOf(state, STELLR.lineId)).toMatchObject({ termStartDate: '2027-01-01', termEndDate: '2027-12-31' }));
    });

    it('an evergreen plan (Office 365 E1) has no term', () => {
      given([created([E1])])
        .when({ type: 'ConfirmLines', confirmedOn: '2027-01-01', subscriptions: subscriptions(E1) })
        .thenState((state) => expect(lineOf(state, E1.lineId).termEndDate).toBeUndefined());
    });

    it('a contract created from an annual StreamOne line placed before terms travelled still gets its one-year term', () => {
      given()
        .when({ type: 'CreateContract', contractId: CONTRACT_ID, contractNumber: 'NCN202612-0000000001', order: order(STELLR), lineIds: [STELLR.orderLineId], contractedLineIds: [], subject: 's', subjectForForms: 's', contractDate: '2026-12-10' })
        .thenState((state) => expect(lineOf(state, STELLR.lineId).termDuration).toBe('P1Y'));
    });
  });

  describe('SetAutoRenew (自動更新)', () => {
    it('switches auto-renew off, recorded in the contract history', () => {
      given(ANNUAL_ACTIVE).when({ type: 'SetAutoRenew', lineId: ANNUAL.lineId, autoRenew: false, changedOn: '2027-06-01' }).then([autoRenewSet(false)]);
    });

    it('is a no-op when it is already so', () => {
      given(ANNUAL_ACTIVE).when({ type: 'SetAutoRenew', lineId: ANNUAL.lineId, autoRenew: true, changedOn: '2027-06-01' }).thenNothingHappened();
    });

    it('refuses a line without a term (422 NO_TERM)', () => {
      given(ANNUAL_ACTIVE).when({ type: 'SetAutoRenew', lineId: E1.lineId, autoRenew: false, changedOn: '2027-06-01' }).thenThrows({ kind: 'rule', code: 'NO_TERM' });
    });
  });

  describe('RenewTerms (the renewal run)', () => {
    const run = (asOf: string) => ({ type: 'RenewTerms' as const, asOf, renewedOn: '2028-01-01' });

    it('renews a term that ended before the date, once per line and term', () => {
      given(ANNUAL_ACTIVE).when(run('2028-01-01')).then([renewed('2028-01-01', '2028-12-31')]);
      given([...ANNUAL_ACTIVE, renewed('2028-01-01', '2028-12-31')]).when(run('2028-01-01')).thenNothingHappened();
    });

    it('leaves a term that has not ended yet (its last day is still in it)', () => {
      given(ANNUAL_ACTIVE).when(run('2027-12-31')).thenNothingHappened();
    });

    it('catches up term by term when runs were missed', () => {
      given(ANNUAL_ACTIVE).when(run('2029-01-05')).then([renewed('2028-01-01', '2028-12-31'), renewed('2029-01-01', '2029-12-31')]);
    });

    it('ends a line whose auto-renew is off on its term end date; the contract runs on with its other line', () => {
      given([...ANNUAL_ACTIVE, autoRenewSet(false)])
        .when(run('2028-01-01'))
        .then([
          {
            type: 'ContractLineEnded',
            data: { ...reference, ...identity, endDate: '2027-12-31', endedOn: '2028-01-01', autoRenewOffSince: '2027-06-01' },
          },
        ]);
      given([...ANNUAL_ACTIVE, autoRenewSet(false)])
        .when(run('2028-01-01'))
        .thenState((state) => {
          expect(lineOf(state, ANNUAL.lineId)).toMatchObject({ status: 'CANCELLED', endDate: '2027-12-31' });
          expect(existing(state).status).toBe('ACTIVE');
        });
    });

    it('applies the renewal change confirmed for the line to its next term only', () => {
      const scheduled: ContractEvent = { type: 'ContractLineRenewalScheduled', data: { contractId: CONTRACT_ID, changeId: 'ch-r', lines: [{ lineId: ANNUAL.lineId, quantity: 8 }] } };
      given([...ANNUAL_ACTIVE, scheduled]).when(run('2029-01-05')).then([renewed('2028-01-01', '2028-12-31', 5, 8, 'ch-r'), renewed('2029-01-01', '2029-12-31', 8, 8)]);
    });
  });

  describe('OpenChange RENEWAL (契約更新手続き)', () => {
    it('opens a renewal change for a line with a term (quantity default: unchanged)', () => {
      given(ANNUAL_ACTIVE)
        .when(openChange({ changeType: 'RENEWAL', lines: [{ lineId: ANNUAL.lineId, quantity: 8 }, ] }))
        .then([opened([changeLine(ANNUAL, 8, 8)], { type: 'RENEWAL' })]);
      given(ANNUAL_ACTIVE)
        .when(openChange({ changeType: 'RENEWAL', lines: [{ lineId: ANNUAL.lineId }] }))
        .then([opened([changeLine(ANNUAL, 5, 5)], { type: 'RENEWAL' })]);
    });

    it('refuses a line without a term (422 NO_TERM) and another product (422 RENEWAL_PRODUCT_CHANGE)', () => {
      given(ANNUAL_ACTIVE).when(openChange({ changeType: 'RENEWAL', lines: [{ lineId: E1.lineId, quantity: 3 }] })).thenThrows({ kind: 'rule', code: 'NO_TERM' });
      given(ANNUAL_ACTIVE)
        .when(openChange({ changeType: 'RENEWAL', lines: [{ lineId: ANNUAL.lineId, sku: 'MS-O365-E3' }] }))
        .thenThrows((error) => {
          // The refusal says why and what to do instead, so a user is not left guessing.
          expect(error).toMatchObject({ kind: 'rule', code: 'RENEWAL_PRODUCT_CHANGE', message: expect.stringMatching(/keeps the line's product.*product-changes.*auto-renew off/) });
          return true;
        });
    });

    it('notes the confirmed renewal change on the line and releases it for other changes', () => {
      given([...ANNUAL_ACTIVE, opened([changeLine(ANNUAL, 8, 8)], { type: 'RENEWAL', changeId: 'ch-r' })])
        .when({ type: 'ApplyRenewalChange', changeId: 'ch-r', lines: [{ lineId: ANNUAL.lineId, newQuantity: 8 }] })
        .thenState((state) => {
          expect(lineOf(state, ANNUAL.lineId)).toMatchObject({ scheduledRenewal: { changeId: 'ch-r', quantity: 8 } });
          expect(lineOf(state, ANNUAL.lineId).openChangeId).toBeUndefined();
        });
    });
  });
});
