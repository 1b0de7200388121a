import { CancellationLinked, QuantityChangeLinked, SUBSCRIPTION_INTEGRATION_EVENT_TYPES } from '@lp/integration-events';
import { DeciderSpecification } from '@lp/testing';
import {
  cancellationRequestsFrom,
  quantityChangeRequestsFrom,
  refundWindowClosedReason,
  SubscriptionCommand,
  subscriptionDecider,
  SubscriptionEvent,
  subscriptionStreamId,
} from '../../src/domain/subscription';
import { GUID, KEY, Line, o365 as baseO365, pocketalk, reference, requested, SUB_ID, winServer } from '../support/subscription-fixtures';

/**
 * Contract changes on the provisioning side (issue 5): a linked cancellation (解約連携) or quantity
 * change reaches the subscription as a command under the contract change's id; the vendor's answer
 * settles it.
 */
const given = DeciderSpecification.for(subscriptionDecider);

const CHANGE = 'chg-1';
const CANCELLED_AT = '2021-08-01T03:00:00.000Z';
const CHANGED_AT = '2021-08-01T03:00:00.000Z';
const FAILED_AT = '2021-08-01T03:05:00.000Z';

/** Five seats here, so reductions have room. */
const o365: Line = { ...baseO365, quantity: 5 };
const sqlLegacy: Line = {
  ...winServer,
  sku: 'MS-SQLSRV-2019-STD-LEGACY',
  productName: 'SQL Server 2019 Standard',
  refundWindowDays: 60,
  placedOn: '2021-03-01',
};

/** Provisioned at 10:00 Tokyo time on `startDate`. */
const provisioned = (line: Line, startDate = '2021-07-15', until: string | null = null): SubscriptionEvent => ({
  type: 'SubscriptionProvisioned',
  data: {
    ...reference(line),
    status: line.provisioning === 'manual' ? 'MANUAL_PROVISIONING' : 'ACTIVE',
    vendorSubscriptionId: line.provisioning === 'manual' ? 'SO-0000000001' : GUID,
    ...(line.provisioning === 'key' ? { productKey: KEY } : {}),
    provisionedAt: `${startDate}T01:00:00.000Z`,
    cancellationAllowedUntil: until,
  },
});
const activated = (line: Line): SubscriptionEvent => ({
  type: 'SubscriptionActivated',
  data: { ...reference(line), status: 'ACTIVE', vendorSubscriptionId: 'SO-0000000001', activatedAt: '2021-07-20T02:00:00.000Z' },
});

/** The histories of ACTIVE subscriptions. */
const activeO365 = [requested(o365), provisioned(o365)];
const activePocketalk = [requested(pocketalk), provisioned(pocketalk), activated(pocketalk)];
const activeWinServer = [requested(winServer), provisioned(winServer, '2021-07-15', '2021-08-14')];
const activeSqlLegacy = [requested(sqlLegacy), provisioned(sqlLegacy, '2021-03-01', '2021-04-30')];

const cancel = (quantity: number, requestedOn = '2021-08-01', changeId = CHANGE): SubscriptionCommand => ({ type: 'RequestCancellation', changeId, quantity, requestedOn });
const cancellationRequested = (quantity: number, previousQuantity: number, requestedOn = '2021-08-01', changeId = CHANGE): SubscriptionEvent => ({
  type: 'SubscriptionCancellationRequested',
  data: { subscriptionId: SUB_ID, changeId, quantity, previousQuantity, requestedOn },
});
const vendorCancelled = (productKeyRevoked?: boolean, changeId = CHANGE): SubscriptionCommand => ({
  type: 'RecordVendorCancelled',
  changeId,
  cancelledAt: CANCELLED_AT,
  ...(productKeyRevoked !== undefined ? { productKeyRevoked } : {}),
});
const changeQuantity = (newQuantity: number, changeId = CHANGE): SubscriptionCommand => ({ type: 'RequestQuantityChange', changeId, newQuantity, requestedOn: '2021-08-01' });
const quantityChangeRequested = (previousQuantity: number, newQuantity: number, changeId = CHANGE): SubscriptionEvent => ({
  type: 'SubscriptionQuantityChangeRequested',
  data: { subscriptionId: SUB_ID, changeId, previousQuantity, newQuantity, requestedOn: '2021-08-01' },
});
const vendorQuantityChanged = (changeId = CHANGE): SubscriptionCommand => ({ type: 'RecordVendorQuantityChanged', changeId, changedAt: CHANGED_AT });
const changeAttemptFailed = (attempt: number, willRetry = true, changeId = CHANGE): SubscriptionCommand => ({
  type: 'RecordVendorChangeAttemptFailed',
  changeId,
  attempt,
  reason: 'Partner Center unavailable (503)',
  willRetry,
  failedAt: FAILED_AT,
});
const changeAttemptFailedEvent = (attempt: number, willRetry = true, changeId = CHANGE): SubscriptionEvent => ({
  type: 'SubscriptionChangeAttemptFailed',
  data: { subscriptionId: SUB_ID, changeId, attempt, reason: 'Partner Center unavailable (503)', willRetry, failedAt: FAILED_AT },
});
const failChange = (changeId = CHANGE): SubscriptionCommand => ({ type: 'RecordChangeFailed', changeId, reason: 'Partner Center unavailable (503)', failedAt: FAILED_AT });

const INVALID_STATE = { kind: 'conflict', code: 'INVALID_STATE' } as const;
const QUANTITY_OUT_OF_RANGE = { kind: 'rule', code: 'QUANTITY_OUT_OF_RANGE' } as const;

describe('subscription decider: cancellation (解約) and reduction', () => {
  describe('RequestCancellation', () => {
    it('a monthly Microsoft subscription: the cancellation waits for the vendor', () => {
      given(activeO365).when(cancel(5)).then([cancellationRequested(5, 5)]);
    });

    it('keeps the subscription ACTIVE with the change pending', () => {
      given(activeO365)
        .when(cancel(2))
        .thenState({ status: 'ACTIVE', quantity: 5, pendingChange: { kind: 'CANCELLATION', changeId: CHANGE, quantity: 2, requestedOn: '2021-08-01', attempts: 0 } });
    });

    it('a StreamOne subscription activated by hand can be cancelled too', () => {
      given(activePocketalk).when(cancel(10)).then([cancellationRequested(10, 10)]);
    });

    it('a line that started today is eligible', () => {
      given(activeO365).when(cancel(1, '2021-07-15')).then([cancellationRequested(1, 5, '2021-07-15')]);
    });

    it.each([[0], [6], [-1]])('quantity %s of 5 → 422 QUANTITY_OUT_OF_RANGE', (quantity) => {
      given(activeO365).when(cancel(quantity)).thenThrows(QUANTITY_OUT_OF_RANGE);
    });

    it.each([
      ['is still PROVISIONING', [requested(o365)]],
      ['waits in MANUAL_PROVISIONING', [requested(pocketalk), provisioned(pocketalk)]],
      ['is FAILED', [requested(o365), { type: 'ProvisioningFailed', data: { ...reference(o365), status: 'FAILED', reason: 'x', attempts: 1, failedAt: FAILED_AT } }]],
      [
        'is already CANCELLED',
        [...activeO365, cancellationRequested(5, 5, '2021-08-01', 'chg-0'), { type: 'SubscriptionCancelled', data: cancelledData(5, 0, 'chg-0') }],
      ],
      ['does not exist', []],
    ] as [string, SubscriptionEvent[]][])('refused when the subscription %s → 409 INVALID_STATE', (_when, events) => {
      given(events).when(cancel(1)).thenThrows(INVALID_STATE);
    });

    it('refused while another change waits for the vendor → 409 CHANGE_IN_PROGRESS', () => {
      given([...activeO365, cancellationRequested(1, 5, '2021-08-01', 'chg-0')]).when(cancel(1)).thenThrows({ kind: 'conflict', code: 'CHANGE_IN_PROGRESS' });
      given([...activeO365, quantityChangeRequested(5, 8, 'chg-0')]).when(cancel(1)).thenThrows({ kind: 'conflict', code: 'CHANGE_IN_PROGRESS' });
    });

    it('a blank change id (the key of every later step) → 400 VALIDATION_FAILED', () => {
      given(activeO365)
        .when({ type: 'RequestCancellation', changeId: ' ', quantity: 1, requestedOn: '2021-08-01' })
        .thenThrows({ kind: 'invalid', code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'changeId' })] });
    });

    describe('redelivery of the same change (a CancellationLinked consumed twice) is a no-op', () => {
      it('while it waits for the vendor', () => {
        given([...activeO365, cancellationRequested(2, 5)]).when(cancel(2)).thenNothingHappened();
      });

      it('after the vendor confirmed a full cancellation (the subscription is CANCELLED by then)', () => {
        given([...activeO365, cancellationRequested(5, 5), { type: 'SubscriptionCancelled', data: cancelledData(5, 0) }]).when(cancel(5)).thenNothingHappened();
      });

      it('after a reduction', () => {
        given([...activeO365, cancellationRequested(2, 5), { type: 'SubscriptionCancelled', data: cancelledData(2, 3) }]).when(cancel(2)).thenNothingHappened();
      });

      it('after a refusal', () => {
        given([...activeWinServer, refused('2021-08-15')]).when(cancel(1, '2021-08-15')).thenNothingHappened();
      });

      it('after the vendor calls failed', () => {
        given([...activeO365, cancellationRequested(2, 5), changeFailed('CANCELLATION')]).when(cancel(2)).thenNothingHappened();
      });

      it('but a new change id is a new cancellation', () => {
        given([...activeO365, cancellationRequested(2, 5), { type: 'SubscriptionCancelled', data: cancelledData(2, 3) }])
          .when(cancel(3, '2021-08-02', 'chg-2'))
          .then([cancellationRequested(3, 3, '2021-08-02', 'chg-2')]);
      });
    });
  });

  describe('on-premises software and its refund window (cancellationAllowedUntil inclusive)', () => {
    it.each([
      ['on the start date', '2021-07-15'],
      ['inside the window', '2021-08-01'],
      ['on the last day of the 30-day window', '2021-08-14'],
    ])('Windows Server (30 days, until 2021-08-14) %s (%s) → the cancellation goes to the vendor', (_when, requestedOn) => {
      given(activeWinServer).when(cancel(1, requestedOn)).then([cancellationRequested(1, 1, requestedOn)]);
    });

    it.each([
      ['the day after the window', '2021-08-15'],
      ['months later', '2021-12-01'],
    ])('Windows Server %s (%s) → SubscriptionCancellationRefused with the reason, nothing sent to the vendor', (_when, requestedOn) => {
      given(activeWinServer).when(cancel(1, requestedOn)).then([refused(requestedOn)]);
    });

    it('the refusal says why: 返金期間(2021-08-14まで)を過ぎているため解約できません', () => {
      const [event] = given(activeWinServer).when(cancel(1, '2021-08-15')).events();
      expect(event.data).toMatchObject({ reason: '返金期間(2021-08-14まで)を過ぎているため解約できません', code: 'REFUND_WINDOW_CLOSED', status: 'ACTIVE' });
      expect(refundWindowClosedReason('2021-08-14')).toBe('返金期間(2021-08-14まで)を過ぎているため解約できません');
    });

    it('after a refusal the subscription is unchanged: ACTIVE, its key, no pending change', () => {
      given([...activeWinServer, refused('2021-08-15')]).thenState((state) => {
        expect(state).toMatchObject({ status: 'ACTIVE', quantity: 1, productKey: KEY, settledChanges: { [CHANGE]: 'CANCELLATION_REFUSED' } });
        expect(state).not.toHaveProperty('pendingChange');
      });
    });

    it.each([
      ['inside: 2021-04-20', '2021-04-20', true],
      ['on its last day: 2021-04-30', '2021-04-30', true],
      ['the day after: 2021-05-01', '2021-05-01', false],
      ['on day 31, which the 30-day products refuse: 2021-03-31', '2021-03-31', true],
    ])('the legacy 60-day product (started 2021-03-01, until 2021-04-30), requested %s', (_when, requestedOn, allowed) => {
      const [event] = given(activeSqlLegacy).when(cancel(1, requestedOn)).events();
      expect(event.type).toBe(allowed ? 'SubscriptionCancellationRequested' : 'SubscriptionCancellationRefused');
      if (!allowed) expect(event.data).toMatchObject({ reason: '返金期間(2021-04-30まで)を過ぎているため解約できません', cancellationAllowedUntil: '2021-04-30' });
    });

    it('monthly and StreamOne products have no window: a late cancellation still goes to the vendor', () => {
      given(activeO365).when(cancel(1, '2023-01-01')).then([cancellationRequested(1, 5, '2023-01-01')]);
      given(activePocketalk).when(cancel(1, '2023-01-01')).then([cancellationRequested(1, 10, '2023-01-01')]);
    });

    it('the vendor confirms: CANCELLED and the key revoked', () => {
      given([...activeWinServer, cancellationRequested(1, 1)])
        .when(vendorCancelled(true))
        .then([
          {
            type: 'SubscriptionCancelled',
            data: {
              ...reference(winServer, 0),
              status: 'CANCELLED',
              changeId: CHANGE,
              vendorSubscriptionId: GUID,
              previousQuantity: 1,
              cancelledQuantity: 1,
              remainingQuantity: 0,
              productKeyRevoked: true,
              requestedOn: '2021-08-01',
              cancelledAt: CANCELLED_AT,
            },
          },
        ]);
      given([...activeWinServer, cancellationRequested(1, 1)]).when(vendorCancelled(true)).thenState({ status: 'CANCELLED', quantity: 0, productKeyRevoked: true, cancelledAt: CANCELLED_AT });
    });

    it('a software answer without the flag records productKeyRevoked: false (as the vendor said)', () => {
      const [event] = given([...activeWinServer, cancellationRequested(1, 1)]).when(vendorCancelled()).events();
      expect(event.data).toMatchObject({ productKeyRevoked: false });
    });
  });

  describe('RecordVendorCancelled', () => {
    it('a reduction: ACTIVE with the seats left, the published quantity is the new one', () => {
      given([...activeO365, cancellationRequested(2, 5)])
        .when(vendorCancelled())
        .then([{ type: 'SubscriptionCancelled', data: cancelledData(2, 3) }]);
      given([...activeO365, cancellationRequested(2, 5)])
        .when(vendorCancelled())
        .thenState((state) => {
          expect(state).toMatchObject({ status: 'ACTIVE', quantity: 3, settledChanges: { [CHANGE]: 'CANCELLED' } });
          expect(state).not.toHaveProperty('pendingChange');
          expect(state).not.toHaveProperty('cancelledAt');
        });
    });

    it('a full cancellation: CANCELLED, quantity 0, the cancellation time', () => {
      given([...activeO365, cancellationRequested(5, 5)])
        .when(vendorCancelled())
        .then([{ type: 'SubscriptionCancelled', data: cancelledData(5, 0) }]);
      given([...activeO365, cancellationRequested(5, 5)]).when(vendorCancelled()).thenState({ status: 'CANCELLED', quantity: 0, cancelledAt: CANCELLED_AT });
    });

    it('a StreamOne cancellation accepted by the distributor', () => {
      const [event] = given([...activePocketalk, cancellationRequested(10, 10)]).when(vendorCancelled()).events();
      expect(event.data).toMatchObject({ status: 'CANCELLED', vendorSubscriptionId: 'SO-0000000001', cancelledQuantity: 10, remainingQuantity: 0 });
      expect(event.data).not.toHaveProperty('productKeyRevoked');
    });

    it('after a reduction the next cancellation counts from the seats left', () => {
      given([...activeO365, cancellationRequested(2, 5), { type: 'SubscriptionCancelled', data: cancelledData(2, 3) }])
        .when(cancel(4, '2021-08-02', 'chg-2'))
        .thenThrows(QUANTITY_OUT_OF_RANGE);
    });

    it('a repeated vendor answer is a no-op', () => {
      given([...activeO365, cancellationRequested(5, 5), { type: 'SubscriptionCancelled', data: cancelledData(5, 0) }]).when(vendorCancelled()).thenNothingHappened();
    });

    it.each([
      ['no change is pending', activeO365],
      ['another change is pending', [...activeO365, cancellationRequested(1, 5, '2021-08-01', 'chg-other')]],
      ['the pending change is a quantity change', [...activeO365, quantityChangeRequested(5, 8)]],
    ] as [string, SubscriptionEvent[]][])('refused when %s → 409 INVALID_STATE', (_when, events) => {
      given(events).when(vendorCancelled()).thenThrows(INVALID_STATE);
    });

    it('a key revocation for a product without a key → 422 PRODUCT_KEY_NOT_EXPECTED', () => {
      given([...activeO365, cancellationRequested(5, 5)]).when(vendorCancelled(true)).thenThrows({ kind: 'rule', code: 'PRODUCT_KEY_NOT_EXPECTED' });
    });
  });
});

describe('subscription decider: quantity change (追加 / 数量変更)', () => {
  it('an add: the new seat count waits for the vendor', () => {
    given(activeO365).when(changeQuantity(8)).then([quantityChangeRequested(5, 8)]);
    given(activeO365).when(changeQuantity(8)).thenState({ status: 'ACTIVE', quantity: 5, pendingChange: { kind: 'QUANTITY_CHANGE', changeId: CHANGE, newQuantity: 8, requestedOn: '2021-08-01', attempts: 0 } });
  });

  it('a reduction through a quantity change', () => {
    given(activePocketalk).when(changeQuantity(5)).then([quantityChangeRequested(10, 5)]);
  });

  it('the vendor confirms: SubscriptionQuantityChanged with the previous and the new quantity', () => {
    given([...activeO365, quantityChangeRequested(5, 8)])
      .when(vendorQuantityChanged())
      .then([
        {
          type: 'SubscriptionQuantityChanged',
          data: {
            ...reference(o365, 8),
            status: 'ACTIVE',
            changeId: CHANGE,
            vendorSubscriptionId: GUID,
            previousQuantity: 5,
            newQuantity: 8,
            requestedOn: '2021-08-01',
            changedAt: CHANGED_AT,
          },
        },
      ]);
    given([...activeO365, quantityChangeRequested(5, 8)]).when(vendorQuantityChanged()).thenState((state) => {
      expect(state).toMatchObject({ status: 'ACTIVE', quantity: 8, settledChanges: { [CHANGE]: 'QUANTITY_CHANGED' } });
      expect(state).not.toHaveProperty('pendingChange');
    });
  });

  it.each([[0], [-3]])('new quantity %s → 422 QUANTITY_OUT_OF_RANGE', (newQuantity) => {
    given(activeO365).when(changeQuantity(newQuantity)).thenThrows(QUANTITY_OUT_OF_RANGE);
  });

  it('the same quantity as now → 422 QUANTITY_UNCHANGED', () => {
    given(activeO365).when(changeQuantity(5)).thenThrows({ kind: 'rule', code: 'QUANTITY_UNCHANGED' });
  });

  it('software seats are not changed (only cancelled within the window) → 422 QUANTITY_CHANGE_NOT_SUPPORTED', () => {
    given(activeWinServer).when(changeQuantity(2)).thenThrows({ kind: 'rule', code: 'QUANTITY_CHANGE_NOT_SUPPORTED' });
  });

  it.each([
    ['is still PROVISIONING', [requested(o365)]],
    ['is CANCELLED', [...activeO365, cancellationRequested(5, 5, '2021-08-01', 'chg-0'), { type: 'SubscriptionCancelled', data: cancelledData(5, 0, 'chg-0') }]],
  ] as [string, SubscriptionEvent[]][])('refused when the subscription %s → 409 INVALID_STATE', (_when, events) => {
    given(events).when(changeQuantity(8)).thenThrows(INVALID_STATE);
  });

  it('refused while a cancellation waits for the vendor → 409 CHANGE_IN_PROGRESS', () => {
    given([...activeO365, cancellationRequested(1, 5, '2021-08-01', 'chg-0')]).when(changeQuantity(8)).thenThrows({ kind: 'conflict', code: 'CHANGE_IN_PROGRESS' });
  });

  it('redelivery of the same change is a no-op, pending or done', () => {
    given([...activeO365, quantityChangeRequested(5, 8)]).when(changeQuantity(8)).thenNothingHappened();
    const changed: SubscriptionEvent = {
      type: 'SubscriptionQuantityChanged',
      data: { ...reference(o365, 8), status: 'ACTIVE', changeId: CHANGE, vendorSubscriptionId: GUID, previousQuantity: 5, newQuantity: 8, requestedOn: '2021-08-01', changedAt: CHANGED_AT },
    };
    given([...activeO365, quantityChangeRequested(5, 8), changed]).when(changeQuantity(8)).thenNothingHappened();
    given([...activeO365, quantityChangeRequested(5, 8), changed]).when(vendorQuantityChanged()).thenNothingHappened();
  });

  it('a quantity answer while a cancellation is pending → 409 INVALID_STATE', () => {
    given([...activeO365, cancellationRequested(1, 5)]).when(vendorQuantityChanged()).thenThrows(INVALID_STATE);
  });
});

describe('subscription decider: failed vendor calls of a change', () => {
  it('counts the attempts of the pending change; the subscription stays ACTIVE', () => {
    given([...activeO365, cancellationRequested(2, 5)]).when(changeAttemptFailed(1)).then([changeAttemptFailedEvent(1)]);
    given([...activeO365, cancellationRequested(2, 5), changeAttemptFailedEvent(1)])
      .when(changeAttemptFailed(2))
      .thenState({ status: 'ACTIVE', quantity: 5, pendingChange: { kind: 'CANCELLATION', quantity: 2, requestedOn: '2021-08-01', changeId: CHANGE, attempts: 2, lastAttemptError: 'Partner Center unavailable (503)', lastAttemptWillRetry: true, lastAttemptAt: FAILED_AT } });
  });

  it('a report of an attempt already counted is ignored', () => {
    given([...activeO365, cancellationRequested(2, 5), changeAttemptFailedEvent(1), changeAttemptFailedEvent(2)]).when(changeAttemptFailed(2)).thenNothingHappened();
    given([...activeO365, cancellationRequested(2, 5), changeAttemptFailedEvent(1)]).when(changeAttemptFailed(1)).thenNothingHappened();
  });

  it('an attempt number below 1 → 400', () => {
    given([...activeO365, cancellationRequested(2, 5)]).when(changeAttemptFailed(0)).thenThrows({ kind: 'invalid' });
  });

  it('an attempt for a change that is not pending → 409 INVALID_STATE', () => {
    given(activeO365).when(changeAttemptFailed(1)).thenThrows(INVALID_STATE);
  });

  it.each([
    ['cancellation', 'CANCELLATION', cancellationRequested(2, 5)],
    ['quantity change', 'QUANTITY_CHANGE', quantityChangeRequested(5, 8)],
  ] as [string, 'CANCELLATION' | 'QUANTITY_CHANGE', SubscriptionEvent][])('the last try of a %s failed → SubscriptionChangeFailed; ACTIVE, unchanged', (_what, kind, pending) => {
    given([...activeO365, pending, changeAttemptFailedEvent(1), changeAttemptFailedEvent(2, false)]).when(failChange()).then([changeFailed(kind, 2)]);
    given([...activeO365, pending, changeAttemptFailedEvent(1), changeAttemptFailedEvent(2, false)])
      .when(failChange())
      .thenState((state) => {
        expect(state).toMatchObject({ status: 'ACTIVE', quantity: 5, settledChanges: { [CHANGE]: 'FAILED' } });
        expect(state).not.toHaveProperty('pendingChange');
      });
  });

  it('after a failure the same change is not retried by a redelivery, a new change may follow', () => {
    const events = [...activeO365, cancellationRequested(2, 5), changeFailed('CANCELLATION')];
    given(events).when(failChange()).thenNothingHappened();
    given(events).when(changeAttemptFailed(3)).thenNothingHappened();
    given(events).when(vendorCancelled()).thenNothingHappened();
    given(events).when(cancel(2, '2021-08-03', 'chg-2')).then([cancellationRequested(2, 5, '2021-08-03', 'chg-2')]);
  });

  it('a failure with a blank reason → 400', () => {
    given([...activeO365, cancellationRequested(2, 5)]).when({ type: 'RecordChangeFailed', changeId: CHANGE, reason: ' ', failedAt: FAILED_AT }).thenThrows({ kind: 'invalid' });
  });
});

describe('published change events carry what the contract service needs', () => {
  it.each([
    ['SubscriptionCancellationRefused', refused('2021-08-15')],
    ['SubscriptionCancelled', { type: 'SubscriptionCancelled', data: cancelledData(2, 3) }],
    ['SubscriptionChangeFailed', changeFailed('CANCELLATION')],
  ] as [string, SubscriptionEvent][])('%s has subscription, order, line, customer, reseller, sku, quantity, status and the change id', (type, event) => {
    expect(SUBSCRIPTION_INTEGRATION_EVENT_TYPES).toContain(type);
    for (const field of ['subscriptionId', 'orderId', 'orderLineId', 'customerId', 'resellerId', 'sku', 'quantity', 'status', 'changeId']) {
      expect(event.data).toHaveProperty(field);
    }
  });

  it('the pending steps stay internal', () => {
    for (const type of ['SubscriptionCancellationRequested', 'SubscriptionQuantityChangeRequested', 'SubscriptionChangeAttemptFailed']) {
      expect(SUBSCRIPTION_INTEGRATION_EVENT_TYPES).not.toContain(type);
    }
  });
});

describe('cancellationRequestsFrom / quantityChangeRequestsFrom (a linked change → one command per subscription stream)', () => {
  it('maps each linked line to a RequestCancellation on its subscription stream', () => {
    const linked = {
      changeId: 'chg-9',
      contractId: 'ct-1',
      requestedOn: '2021-08-01',
      lines: [
        { subscriptionId: 'sub-a', contractLineId: 'cl-1', quantity: 3 },
        { subscriptionId: 'sub-b', contractLineId: 'cl-2', quantity: 1 },
      ],
    };
    expect(cancellationRequestsFrom(linked)).toEqual([
      { subscriptionId: 'sub-a', streamId: subscriptionStreamId('sub-a'), command: { type: 'RequestCancellation', changeId: 'chg-9', quantity: 3, requestedOn: '2021-08-01' } },
      { subscriptionId: 'sub-b', streamId: subscriptionStreamId('sub-b'), command: { type: 'RequestCancellation', changeId: 'chg-9', quantity: 1, requestedOn: '2021-08-01' } },
    ]);
  });

  it('the commands are accepted by the decider of an ACTIVE subscription', () => {
    const [first] = cancellationRequestsFrom({ changeId: CHANGE, requestedOn: '2021-08-01', lines: [{ subscriptionId: SUB_ID, quantity: 2 }] });
    given(activeO365).when(first.command).then([cancellationRequested(2, 5)]);
  });

  it('takes the published CancellationLinked / QuantityChangeLinked payloads as they are', () => {
    const reference = { changeId: 'chg-7', contractId: 'ct-1', contractNumber: 'NCN202107-0000003109', orderId: 'o-1', customerId: 'c-1', resellerId: 'r-direct' };
    const lineOf = { lineId: 'l-1', orderLineId: 'l-1', sku: 'MS-O365-E1', productName: 'Office 365 E1', subscriptionId: SUB_ID };
    const linked = {
      ...reference,
      type: 'CANCELLATION',
      requestedOn: '2021-08-01',
      linkedOn: '2021-08-02',
      lines: [{ ...lineOf, currentQuantity: 5, quantity: 3, remainingQuantity: 2 }],
    } as unknown as CancellationLinked['data'];
    expect(cancellationRequestsFrom(linked)[0].command).toEqual({ type: 'RequestCancellation', changeId: 'chg-7', quantity: 3, requestedOn: '2021-08-01' });
    const quantity = { ...reference, type: 'ADD', requestedOn: '2021-08-01', linkedOn: '2021-08-02', lines: [{ ...lineOf, previousQuantity: 5, newQuantity: 8 }] } as unknown as QuantityChangeLinked['data'];
    expect(quantityChangeRequestsFrom(quantity)[0].command).toEqual({ type: 'RequestQuantityChange', changeId: 'chg-7', newQuantity: 8, requestedOn: '2021-08-01' });
  });

  it('maps a linked quantity change likewise', () => {
    const [first] = quantityChangeRequestsFrom({ changeId: CHANGE, requestedOn: '2021-08-01', lines: [{ subscriptionId: SUB_ID, newQuantity: 8 }] });
    expect(first.streamId).toBe(subscriptionStreamId(SUB_ID));
    given(activeO365).when(first.command).then([quantityChangeRequested(5, 8)]);
  });
});

// Hoisted helpers for events used in tables above.
function cancelledData(cancelledQuantity: number, remainingQuantity: number, changeId = CHANGE): Extract<SubscriptionEvent, { type: 'SubscriptionCancelled' }>['data'] {
  const previousQuantity = cancelledQuantity + remainingQuantity;
  return {
    ...reference(o365, remainingQuantity),
    status: remainingQuantity === 0 ? 'CANCELLED' : 'ACTIVE',
    changeId,
    vendorSubscriptionId: GUID,
    previousQuantity,
    cancelledQuantity,
    remainingQuantity,
    requestedOn: '2021-08-01',
    cancelledAt: CANCELLED_AT,
  };
}

function refused(requestedOn: string): SubscriptionEvent {
  return {
    type: 'SubscriptionCancellationRefused',
    data: {
      ...reference(winServer),
      status: 'ACTIVE',
      changeId: CHANGE,
      requestedQuantity: 1,
      requestedOn,
      code: 'REFUND_WINDOW_CLOSED',
      reason: '返金期間(2021-08-14まで)を過ぎているため解約できません',
      cancellationAllowedUntil: '2021-08-14',
    },
  };
}

function changeFailed(change: 'CANCELLATION' | 'QUANTITY_CHANGE', attempts = 0): SubscriptionEvent {
  return {
    type: 'SubscriptionChangeFailed',
    data: { ...reference(o365), status: 'ACTIVE', changeId: CHANGE, change, reason: 'Partner Center unavailable (503)', attempts, failedAt: FAILED_AT },
  };
}

describe('product change through the quantity change (数量・商品変更 to an upgrade)', () => {
  const toE3: SubscriptionCommand = { type: 'RequestQuantityChange', changeId: CHANGE, newQuantity: o365.quantity, requestedOn: '2021-08-01', newSku: 'MS-O365-E3' };

  it('asks the vendor to move the subscription to the new product, even at the same seat count', () => {
    given(activeO365).when(toE3).thenState((state) => expect(state).toMatchObject({ pendingChange: { kind: 'QUANTITY_CHANGE', newSku: 'MS-O365-E3' } }));
  });

  it('once the vendor answered, the subscription is the new product, and says which it was', () => {
    const requestedEvents = subscriptionDecider.decide(toE3, [...activeO365].reduce(subscriptionDecider.evolve, subscriptionDecider.initialState()));
    given([...activeO365, ...requestedEvents])
      .when(vendorQuantityChanged())
      .thenState((state) => expect(state).toMatchObject({ sku: 'MS-O365-E3', quantity: o365.quantity }));
    const [changed] = subscriptionDecider.decide(vendorQuantityChanged(), [...activeO365, ...requestedEvents].reduce(subscriptionDecider.evolve, subscriptionDecider.initialState()));
    expect(changed.data).toMatchObject({ sku: 'MS-O365-E3', previousSku: o365.sku });
  });
});
