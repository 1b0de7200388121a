import { OrderPlaced, SUBSCRIPTION_INTEGRATION_EVENT_TYPES } from '@lp/integration-events';
import { DeciderSpecification } from '@lp/testing';
import {
  addDays,
  cancellationAllowedUntil,
  provisioningRequestsFrom,
  RequestProvisioning,
  SUBSCRIPTION_STATUS_LABELS,
  SubscriptionCommand,
  subscriptionDecider,
  SubscriptionEvent,
  subscriptionIdForLine,
  subscriptionStatusLabel,
  subscriptionStreamId,
  tokyoBusinessDate,
} from '../../src/domain/subscription';
import { GUID, KEY, Line, LINE_ID, o365, pocketalk, reference, REQUESTED_AT, requested, SUB_ID, winServer } from '../support/subscription-fixtures';

const given = DeciderSpecification.for(subscriptionDecider);

const PROVISIONED_AT = '2021-07-15T01:00:05.000Z'; // 10:00 in Tokyo, 2021-07-15
const ACTIVATED_AT = '2021-07-20T02:00:00.000Z';
const FAILED_AT = '2021-07-15T01:05:00.000Z';

const request = (line: Line = o365): SubscriptionCommand => ({ type: 'RequestProvisioning', line, requestedAt: REQUESTED_AT });
const vendorProvisioned = (vendorSubscriptionId = GUID, productKey?: string): SubscriptionCommand => ({
  type: 'RecordVendorProvisioned',
  vendorSubscriptionId,
  ...(productKey !== undefined ? { productKey } : {}),
  provisionedAt: PROVISIONED_AT,
});
const provisionedActive = (line: Line = o365): SubscriptionEvent => ({
  type: 'SubscriptionProvisioned',
  data: { ...reference(line), status: 'ACTIVE', vendorSubscriptionId: GUID, provisionedAt: PROVISIONED_AT, cancellationAllowedUntil: null },
});
const provisionedManual: SubscriptionEvent = {
  type: 'SubscriptionProvisioned',
  data: {
    ...reference(pocketalk),
    status: 'MANUAL_PROVISIONING',
    vendorSubscriptionId: 'SO-0000000001',
    provisionedAt: PROVISIONED_AT,
    cancellationAllowedUntil: null,
  },
};
const provisionedKey: SubscriptionEvent = {
  type: 'SubscriptionProvisioned',
  data: {
    ...reference(winServer),
    status: 'ACTIVE',
    vendorSubscriptionId: GUID,
    productKey: KEY,
    provisionedAt: PROVISIONED_AT,
    cancellationAllowedUntil: '2021-08-14',
  },
};
const activate: SubscriptionCommand = { type: 'Activate', activatedAt: ACTIVATED_AT, activatedBy: 'u-distributor' };
const activated: SubscriptionEvent = {
  type: 'SubscriptionActivated',
  data: { ...reference(pocketalk), status: 'ACTIVE', vendorSubscriptionId: 'SO-0000000001', activatedAt: ACTIVATED_AT, activatedBy: 'u-distributor' },
};

const attemptFailed = (attempt: number, willRetry = true, reason = 'Partner Center unavailable (503)'): SubscriptionCommand => ({
  type: 'RecordVendorAttemptFailed',
  attempt,
  reason,
  willRetry,
  failedAt: FAILED_AT,
});
const attemptFailedEvent = (attempt: number, willRetry = true, reason = 'Partner Center unavailable (503)', round = 1): SubscriptionEvent => ({
  type: 'ProvisioningAttemptFailed',
  data: { subscriptionId: SUB_ID, round, attempt, reason, willRetry, failedAt: FAILED_AT },
});
const failProvisioning = (reason = 'Partner Center unavailable (503)'): SubscriptionCommand => ({ type: 'RecordProvisioningFailed', reason, failedAt: FAILED_AT });
const failedEvent = (attempts: number, reason = 'Partner Center unavailable (503)', line: Line = o365): SubscriptionEvent => ({
  type: 'ProvisioningFailed',
  data: { ...reference(line), status: 'FAILED', reason, attempts, failedAt: FAILED_AT },
});

const INVALID_STATE = { kind: 'conflict', code: 'INVALID_STATE' } as const;

describe('subscription decider (one vendor subscription per placed order line)', () => {
  describe('identity', () => {
    // Known answers: the ids of subscriptions already stored. A change of namespace, name or
    // algorithm would give a redelivered OrderPlaced a new stream, i.e. a second subscription.
    it.each([
      [LINE_ID, '1ce66320-fa88-5002-8199-7f573f10ccdf'],
      ['l-1', 'f5894aef-5bcc-51cc-802c-b61988ca8fc2'],
      ['another-line', '03097261-d023-5847-997c-e4e42d0b691e'],
      ['注文明細-1', 'bcc1bdd2-1279-5ece-b2d3-b0f263b50d7f'],
    ])('derives the subscription id from the order line id: line %s → %s, every time', (lineId, subscriptionId) => {
      expect(subscriptionIdForLine(lineId)).toBe(subscriptionId);
      expect(subscriptionIdForLine(lineId)).toBe(subscriptionId);
    });

    it('the id is a version-5 UUID and differs from the line id', () => {
      expect(SUB_ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(SUB_ID).not.toBe(LINE_ID);
    });

    it('streams are named subscription-<id>', () => {
      expect(subscriptionStreamId(SUB_ID)).toBe(`subscription-${SUB_ID}`);
    });
  });

  describe('RequestProvisioning', () => {
    it('records the placed line with its derived subscription id, status PROVISIONING', () => {
      given([]).when(request()).then([
        {
          type: 'SubscriptionRequested',
          data: { subscriptionId: SUB_ID, ...o365, status: 'PROVISIONING', requestedAt: REQUESTED_AT },
        },
      ]);
    });

    it.each([
      ['an automatic product', o365],
      ['a manual product (it waits for the StreamOne answer first)', pocketalk],
      ['a key product', winServer],
    ])('%s starts in PROVISIONING with no attempt and no vendor id', (_what, line) => {
      given([]).when(request(line)).thenState({ status: 'PROVISIONING', attempts: 0, cancellationAllowedUntil: null, provisioning: line.provisioning });
      given([]).when(request(line)).thenState((state) => expect(state).not.toHaveProperty('vendorSubscriptionId'));
    });

    it('a redelivered request for the same line is a no-op (idempotent)', () => {
      given([requested()]).when(request()).thenNothingHappened();
    });

    it.each([
      ['already active', [requested(), provisionedActive()]],
      ['failed', [requested(), failedEvent(0)]],
    ] as [string, SubscriptionEvent[]][])('a redelivered request when %s is a no-op too', (_when, events) => {
      given(events).when(request()).thenNothingHappened();
    });

    it('refuses a different line on an existing stream → conflict ALREADY_EXISTS', () => {
      given([requested()]).when(request({ ...o365, orderId: 'o-2' })).thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS' });
    });

    it('refuses a negative refund window → VALIDATION_FAILED', () => {
      given([])
        .when(request({ ...winServer, refundWindowDays: -1 }))
        .thenThrows({ kind: 'invalid', errors: [{ path: 'refundWindowDays', message: expect.any(String) }] });
    });
  });

  describe('RecordVendorProvisioned', () => {
    it('automatic product → SubscriptionProvisioned ACTIVE with the vendor GUID', () => {
      given([requested()]).when(vendorProvisioned()).then([provisionedActive()]);
    });

    it('automatic product → state ACTIVE, activated at the provisioning time', () => {
      given([requested()]).when(vendorProvisioned()).thenState({ status: 'ACTIVE', vendorSubscriptionId: GUID, provisionedAt: PROVISIONED_AT, activatedAt: PROVISIONED_AT });
    });

    it('manual product → SubscriptionProvisioned MANUAL_PROVISIONING (waits for staff)', () => {
      given([requested(pocketalk)]).when(vendorProvisioned('SO-0000000001')).then([provisionedManual]);
    });

    it('manual product → state MANUAL_PROVISIONING, not yet activated', () => {
      given([requested(pocketalk)])
        .when(vendorProvisioned('SO-0000000001'))
        .thenState((state) => {
          expect(state).toMatchObject({ status: 'MANUAL_PROVISIONING', vendorSubscriptionId: 'SO-0000000001', provisionedAt: PROVISIONED_AT });
          expect(state).not.toHaveProperty('activatedAt');
        });
    });

    it('key product → ACTIVE with the product key and cancellationAllowedUntil = provisioning date + 30 days', () => {
      given([requested(winServer)]).when(vendorProvisioned(GUID, KEY)).then([provisionedKey]);
    });

    it('key product → the state holds the key and the window', () => {
      given([requested(winServer)]).when(vendorProvisioned(GUID, KEY)).thenState({ status: 'ACTIVE', productKey: KEY, cancellationAllowedUntil: '2021-08-14' });
    });

    it('the legacy key product uses its 60-day window', () => {
      const [event] = given([requested({ ...winServer, sku: 'MS-SQLSRV-2019-STD-LEGACY', refundWindowDays: 60 })]).when(vendorProvisioned(GUID, KEY)).events();
      expect(event).toMatchObject({ data: { cancellationAllowedUntil: '2021-09-13' } });
    });

    it('the window counts from the business date in Tokyo (2021-07-15 15:30 UTC is already 7/16 in Tokyo)', () => {
      const [event] = given([requested(winServer)])
        .when({ type: 'RecordVendorProvisioned', vendorSubscriptionId: GUID, productKey: KEY, provisionedAt: '2021-07-15T15:30:00.000Z' })
        .events();
      expect(event).toMatchObject({ data: { cancellationAllowedUntil: '2021-08-15' } });
    });

    it('refuses a key product without a key → rule PRODUCT_KEY_REQUIRED', () => {
      given([requested(winServer)]).when(vendorProvisioned(GUID)).thenThrows({ kind: 'rule', code: 'PRODUCT_KEY_REQUIRED' });
    });

    it('refuses a key for a product that is not software → rule PRODUCT_KEY_NOT_EXPECTED', () => {
      given([requested()]).when(vendorProvisioned(GUID, KEY)).thenThrows({ kind: 'rule', code: 'PRODUCT_KEY_NOT_EXPECTED' });
    });

    it('refuses an empty vendor subscription id → VALIDATION_FAILED', () => {
      given([requested()]).when(vendorProvisioned('  ')).thenThrows({ kind: 'invalid', errors: [{ path: 'vendorSubscriptionId', message: 'is required' }] });
    });

    it('the same vendor answer again is a no-op (redelivery)', () => {
      given([requested(), provisionedActive()]).when(vendorProvisioned()).thenNothingHappened();
      given([requested(pocketalk), provisionedManual, activated]).when(vendorProvisioned('SO-0000000001')).thenNothingHappened();
    });

    it('refuses another vendor id once provisioned → INVALID_STATE', () => {
      given([requested(), provisionedActive()]).when(vendorProvisioned('00000000-0000-0000-0000-000000000000')).thenThrows(INVALID_STATE);
    });

    it('refuses after the subscription FAILED → INVALID_STATE (a late answer needs a decision, see the report)', () => {
      given([requested(), failedEvent(0)]).when(vendorProvisioned()).thenThrows(INVALID_STATE);
    });

    it('refuses on a subscription that does not exist → INVALID_STATE', () => {
      given([]).when(vendorProvisioned()).thenThrows(INVALID_STATE);
    });

    it('succeeds after failed attempts (a retry that succeeds)', () => {
      given([requested(), attemptFailedEvent(1), attemptFailedEvent(2)])
        .when(vendorProvisioned())
        .thenState({ status: 'ACTIVE', attempts: 2, vendorSubscriptionId: GUID });
    });
  });

  describe('Activate (distributor staff, manual products)', () => {
    it('MANUAL_PROVISIONING → SubscriptionActivated ACTIVE', () => {
      given([requested(pocketalk), provisionedManual]).when(activate).then([activated]);
    });

    it('the state is ACTIVE with activatedAt', () => {
      given([requested(pocketalk), provisionedManual]).when(activate).thenState({ status: 'ACTIVE', activatedAt: ACTIVATED_AT, provisionedAt: PROVISIONED_AT });
    });

    it('activatedBy is optional', () => {
      given([requested(pocketalk), provisionedManual])
        .when({ type: 'Activate', activatedAt: ACTIVATED_AT })
        .then([{ type: 'SubscriptionActivated', data: { ...reference(pocketalk), status: 'ACTIVE', vendorSubscriptionId: 'SO-0000000001', activatedAt: ACTIVATED_AT } }]);
    });

    it.each([
      ['does not exist', []],
      ['is still PROVISIONING (StreamOne has not answered)', [requested(pocketalk)]],
      ['is already ACTIVE (activated before)', [requested(pocketalk), provisionedManual, activated]],
      ['is an automatic one, ACTIVE on provisioning', [requested(), provisionedActive()]],
      ['is FAILED', [requested(pocketalk), failedEvent(5, 'StreamOne refused', pocketalk)]],
    ] as [string, SubscriptionEvent[]][])('is refused when the subscription %s → 409 INVALID_STATE', (_when, events) => {
      given(events).when(activate).thenThrows(INVALID_STATE);
    });
  });

  describe('failed vendor calls: retried, then FAILED with the reason', () => {
    it('a failed attempt is recorded, status stays PROVISIONING', () => {
      given([requested()]).when(attemptFailed(1)).then([attemptFailedEvent(1)]);
      given([requested()]).when(attemptFailed(1)).thenState({ status: 'PROVISIONING', attempts: 1, lastAttemptError: 'Partner Center unavailable (503)' });
    });

    it('attempts add up', () => {
      given([requested(), attemptFailedEvent(1), attemptFailedEvent(2)]).when(attemptFailed(3)).thenState({ status: 'PROVISIONING', attempts: 3 });
    });

    it('a report of an attempt already recorded is a no-op (redelivery)', () => {
      given([requested(), attemptFailedEvent(1), attemptFailedEvent(2)]).when(attemptFailed(2)).thenNothingHappened();
      given([requested(), attemptFailedEvent(1), attemptFailedEvent(2)]).when(attemptFailed(1)).thenNothingHappened();
    });

    it('the last attempt is recorded with willRetry false', () => {
      given([requested(), attemptFailedEvent(1)]).when(attemptFailed(2, false, 'Customer tenant not found (404)')).then([
        attemptFailedEvent(2, false, 'Customer tenant not found (404)'),
      ]);
    });

    it('RecordProvisioningFailed → ProvisioningFailed FAILED with the reason and the attempts', () => {
      given([requested(), attemptFailedEvent(1), attemptFailedEvent(2), attemptFailedEvent(3, false)]).when(failProvisioning()).then([failedEvent(3)]);
    });

    it('the state is FAILED with the reason (shown in the list)', () => {
      given([requested(), attemptFailedEvent(1, false, 'Invalid SKU (400)')])
        .when(failProvisioning('Invalid SKU (400)'))
        .thenState({ status: 'FAILED', failureReason: 'Invalid SKU (400)', failedAt: FAILED_AT, attempts: 1 });
    });

    it('a manual product whose StreamOne order failed ends FAILED too', () => {
      given([requested(pocketalk), attemptFailedEvent(1, false, 'StreamOne refused')])
        .when(failProvisioning('StreamOne refused'))
        .then([failedEvent(1, 'StreamOne refused', pocketalk)]);
    });

    it('failing again once FAILED is a no-op', () => {
      given([requested(), failedEvent(1)]).when(failProvisioning()).thenNothingHappened();
    });

    it.each([
      ['ACTIVE', [requested(), provisionedActive()]],
      ['MANUAL_PROVISIONING', [requested(pocketalk), provisionedManual]],
    ] as [string, SubscriptionEvent[]][])('refuses to fail a subscription that is %s → INVALID_STATE', (_status, events) => {
      given(events).when(failProvisioning()).thenThrows(INVALID_STATE);
    });

    it.each([
      ['ACTIVE', [requested(), provisionedActive()]],
      ['FAILED', [requested(), failedEvent(0)]],
    ] as [string, SubscriptionEvent[]][])('refuses a new failed attempt on a subscription that is %s → INVALID_STATE', (_status, events) => {
      given(events).when(attemptFailed(1)).thenThrows(INVALID_STATE);
    });

    it('refuses attempt numbers below 1 → VALIDATION_FAILED', () => {
      given([requested()]).when(attemptFailed(0)).thenThrows({ kind: 'invalid', errors: [{ path: 'attempt', message: expect.any(String) }] });
    });

    it('refuses an empty reason → VALIDATION_FAILED', () => {
      given([requested()]).when(failProvisioning(' ')).thenThrows({ kind: 'invalid', errors: [{ path: 'reason', message: 'is required' }] });
    });

    it('refuses on a subscription that does not exist → INVALID_STATE', () => {
      given([]).when(attemptFailed(1)).thenThrows(INVALID_STATE);
      given([]).when(failProvisioning()).thenThrows(INVALID_STATE);
    });
  });

  describe('RetryProvisioning (staff try a FAILED subscription again: a retry that succeeds)', () => {
    const RETRIED_AT = '2021-07-16T00:00:00.000Z';
    const retry: SubscriptionCommand = { type: 'RetryProvisioning', retriedAt: RETRIED_AT, retriedBy: 'u-admin' };
    const retried: SubscriptionEvent = {
      type: 'ProvisioningRetried',
      data: { ...reference(o365), status: 'PROVISIONING', retriedAt: RETRIED_AT, retriedBy: 'u-admin' },
    };
    const failedRound1 = [requested(), attemptFailedEvent(1), attemptFailedEvent(2, false), failedEvent(2)];
    const secondRound = (attempt: number): SubscriptionCommand => ({ ...attemptFailed(attempt), round: 2 } as SubscriptionCommand);

    it('FAILED → ProvisioningRetried, status PROVISIONING', () => {
      given(failedRound1).when(retry).then([retried]);
    });

    it('retriedBy is optional', () => {
      given(failedRound1)
        .when({ type: 'RetryProvisioning', retriedAt: RETRIED_AT })
        .then([{ type: 'ProvisioningRetried', data: { ...reference(o365), status: 'PROVISIONING', retriedAt: RETRIED_AT } }]);
    });

    it('starts a new round: attempts back to 0, the failure cleared from the state', () => {
      given(failedRound1)
        .when(retry)
        .thenState((state) => {
          expect(state).toMatchObject({ status: 'PROVISIONING', attempts: 0, round: 2 });
          expect(state).not.toHaveProperty('failureReason');
          expect(state).not.toHaveProperty('lastAttemptError');
        });
    });

    it('a retry that succeeds → ACTIVE', () => {
      given([...failedRound1, retried]).when(vendorProvisioned()).then([provisionedActive()]);
    });

    it('attempts of the new round count from 1 and are recorded with their round', () => {
      given([...failedRound1, retried]).when(secondRound(1)).then([attemptFailedEvent(1, true, 'Partner Center unavailable (503)', 2)]);
      given([...failedRound1, retried, attemptFailedEvent(1, true, 'Partner Center unavailable (503)', 2)])
        .when(secondRound(2))
        .thenState({ status: 'PROVISIONING', attempts: 2, round: 2 });
    });

    it('a late report of an attempt of the earlier round is ignored (dedupe across rounds)', () => {
      given([...failedRound1, retried]).when(attemptFailed(1)).thenNothingHappened();
      given([...failedRound1, retried]).when(attemptFailed(3)).thenNothingHappened();
    });

    it('a redelivered attempt report of the new round is ignored too', () => {
      given([...failedRound1, retried, attemptFailedEvent(1, true, 'x', 2)]).when(secondRound(1)).thenNothingHappened();
    });

    it('refuses a report from a round that has not started → VALIDATION_FAILED', () => {
      given([requested()]).when(secondRound(1)).thenThrows({ kind: 'invalid', errors: [{ path: 'round', message: expect.any(String) }] });
    });

    it('the new round may fail again → FAILED with the attempts of that round', () => {
      given([...failedRound1, retried, attemptFailedEvent(1, false, 'Partner Center unavailable (503)', 2)])
        .when(failProvisioning())
        .then([failedEvent(1)]);
    });

    it('a FAILED manual product can be retried as well', () => {
      given([requested(pocketalk), failedEvent(1, 'StreamOne refused', pocketalk)])
        .when(retry)
        .then([{ type: 'ProvisioningRetried', data: { ...reference(pocketalk), status: 'PROVISIONING', retriedAt: RETRIED_AT, retriedBy: 'u-admin' } }]);
    });

    it.each([
      ['does not exist', []],
      ['is PROVISIONING (already retrying)', [...failedRound1, retried]],
      ['is ACTIVE', [requested(), provisionedActive()]],
      ['is MANUAL_PROVISIONING', [requested(pocketalk), provisionedManual]],
    ] as [string, SubscriptionEvent[]][])('is refused when the subscription %s → 409 INVALID_STATE', (_when, events) => {
      given(events).when(retry).thenThrows(INVALID_STATE);
    });

    it('remembers whether the last failed call was to be retried (a crash right after giving up does not call the vendor again)', () => {
      given([requested()]).when(attemptFailed(1, false)).thenState({ lastAttemptWillRetry: false, lastAttemptAt: FAILED_AT });
      given([requested()]).when(attemptFailed(1, true)).thenState({ lastAttemptWillRetry: true });
    });

    it('an attempt event written before rounds existed counts as round 1', () => {
      const legacy: SubscriptionEvent = { type: 'ProvisioningAttemptFailed', data: { subscriptionId: SUB_ID, attempt: 1, reason: 'x', willRetry: true, failedAt: FAILED_AT } };
      given([requested(), legacy]).thenState({ attempts: 1, round: 1 });
    });
  });

  describe('published events carry what the contract service needs', () => {
    it.each([
      ['SubscriptionProvisioned', provisionedActive()],
      ['SubscriptionActivated', activated],
      ['ProvisioningFailed', failedEvent(1)],
      ['ProvisioningRetried', { type: 'ProvisioningRetried', data: { ...reference(o365), status: 'PROVISIONING', retriedAt: ACTIVATED_AT } }],
    ] as [string, SubscriptionEvent][])('%s has subscription, order, line, customer, reseller, sku, quantity and status', (_type, event) => {
      for (const field of ['subscriptionId', 'orderId', 'orderLineId', 'customerId', 'resellerId', 'sku', 'quantity', 'status']) {
        expect(event.data).toHaveProperty(field);
      }
    });

    it('names the published types', () => {
      expect(SUBSCRIPTION_INTEGRATION_EVENT_TYPES).toEqual([
        'SubscriptionProvisioned',
        'SubscriptionActivated',
        'ProvisioningFailed',
        'ProvisioningRetried',
        'SubscriptionCancellationRefused',
        'SubscriptionCancelled',
        'SubscriptionQuantityChanged',
        'SubscriptionChangeFailed',
      ]);
    });
  });

  describe('status labels', () => {
    it.each([
      ['PROVISIONING', 'プロビジョニング中'],
      ['MANUAL_PROVISIONING', 'マニュアルプロビジョニング'],
      ['ACTIVE', 'アクティベーション済'],
      ['FAILED', '失敗'],
      ['CANCELLED', '解約済'],
    ] as const)('%s → %s', (status, label) => {
      expect(subscriptionStatusLabel(status)).toBe(label);
    });

    it('every status has a label', () => {
      expect(Object.keys(SUBSCRIPTION_STATUS_LABELS).sort()).toEqual(['ACTIVE', 'CANCELLED', 'FAILED', 'MANUAL_PROVISIONING', 'PROVISIONING']);
    });
  });

  describe('evolve', () => {
    it('starts with no subscription', () => {
      given([]).thenState((state) => expect(state).toEqual({ status: 'NONE' }));
    });

    it('ignores events before SubscriptionRequested', () => {
      given([provisionedActive(), activated]).thenState((state) => expect(state).toEqual({ status: 'NONE' }));
    });

    it('the whole manual path folds to ACTIVE', () => {
      given([requested(pocketalk), provisionedManual, activated]).thenState({
        status: 'ACTIVE',
        vendorSubscriptionId: 'SO-0000000001',
        provisionedAt: PROVISIONED_AT,
        activatedAt: ACTIVATED_AT,
        quantity: 10,
        purchaseOrderNumber: 'PO-2021-0001',
      });
    });
  });

  describe('provisioningRequestsFrom (OrderPlaced → one RequestProvisioning per line)', () => {
    const placed: OrderPlaced['data'] = {
      orderId: 'o-1',
      resellerId: 'r-direct',
      customerId: 'c-1',
      orderNumber: 'NOD202107-0000007551',
      purchaseOrderNumber: 'PO-1',
      placedOn: '2021-07-15',
      fullyPlaced: true,
      lines: [
        { lineId: 'l-1', sku: 'MS-O365-E1', productName: 'Office 365 E1', vendor: 'Microsoft', channel: 'CSP', provisioning: 'automatic', billingPolicy: 'microsoft-csp-monthly', trial: false, term: 'monthly', unitPrice: 870, quantity: 3, tenantId: 'tn-1' },
        { lineId: 'l-2', sku: 'MS-WINSRV-2022-STD', productName: 'Windows Server 2022 Standard', vendor: 'Microsoft', channel: 'CSP', provisioning: 'key', billingPolicy: 'onprem-software', trial: false, refundWindowDays: 30, term: 'one-time', unitPrice: 120000, quantity: 1, tenantId: 'tn-1' },
      ],
    };

    it('copies the order and line data', () => {
      const commands = provisioningRequestsFrom(placed, REQUESTED_AT);
      expect(commands).toEqual<RequestProvisioning[]>([
        {
          type: 'RequestProvisioning',
          requestedAt: REQUESTED_AT,
          line: {
            orderId: 'o-1', orderLineId: 'l-1', customerId: 'c-1', resellerId: 'r-direct', sku: 'MS-O365-E1', quantity: 3, productName: 'Office 365 E1',
            vendor: 'Microsoft', channel: 'CSP', provisioning: 'automatic', billingPolicy: 'microsoft-csp-monthly', trial: false, tenantId: 'tn-1',
            purchaseOrderNumber: 'PO-1', placedOn: '2021-07-15',
          },
        },
        {
          type: 'RequestProvisioning',
          requestedAt: REQUESTED_AT,
          line: {
            orderId: 'o-1', orderLineId: 'l-2', customerId: 'c-1', resellerId: 'r-direct', sku: 'MS-WINSRV-2022-STD', quantity: 1, productName: 'Windows Server 2022 Standard',
            vendor: 'Microsoft', channel: 'CSP', provisioning: 'key', billingPolicy: 'onprem-software', trial: false, refundWindowDays: 30, tenantId: 'tn-1',
            purchaseOrderNumber: 'PO-1', placedOn: '2021-07-15',
          },
        },
      ]);
    });

    it('each command creates the subscription of its line', () => {
      const [first] = provisioningRequestsFrom(placed, REQUESTED_AT);
      const [event] = given([]).when(first).events();
      expect(event.data).toMatchObject({ subscriptionId: subscriptionIdForLine('l-1'), orderLineId: 'l-1' });
    });
  });
});

describe('cancellationAllowedUntil (Partner Center shows it per subscription)', () => {
  const software = (refundWindowDays: number) => ({ billingPolicy: 'onprem-software' as const, refundWindowDays });

  it.each([
    ['2021-07-15', 30, '2021-08-14'],
    ['2021-03-01', 60, '2021-04-30'],
    // month ends
    ['2021-01-31', 30, '2021-03-02'],
    ['2021-01-31', 28, '2021-02-28'],
    ['2021-08-31', 30, '2021-09-30'],
    ['2021-06-30', 1, '2021-07-01'],
    ['2021-04-30', 0, '2021-04-30'],
    // leap years
    ['2020-01-31', 30, '2020-03-01'],
    ['2020-02-28', 1, '2020-02-29'],
    ['2024-02-01', 28, '2024-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
    // year end
    ['2021-12-15', 30, '2022-01-14'],
    ['2021-12-31', 60, '2022-03-01'],
  ])('software started %s with a %s-day window → %s', (start, days, expected) => {
    expect(cancellationAllowedUntil(software(days), start)).toBe(expected);
  });

  it.each([['microsoft-csp-monthly'], ['microsoft-csp-usage'], ['stellr-cutoff']] as const)('a %s product has no window → null', (billingPolicy) => {
    expect(cancellationAllowedUntil({ billingPolicy }, '2021-07-15')).toBeNull();
  });

  it('a new-commerce licence (microsoft-nce) may be cancelled within 7 days: started 2027-01-10 → 2027-01-17', () => {
    expect(cancellationAllowedUntil({ billingPolicy: 'microsoft-nce' }, '2027-01-10')).toBe('2027-01-17');
  });

  it('software without a window in the catalog → null', () => {
    expect(cancellationAllowedUntil({ billingPolicy: 'onprem-software' }, '2021-07-15')).toBeNull();
  });

  it('refuses something that is not a date', () => {
    expect(() => addDays('2021-7-1', 1)).toThrow(RangeError);
    expect(() => addDays('2021-13-01', 1)).toThrow(RangeError);
    expect(() => addDays('2021-02-30', 1)).toThrow(RangeError);
  });

  it.each([
    ['2021-07-15T14:59:59.999Z', '2021-07-15'],
    ['2021-07-15T15:00:00.000Z', '2021-07-16'],
    ['2021-12-31T15:00:00.000Z', '2022-01-01'],
    ['2021-07-15T10:00:00+09:00', '2021-07-15'],
  ])('the business date in Tokyo of %s is %s', (timestamp, date) => {
    expect(tokyoBusinessDate(timestamp)).toBe(date);
  });

  it('refuses something that is not a timestamp', () => {
    expect(() => tokyoBusinessDate('yesterday')).toThrow(RangeError);
  });
});
