import { DeciderSpecification } from '@lp/testing';
import { CONTRACT_CHANGE_INTEGRATION_EVENT_TYPES, ContractChangeLine } from '@lp/integration-events';
import {
  ALREADY_LINKED_MESSAGE,
  changeStreamId,
  CONTRACT_CHANGE_STATUS_LABELS,
  CONTRACT_CHANGE_TYPE_LABELS,
  contractChangeDecider,
  ContractChangeEvent,
  ContractChangeState,
  ContractChangeType,
  ConfirmCancellation,
  ConfirmQuantityChange,
  LINK_STATUS_LABELS,
  RequestChange,
  requestChangeFrom,
  SUPPLIER_NOT_CONFIRMED_MESSAGE,
} from '../../src/domain/contract-change';
import { contractChangeRow } from '../../src/projections/contract-change-row';
import { BASIC, changeLine, E1, opened, PROJECT, reference, TODAY } from './change-fixtures';

const given = DeciderSpecification.for(contractChangeDecider);

const CHANGE_ID = 'ch-1';
const changeRef = (type: ContractChangeType = 'CANCELLATION') => ({ ...reference, changeId: CHANGE_ID, type });

// Lines: E1 3 of 3 cancelled (the whole line), Project 1 of 1, Basic 4 of 10 (a reduction).
const E1_ALL = changeLine(E1, 3, 0);
const PROJECT_ALL = changeLine(PROJECT, 1, 0);
const BASIC_ADD = changeLine(BASIC, 15, 15);

const request = (lines: ContractChangeLine[] = [E1_ALL], type: ContractChangeType = 'CANCELLATION'): RequestChange => ({
  type: 'RequestChange',
  changeId: CHANGE_ID,
  changeType: type,
  contract: reference,
  subject: 'テスト',
  requestedOn: TODAY,
  lines,
});

const requested = (lines: ContractChangeLine[] = [E1_ALL], type: ContractChangeType = 'CANCELLATION'): ContractChangeEvent => ({
  type: 'ContractChangeRequested',
  data: { ...changeRef(type), subject: 'テスト', requestedOn: TODAY, lines },
});
const accepted = (type: ContractChangeType = 'CANCELLATION'): ContractChangeEvent => ({
  type: 'ContractChangeAccepted',
  data: { ...changeRef(type), acceptedOn: TODAY },
});
const linkedLine = (line: ContractChangeLine) => ({
  lineId: line.lineId,
  orderLineId: line.orderLineId,
  sku: line.sku,
  productName: line.productName,
  subscriptionId: line.subscriptionId,
  currentQuantity: line.currentQuantity,
  quantity: line.quantity,
  remainingQuantity: line.newQuantity,
});
const cancellationLinked = (lines: ContractChangeLine[] = [E1_ALL]): ContractChangeEvent => ({
  type: 'CancellationLinked',
  data: { ...changeRef(), type: 'CANCELLATION', requestedOn: TODAY, linkedOn: TODAY, lines: lines.map(linkedLine) },
});
const quantityLine = (line: ContractChangeLine) => ({
  lineId: line.lineId,
  orderLineId: line.orderLineId,
  sku: line.sku,
  productName: line.productName,
  subscriptionId: line.subscriptionId,
  previousQuantity: line.currentQuantity,
  newQuantity: line.newQuantity,
});
const quantityLinked = (lines: ContractChangeLine[] = [BASIC_ADD], type: 'ADD' | 'CHANGE' = 'ADD'): ContractChangeEvent => ({
  type: 'QuantityChangeLinked',
  data: { ...changeRef(type), type, requestedOn: TODAY, linkedOn: TODAY, lines: lines.map(quantityLine) },
});
const vendorConfirmed = (line: ContractChangeLine = E1_ALL, confirmedOn = TODAY): ContractChangeEvent => ({
  type: 'VendorConfirmationRecorded',
  data: { changeId: CHANGE_ID, lineId: line.lineId, subscriptionId: line.subscriptionId, confirmedOn },
});
const REFUND_WINDOW_PASSED = 'outside the refund window (cancellation allowed until 2021-08-19)';
const vendorRefused = (line: ContractChangeLine = E1_ALL, reason = REFUND_WINDOW_PASSED): ContractChangeEvent => ({
  type: 'VendorRefusalRecorded',
  data: { changeId: CHANGE_ID, lineId: line.lineId, subscriptionId: line.subscriptionId, reason },
});

const confirmCancellation = (overrides: Partial<ConfirmCancellation> = {}): ConfirmCancellation => ({
  type: 'ConfirmCancellation',
  endDate: TODAY,
  confirmedOn: TODAY,
  ...overrides,
});
const confirmQuantityChange = (overrides: Partial<ConfirmQuantityChange> = {}): ConfirmQuantityChange => ({
  type: 'ConfirmQuantityChange',
  confirmedOn: TODAY,
  ...overrides,
});
const cancellationConfirmed = (lines: ContractChangeLine[] = [E1_ALL], forced = false): ContractChangeEvent => ({
  type: 'CancellationConfirmed',
  data: {
    ...changeRef(),
    type: 'CANCELLATION',
    requestedOn: TODAY,
    endDate: TODAY,
    cancelledOn: TODAY,
    forced,
    lines: lines.map((line) => ({
      lineId: line.lineId,
      orderLineId: line.orderLineId,
      sku: line.sku,
      productName: line.productName,
      subscriptionId: line.subscriptionId,
      cancelledQuantity: line.quantity,
      remainingQuantity: line.newQuantity,
    })),
  },
});

const existing = (state: ContractChangeState) => {
  if (state.status === 'NONE') throw new Error('expected an existing change');
  return state;
};

const LINKED = [requested(), accepted(), cancellationLinked()];

describe('contract change decider (契約変更)', () => {
  describe('RequestChange', () => {
    it('requests the change (published ContractChangeRequested) in APPLIED 申請, every line 未連携', () => {
      given().when(request()).then([requested()]);
      given()
        .when(request([E1_ALL, PROJECT_ALL]))
        .thenState((state) => {
          expect(state).toMatchObject({ status: 'APPLIED', changeId: CHANGE_ID, type: 'CANCELLATION', contract: reference, requestedOn: TODAY, subject: 'テスト' });
          expect(existing(state).lines.map((line) => [line.lineId, line.linkStatus, line.vendorStatus])).toEqual([
            [E1.lineId, 'NOT_LINKED', 'PENDING'],
            [PROJECT.lineId, 'NOT_LINKED', 'PENDING'],
          ]);
        });
    });

    it('is built from the contract’s ContractChangeOpened', () => {
      expect(requestChangeFrom(opened([E1_ALL]))).toEqual(request());
      expect(requestChangeFrom(opened([BASIC_ADD], { type: 'ADD', changeId: 'ch-9' }))).toEqual({ ...request([BASIC_ADD], 'ADD'), changeId: 'ch-9' });
    });

    it('is a no-op on a stream that already holds the change (the application retried)', () => {
      given([requested()]).when(request()).thenNothingHappened();
      given(LINKED).when(request()).thenNothingHappened();
    });

    it('refuses another change on the stream', () => {
      given([requested()])
        .when({ ...request(), changeId: 'ch-2' })
        .thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS' });
    });
  });

  describe('Accept (受付) and RevokeAcceptance (受付取消)', () => {
    it('accepts an APPLIED change: ACCEPTED 受付済, ContractChangeAccepted published', () => {
      given([requested()]).when({ type: 'Accept', acceptedOn: TODAY }).then([accepted()]);
      given([requested()])
        .when({ type: 'Accept', acceptedOn: TODAY })
        .thenState({ status: 'ACCEPTED', acceptedOn: TODAY });
    });

    it('refuses accepting twice, a change that does not exist, a completed or withdrawn one (409 INVALID_STATE)', () => {
      const acceptCommand = { type: 'Accept', acceptedOn: TODAY } as const;
      given().when(acceptCommand).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([requested(), accepted()]).when(acceptCommand).thenThrows({ kind: 'conflict', code: 'INVALID_STATE', message: expect.stringContaining('受付済') });
      given([...LINKED, vendorConfirmed(), cancellationConfirmed()]).when(acceptCommand).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([requested(), { type: 'ContractChangeWithdrawn', data: { ...changeRef(), withdrawnOn: TODAY } }])
        .when(acceptCommand)
        .thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });

    it('revokes the acceptance before linking: back to APPLIED 申請', () => {
      given([requested(), accepted()])
        .when({ type: 'RevokeAcceptance', revokedOn: TODAY })
        .then([{ type: 'ContractChangeAcceptanceRevoked', data: { changeId: CHANGE_ID, revokedOn: TODAY } }]);
      given([requested(), accepted()])
        .when({ type: 'RevokeAcceptance', revokedOn: TODAY })
        .thenState((state) => {
          expect(state.status).toBe('APPLIED');
          expect(existing(state).acceptedOn).toBeUndefined();
        });
    });

    it('can be accepted again after a revocation', () => {
      given([requested(), accepted(), { type: 'ContractChangeAcceptanceRevoked', data: { changeId: CHANGE_ID, revokedOn: TODAY } }])
        .when({ type: 'Accept', acceptedOn: '2021-07-21' })
        .then([{ type: 'ContractChangeAccepted', data: { ...changeRef(), acceptedOn: '2021-07-21' } }]);
    });

    it('refuses revoking once any line is linked: 409 ALREADY_LINKED 発注済みの為、受付取消はできません', () => {
      given([requested([E1_ALL, PROJECT_ALL]), accepted(), cancellationLinked([E1_ALL])])
        .when({ type: 'RevokeAcceptance', revokedOn: TODAY })
        .thenThrows({ kind: 'conflict', code: 'ALREADY_LINKED', message: ALREADY_LINKED_MESSAGE });
      expect(ALREADY_LINKED_MESSAGE).toBe('発注済みの為、受付取消はできません');
    });

    it('refuses revoking an APPLIED change (409 INVALID_STATE)', () => {
      given([requested()]).when({ type: 'RevokeAcceptance', revokedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });
  });

  describe('Link (解約連携)', () => {
    it('links every line not linked yet by default: 未連携 → 連携済, CancellationLinked with subscription and quantity to cancel', () => {
      given([requested([E1_ALL, PROJECT_ALL]), accepted()])
        .when({ type: 'Link', linkedOn: TODAY })
        .then([cancellationLinked([E1_ALL, PROJECT_ALL])]);
      given([requested([E1_ALL, PROJECT_ALL]), accepted()])
        .when({ type: 'Link', linkedOn: TODAY })
        .thenState((state) => {
          expect(existing(state).lines.map((line) => [line.linkStatus, line.linkedOn])).toEqual([
            ['LINKED', TODAY],
            ['LINKED', TODAY],
          ]);
          expect(state.status).toBe('ACCEPTED');
        });
    });

    it('a reduction tells provisioning the seats to cancel and the seats left', () => {
      const reduction = changeLine(BASIC, 4, 6);
      const [event] = given([requested([reduction]), accepted()]).when({ type: 'Link', linkedOn: TODAY }).events();
      expect(event).toEqual({
        type: 'CancellationLinked',
        data: expect.objectContaining({
          lines: [expect.objectContaining({ lineId: BASIC.lineId, subscriptionId: 'sub-bb', currentQuantity: 10, quantity: 4, remainingQuantity: 6 })],
        }),
      });
    });

    it('links chosen lines, then the rest by default', () => {
      given([requested([E1_ALL, PROJECT_ALL]), accepted()])
        .when({ type: 'Link', lineIds: [PROJECT.lineId], linkedOn: TODAY })
        .then([cancellationLinked([PROJECT_ALL])]);
      given([requested([E1_ALL, PROJECT_ALL]), accepted(), cancellationLinked([PROJECT_ALL])])
        .when({ type: 'Link', linkedOn: TODAY })
        .then([cancellationLinked([E1_ALL])]);
    });

    it('an add or reduction links as QuantityChangeLinked with the new quantity', () => {
      given([requested([BASIC_ADD], 'ADD'), accepted('ADD')])
        .when({ type: 'Link', linkedOn: TODAY })
        .then([quantityLinked([BASIC_ADD], 'ADD')]);
      const reduce = changeLine(BASIC, 5, 5);
      given([requested([reduce], 'CHANGE'), accepted('CHANGE')])
        .when({ type: 'Link', linkedOn: TODAY })
        .then([quantityLinked([reduce], 'CHANGE')]);
    });

    it('refuses linking a change as the other kind (link-cancellation on an add, and back): 409 INVALID_STATE', () => {
      given([requested([BASIC_ADD], 'ADD'), accepted('ADD')])
        .when({ type: 'Link', kind: 'CANCELLATION', linkedOn: TODAY })
        .thenThrows({ kind: 'conflict', code: 'INVALID_STATE', message: expect.stringContaining('追加') });
      given([requested(), accepted()]).when({ type: 'Link', kind: 'QUANTITY_CHANGE', linkedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([requested([BASIC_ADD], 'ADD'), accepted('ADD')])
        .when({ type: 'Link', kind: 'QUANTITY_CHANGE', linkedOn: TODAY })
        .then([quantityLinked([BASIC_ADD], 'ADD')]);
    });

    it('needs an ACCEPTED change (409 INVALID_STATE)', () => {
      given([requested()]).when({ type: 'Link', linkedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE', message: expect.stringContaining('申請') });
      given([...LINKED, vendorConfirmed(), cancellationConfirmed()]).when({ type: 'Link', linkedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });

    it('refuses a line already linked, and linking when every line is (409 ALREADY_LINKED)', () => {
      given(LINKED).when({ type: 'Link', linkedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'ALREADY_LINKED' });
      given(LINKED)
        .when({ type: 'Link', lineIds: [E1.lineId], linkedOn: TODAY })
        .thenThrows({ kind: 'conflict', code: 'ALREADY_LINKED', message: expect.stringContaining(E1.lineId) });
    });

    it('refuses unknown line ids: 404 LINE_NOT_FOUND', () => {
      given([requested(), accepted()])
        .when({ type: 'Link', lineIds: ['ol-x'], linkedOn: TODAY })
        .thenThrows({ kind: 'not-found', code: 'LINE_NOT_FOUND', message: expect.stringContaining('ol-x') });
    });
  });

  describe('vendor outcome (from provisioning)', () => {
    it('records the vendor’s confirmation of a linked line', () => {
      given(LINKED).when({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-e1', confirmedOn: TODAY }).then([vendorConfirmed()]);
      given(LINKED)
        .when({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-e1', confirmedOn: TODAY })
        .thenState((state) => expect(existing(state).lines[0]).toMatchObject({ vendorStatus: 'CONFIRMED', vendorConfirmedOn: TODAY }));
    });

    it('a redelivered confirmation is a no-op', () => {
      given([...LINKED, vendorConfirmed()]).when({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-e1', confirmedOn: '2021-07-21' }).thenNothingHappened();
    });

    it('records a refusal with its reason (software outside its refund window); redelivered: no-op', () => {
      given(LINKED).when({ type: 'RecordVendorRefusal', subscriptionId: 'sub-e1', reason: REFUND_WINDOW_PASSED }).then([vendorRefused()]);
      given(LINKED)
        .when({ type: 'RecordVendorRefusal', subscriptionId: 'sub-e1', reason: REFUND_WINDOW_PASSED })
        .thenState((state) => expect(existing(state).lines[0]).toMatchObject({ vendorStatus: 'REFUSED', vendorReason: REFUND_WINDOW_PASSED }));
      given([...LINKED, vendorRefused()]).when({ type: 'RecordVendorRefusal', subscriptionId: 'sub-e1', reason: 'again' }).thenNothingHappened();
    });

    it('a refusal never undoes a confirmation; a confirmation after a refusal wins', () => {
      given([...LINKED, vendorConfirmed()]).when({ type: 'RecordVendorRefusal', subscriptionId: 'sub-e1', reason: 'late' }).thenNothingHappened();
      given([...LINKED, vendorRefused()])
        .when({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-e1', confirmedOn: TODAY })
        .thenState((state) => {
          expect(existing(state).lines[0].vendorStatus).toBe('CONFIRMED');
          expect(existing(state).lines[0].vendorReason).toBeUndefined();
        });
    });

    it('records a late confirmation after a forced confirmation (for the record)', () => {
      given([...LINKED, cancellationConfirmed([E1_ALL], true)])
        .when({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-e1', confirmedOn: '2021-07-21' })
        .then([vendorConfirmed(E1_ALL, '2021-07-21')]);
    });

    it('refuses a subscription that is not in the change, or a line never linked', () => {
      given(LINKED).when({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-x', confirmedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([requested(), accepted()])
        .when({ type: 'RecordVendorRefusal', subscriptionId: 'sub-e1', reason: 'x' })
        .thenThrows({ kind: 'conflict', code: 'NOT_LINKED' });
    });
  });

  describe('ConfirmCancellation (解約確定)', () => {
    it('confirms once the vendor confirmed: CancellationConfirmed with end date and 解約日, COMPLETED 変更済', () => {
      given([...LINKED, vendorConfirmed()]).when(confirmCancellation()).then([cancellationConfirmed()]);
      given([...LINKED, vendorConfirmed()])
        .when(confirmCancellation({ endDate: '2021-07-31', confirmedOn: '2021-07-21' }))
        .thenState({ status: 'COMPLETED', endDate: '2021-07-31', completedOn: '2021-07-21', forced: false });
    });

    it('refuses while the vendor has not confirmed: 409 SUPPLIER_NOT_CONFIRMED 仕入元で解約処理が確定されていません', () => {
      given(LINKED)
        .when(confirmCancellation())
        .thenThrows({ kind: 'conflict', code: 'SUPPLIER_NOT_CONFIRMED', message: SUPPLIER_NOT_CONFIRMED_MESSAGE });
      expect(SUPPLIER_NOT_CONFIRMED_MESSAGE).toBe('仕入元で解約処理が確定されていません');
      given(LINKED)
        .when(confirmCancellation({ force: false }))
        .thenThrows({ kind: 'conflict', code: 'SUPPLIER_NOT_CONFIRMED' });
    });

    it('with force, confirms anyway and says so (forced: true)', () => {
      given(LINKED).when(confirmCancellation({ force: true })).then([cancellationConfirmed([E1_ALL], true)]);
    });

    it('force is recorded as false when every vendor had confirmed', () => {
      given([...LINKED, vendorConfirmed()]).when(confirmCancellation({ force: true })).then([cancellationConfirmed([E1_ALL], false)]);
    });

    it('refuses when a line is not linked: 409 NOT_LINKED (force or not)', () => {
      given([requested(), accepted()]).when(confirmCancellation({ force: true })).thenThrows({ kind: 'conflict', code: 'NOT_LINKED' });
      given([requested([E1_ALL, PROJECT_ALL]), accepted(), cancellationLinked([E1_ALL]), vendorConfirmed()])
        .when(confirmCancellation())
        .thenThrows({ kind: 'conflict', code: 'NOT_LINKED', message: expect.stringContaining(PROJECT.lineId) });
    });

    it('refuses a line the vendor refused, even with force: 422 VENDOR_REFUSED with the reason', () => {
      given([...LINKED, vendorRefused()])
        .when(confirmCancellation({ force: true }))
        .thenThrows({ kind: 'rule', code: 'VENDOR_REFUSED', message: expect.stringContaining(REFUND_WINDOW_PASSED) });
    });

    it('needs an ACCEPTED cancellation (409 INVALID_STATE)', () => {
      given([requested()]).when(confirmCancellation()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([...LINKED, cancellationConfirmed()]).when(confirmCancellation()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([requested([BASIC_ADD], 'ADD'), accepted('ADD'), quantityLinked()]).when(confirmCancellation()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });

    it('a reduction: cancelled seats and the seats left', () => {
      const reduction = changeLine(BASIC, 4, 6);
      const [event] = given([requested([reduction]), accepted(), cancellationLinked([reduction])])
        .when(confirmCancellation({ force: true }))
        .events();
      expect(event.data).toMatchObject({ lines: [{ lineId: BASIC.lineId, subscriptionId: 'sub-bb', cancelledQuantity: 4, remainingQuantity: 6 }] });
    });
  });

  describe('ConfirmQuantityChange', () => {
    const ADD_LINKED = [requested([BASIC_ADD], 'ADD'), accepted('ADD'), quantityLinked()];
    /** vendorConfirmedOn: the day the vendor confirmed the seats (absent when forced before it answered). */
    const quantityChanged = (forced: boolean, effectiveOn = TODAY, vendorConfirmedOn?: string): ContractChangeEvent => ({
      type: 'QuantityChanged',
      data: {
        ...changeRef('ADD'),
        type: 'ADD',
        requestedOn: TODAY,
        effectiveOn,
        confirmedOn: TODAY,
        forced,
        lines: [{ ...quantityLine(BASIC_ADD), ...(vendorConfirmedOn ? { vendorConfirmedOn } : {}) }],
      },
    });

    it('an add confirmed by the vendor: QuantityChanged, COMPLETED', () => {
      given([...ADD_LINKED, vendorConfirmed(BASIC_ADD, '2021-07-21')]).when(confirmQuantityChange()).then([quantityChanged(false, TODAY, '2021-07-21')]);
      given([...ADD_LINKED, vendorConfirmed(BASIC_ADD)])
        .when(confirmQuantityChange({ effectiveOn: '2021-08-01' }))
        .thenState({ status: 'COMPLETED', effectiveOn: '2021-08-01', completedOn: TODAY });
    });

    it('the same vendor rules as a cancellation', () => {
      given(ADD_LINKED).when(confirmQuantityChange()).thenThrows({ kind: 'conflict', code: 'SUPPLIER_NOT_CONFIRMED' });
      given(ADD_LINKED).when(confirmQuantityChange({ force: true, effectiveOn: '2021-08-01' })).then([quantityChanged(true, '2021-08-01')]);
      given([requested([BASIC_ADD], 'ADD'), accepted('ADD')]).when(confirmQuantityChange()).thenThrows({ kind: 'conflict', code: 'NOT_LINKED' });
      given([...ADD_LINKED, vendorRefused(BASIC_ADD, 'seat limit')])
        .when(confirmQuantityChange({ force: true }))
        .thenThrows({ kind: 'rule', code: 'VENDOR_REFUSED', message: expect.stringContaining('seat limit') });
    });

    it('refuses a cancellation (409 INVALID_STATE)', () => {
      given([...LINKED, vendorConfirmed()]).when(confirmQuantityChange()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });
  });

  describe('Withdraw (キャンセル)', () => {
    const withdrawn: ContractChangeEvent = { type: 'ContractChangeWithdrawn', data: { ...changeRef(), withdrawnOn: TODAY } };

    it('withdraws an APPLIED or ACCEPTED change before linking: WITHDRAWN キャンセル', () => {
      given([requested()]).when({ type: 'Withdraw', withdrawnOn: TODAY }).then([withdrawn]);
      given([requested(), accepted()]).when({ type: 'Withdraw', withdrawnOn: TODAY }).then([withdrawn]);
      given([requested()])
        .when({ type: 'Withdraw', withdrawnOn: TODAY })
        .thenState({ status: 'WITHDRAWN', withdrawnOn: TODAY });
    });

    it('refuses once a line is at the vendor (409 ALREADY_LINKED)', () => {
      given(LINKED).when({ type: 'Withdraw', withdrawnOn: TODAY }).thenThrows({ kind: 'conflict', code: 'ALREADY_LINKED' });
      given([...LINKED, vendorConfirmed()]).when({ type: 'Withdraw', withdrawnOn: TODAY }).thenThrows({ kind: 'conflict', code: 'ALREADY_LINKED' });
    });

    it('allows it when the vendor refused every linked line (the change can never complete)', () => {
      given([...LINKED, vendorRefused()]).when({ type: 'Withdraw', withdrawnOn: TODAY }).then([withdrawn]);
    });

    it('refuses a completed or withdrawn change (409 INVALID_STATE)', () => {
      given([requested(), withdrawn]).when({ type: 'Withdraw', withdrawnOn: TODAY }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([...LINKED, cancellationConfirmed([E1_ALL], true)]).when({ type: 'Withdraw', withdrawnOn: TODAY }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });
  });

  describe('helpers', () => {
    it('labels types, statuses and link statuses in Japanese', () => {
      expect(CONTRACT_CHANGE_TYPE_LABELS).toEqual({ ADD: '追加', CHANGE: '数量・商品変更', RENEWAL: '更新', CANCELLATION: '解約' });
      expect(CONTRACT_CHANGE_STATUS_LABELS).toEqual({ APPLIED: '申請', ACCEPTED: '受付済', COMPLETED: '変更済', WITHDRAWN: 'キャンセル' });
      expect(LINK_STATUS_LABELS).toEqual({ NOT_LINKED: '未連携', LINKED: '連携済' });
    });

    it('names the stream contractChange-<id> (not forwarded as a contract- stream by prefix)', () => {
      expect(changeStreamId('ch-1')).toBe('contractChange-ch-1');
      expect(changeStreamId('ch-1').startsWith('contract-')).toBe(false);
    });

    it('publishes exactly the integration events, keeping revocation and vendor outcomes private', () => {
      expect(CONTRACT_CHANGE_INTEGRATION_EVENT_TYPES).toEqual([
        'ContractChangeRequested',
        'ContractChangeAccepted',
        'CancellationLinked',
        'QuantityChangeLinked',
        'CancellationConfirmed',
        'QuantityChanged',
        'RenewalScheduled',
        'ContractChangeWithdrawn',
      ]);
    });

    it('the 契約変更一覧 row: numbers, type and status with labels, request date, subject, customer, lines with link status', () => {
      const state = existing(given([requested([E1_ALL, PROJECT_ALL]), accepted(), cancellationLinked([E1_ALL]), vendorRefused()]).state());
      expect(contractChangeRow(state)).toEqual({
        id: CHANGE_ID,
        changeId: CHANGE_ID,
        ...reference,
        type: 'CANCELLATION',
        typeLabel: '解約',
        status: 'ACCEPTED',
        statusLabel: '受付済',
        requestedOn: TODAY,
        acceptedOn: TODAY,
        completedOn: null,
        withdrawnOn: null,
        endDate: null,
        effectiveOn: null,
        forced: false,
        subject: 'テスト',
        lines: [
          {
            ...E1_ALL,
            linkStatus: 'LINKED',
            linkStatusLabel: '連携済',
            linkedOn: TODAY,
            vendorStatus: 'REFUSED',
            vendorConfirmedOn: null,
            vendorReason: REFUND_WINDOW_PASSED,
          },
          {
            ...PROJECT_ALL,
            linkStatus: 'NOT_LINKED',
            linkStatusLabel: '未連携',
            linkedOn: null,
            vendorStatus: 'PENDING',
            vendorConfirmedOn: null,
            vendorReason: null,
          },
        ],
      });
    });

    it('the row of a completed change shows 変更済 with its end date', () => {
      const state = existing(given([...LINKED, cancellationConfirmed([E1_ALL], true)]).state());
      expect(contractChangeRow(state)).toMatchObject({ status: 'COMPLETED', statusLabel: '変更済', endDate: TODAY, completedOn: TODAY, forced: true });
    });
  });

  describe('RENEWAL (更新) and the generic Confirm', () => {
    const E1_NEXT = changeLine(E1, 5, 5);
    const RENEWAL = [requested([E1_NEXT], 'RENEWAL'), accepted('RENEWAL')];

    it('a renewal change is confirmed without a vendor link: the next term’s quantities are scheduled', () => {
      given(RENEWAL)
        .when({ type: 'Confirm', confirmedOn: TODAY })
        .then([
          {
            type: 'RenewalScheduled',
            data: {
              ...changeRef('RENEWAL'),
              type: 'RENEWAL',
              requestedOn: TODAY,
              confirmedOn: TODAY,
              lines: [{ lineId: E1.lineId, orderLineId: E1.orderLineId, sku: E1.sku, productName: E1.productName, subscriptionId: E1_NEXT.subscriptionId, currentQuantity: 3, newQuantity: 5 }],
            },
          },
        ]);
    });

    it('a renewal has nothing to link (409 NO_VENDOR_LINK) and is confirmed once accepted only', () => {
      given(RENEWAL).when({ type: 'Link', linkedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'NO_VENDOR_LINK' });
      given([requested([E1_NEXT], 'RENEWAL')]).when({ type: 'Confirm', confirmedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });

    it('the generic Confirm of a cancellation needs its end date (422) and refuses fields of other types (422)', () => {
      given(LINKED).when({ type: 'Confirm', confirmedOn: TODAY, force: true }).thenThrows({ kind: 'rule', code: 'END_DATE_REQUIRED' });
      given(LINKED).when({ type: 'Confirm', endDate: TODAY, effectiveOn: TODAY, confirmedOn: TODAY, force: true }).thenThrows({ kind: 'rule', code: 'FIELD_NOT_FOR_CHANGE_TYPE' });
      given(LINKED).when({ type: 'Confirm', endDate: TODAY, confirmedOn: TODAY }).thenThrows({ kind: 'conflict', code: 'SUPPLIER_NOT_CONFIRMED' });
      given(LINKED).when({ type: 'Confirm', endDate: TODAY, confirmedOn: TODAY, force: true }).then([cancellationConfirmed([E1_ALL], true)]);
    });
  });
});
