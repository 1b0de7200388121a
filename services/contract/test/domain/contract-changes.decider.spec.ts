import { DeciderSpecification, ExpectedDomainError } from '@lp/testing';
import {
  ApplyCancellation,
  ApplyQuantityChange,
  contractDecider,
  ContractEvent,
  quantityChangeType,
  TRIAL_IN_BULK_CANCELLATION_MESSAGE,
} from '../../src/domain/contract';
import {
  activeContract,
  BASIC,
  CONTRACT_ID,
  changeLine,
  confirmed,
  created,
  E1,
  existing,
  lineOf,
  openChange,
  opened,
  PROJECT,
  TODAY,
  TRIAL,
} from './change-fixtures';

const given = DeciderSpecification.for(contractDecider);

const invalidFields = (...paths: string[]): ExpectedDomainError => ({
  kind: 'invalid',
  code: 'VALIDATION_FAILED',
  errors: paths.map((path) => expect.objectContaining({ path })),
});

const applyCancellation = (overrides: Partial<ApplyCancellation> = {}): ApplyCancellation => ({
  type: 'ApplyCancellation',
  changeId: 'ch-1',
  lines: [{ lineId: E1.lineId, quantity: 3 }],
  endDate: TODAY,
  cancelledOn: TODAY,
  ...overrides,
});

const applyQuantityChange = (overrides: Partial<ApplyQuantityChange> = {}): ApplyQuantityChange => ({
  type: 'ApplyQuantityChange',
  changeId: 'ch-1',
  lines: [{ lineId: BASIC.lineId, newQuantity: 15 }],
  effectiveOn: '2021-08-01',
  ...overrides,
});

const linesCancelled = (
  lines: { lineId: string; cancelledQuantity: number; remainingQuantity: number; status: 'ACTIVE' | 'CANCELLED' }[],
  contractStatus: 'ACTIVE' | 'CANCELLED',
  changeId = 'ch-1',
): ContractEvent => ({
  type: 'ContractLinesCancelled',
  data: { contractId: CONTRACT_ID, changeId, endDate: TODAY, cancelledOn: TODAY, lines, contractStatus },
});

describe('contract decider: contract changes (契約変更)', () => {
  describe('OpenChange: cancellation (解約手続き)', () => {
    it('opens a cancellation of chosen lines with the quantity to cancel (seed 001: 3 of Office 365 E1)', () => {
      given(activeContract()).when(openChange()).then([opened([changeLine(E1, 3, 0)])]);
    });

    it('locks the chosen lines for the change; the others stay free', () => {
      given(activeContract())
        .when(openChange())
        .thenState((state) => {
          expect(lineOf(state, E1.lineId).openChangeId).toBe('ch-1');
          expect(lineOf(state, PROJECT.lineId).openChangeId).toBeUndefined();
          expect(lineOf(state, E1.lineId).status).toBe('ACTIVE');
          expect(existing(state).status).toBe('ACTIVE');
          expect(existing(state).changes).toEqual([{ changeId: 'ch-1', type: 'CANCELLATION', status: 'OPEN', lineIds: [E1.lineId] }]);
        });
    });

    it('opens a reduction when less than the whole quantity is cancelled', () => {
      given(activeContract([E1, PROJECT, BASIC]))
        .when(openChange({ lines: [{ lineId: BASIC.lineId, quantity: 4 }] }))
        .then([opened([changeLine(BASIC, 4, 6)])]);
    });

    it('takes the request date when given, else today', () => {
      const [event] = given(activeContract())
        .when(openChange({ requestedOn: '2021-07-18' }))
        .events();
      expect(event.data).toMatchObject({ requestedOn: '2021-07-18' });
    });

    it('select all (全選択) takes every active line at its full quantity', () => {
      given(activeContract())
        .when(openChange({ lines: undefined, all: true }))
        .then([opened([changeLine(E1, 3, 0), changeLine(PROJECT, 1, 0)], { all: true })]);
    });

    it('select all leaves out lines that are cancelled already', () => {
      given([
        ...activeContract(),
        opened([changeLine(PROJECT, 1, 0)], { changeId: 'ch-0' }),
        linesCancelled([{ lineId: PROJECT.lineId, cancelledQuantity: 1, remainingQuantity: 0, status: 'CANCELLED' }], 'ACTIVE', 'ch-0'),
      ])
        .when(openChange({ lines: undefined, all: true }))
        .then([opened([changeLine(E1, 3, 0)], { all: true })]);
    });

    it('select all is refused when any active line is a trial product: 422 TRIAL_IN_BULK_CANCELLATION', () => {
      given(activeContract([E1, TRIAL]))
        .when(openChange({ lines: undefined, all: true }))
        .thenThrows({
          kind: 'rule',
          code: 'TRIAL_IN_BULK_CANCELLATION',
          message: expect.stringContaining(TRIAL_IN_BULK_CANCELLATION_MESSAGE),
        });
      expect(TRIAL_IN_BULK_CANCELLATION_MESSAGE).toBe('トライアル商品は一括解約できません');
    });

    it('cancels a trial line one by one', () => {
      given(activeContract([E1, TRIAL]))
        .when(openChange({ lines: [{ lineId: TRIAL.lineId, quantity: 25 }] }))
        .then([opened([changeLine(TRIAL, 25, 0)])]);
    });

    it('a trial line that is already cancelled does not stand in the way of select all', () => {
      given([
        ...activeContract([E1, TRIAL]),
        opened([changeLine(TRIAL, 25, 0)], { changeId: 'ch-0' }),
        linesCancelled([{ lineId: TRIAL.lineId, cancelledQuantity: 25, remainingQuantity: 0, status: 'CANCELLED' }], 'ACTIVE', 'ch-0'),
      ])
        .when(openChange({ lines: undefined, all: true }))
        .then([opened([changeLine(E1, 3, 0)], { all: true })]);
    });

    it('a line that started today is eligible (契約開始日の契約も解約対象)', () => {
      given([created(), confirmed([E1, PROJECT], TODAY)])
        .when(openChange({ today: TODAY }))
        .then([opened([changeLine(E1, 3, 0)])]);
    });

    it('refuses a line with an open change: 422 LINE_NOT_ACTIVE', () => {
      given([...activeContract(), opened([changeLine(E1, 1, 2)], { changeId: 'ch-0' })])
        .when(openChange({ lines: [{ lineId: PROJECT.lineId, quantity: 1 }, { lineId: E1.lineId, quantity: 2 }] }))
        .thenThrows({ kind: 'rule', code: 'LINE_NOT_ACTIVE', message: expect.stringContaining(`${E1.lineId} (open change ch-0)`) });
    });

    it('select all is refused while a line has an open change, naming it', () => {
      given([...activeContract(), opened([changeLine(E1, 1, 2)], { changeId: 'ch-0' })])
        .when(openChange({ lines: undefined, all: true }))
        .thenThrows({ kind: 'rule', code: 'LINE_NOT_ACTIVE', message: expect.stringContaining(E1.lineId) });
    });

    it('refuses a cancelled line: 422 LINE_NOT_ACTIVE', () => {
      given([
        ...activeContract(),
        opened([changeLine(PROJECT, 1, 0)], { changeId: 'ch-0' }),
        linesCancelled([{ lineId: PROJECT.lineId, cancelledQuantity: 1, remainingQuantity: 0, status: 'CANCELLED' }], 'ACTIVE', 'ch-0'),
      ])
        .when(openChange({ lines: [{ lineId: PROJECT.lineId, quantity: 1 }] }))
        .thenThrows({ kind: 'rule', code: 'LINE_NOT_ACTIVE', message: expect.stringContaining(`${PROJECT.lineId} (CANCELLED 解約済)`) });
    });

    it('refuses a line not confirmed yet, listing every ineligible line', () => {
      given([created([E1, PROJECT, BASIC]), confirmed([E1, PROJECT])])
        .when(openChange({ lines: [{ lineId: BASIC.lineId, quantity: 1 }, { lineId: E1.lineId, quantity: 1 }] }))
        .thenThrows({ kind: 'rule', code: 'LINE_NOT_ACTIVE', message: expect.stringContaining(`${BASIC.lineId} (PENDING`) });
    });

    it('a line is free again once its change is withdrawn (closed)', () => {
      given([...activeContract(), opened([changeLine(E1, 3, 0)], { changeId: 'ch-0' }), { type: 'ContractChangeClosed', data: { contractId: CONTRACT_ID, changeId: 'ch-0', lineIds: [E1.lineId] } }])
        .when(openChange())
        .then([opened([changeLine(E1, 3, 0)])]);
    });

    it.each([0, 4, -1])('refuses cancelling %i of 3: 422 QUANTITY_OUT_OF_RANGE', (quantity) => {
      given(activeContract())
        .when(openChange({ lines: [{ lineId: E1.lineId, quantity }] }))
        .thenThrows({ kind: 'rule', code: 'QUANTITY_OUT_OF_RANGE', message: expect.stringContaining(`${E1.lineId} ${quantity} (allowed: 1…3)`) });
    });

    it('cancels 1 of 3, the least (a reduction to 2)', () => {
      given(activeContract())
        .when(openChange({ lines: [{ lineId: E1.lineId, quantity: 1 }] }))
        .then([opened([changeLine(E1, 1, 2)])]);
    });

    it('refuses a contract that is not ACTIVE: 409 INVALID_STATE', () => {
      given().when(openChange()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([created()]).when(openChange()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE', message: expect.stringContaining('PENDING') });
      given([
        ...activeContract([E1]),
        opened([changeLine(E1, 3, 0)], { changeId: 'ch-0' }),
        linesCancelled([{ lineId: E1.lineId, cancelledQuantity: 3, remainingQuantity: 0, status: 'CANCELLED' }], 'CANCELLED', 'ch-0'),
      ])
        .when(openChange())
        .thenThrows({ kind: 'conflict', code: 'INVALID_STATE', message: expect.stringContaining('CANCELLED') });
    });

    it('refuses opening the same change twice: 409 ALREADY_EXISTS', () => {
      given([...activeContract(), opened()])
        .when(openChange({ lines: [{ lineId: PROJECT.lineId, quantity: 1 }] }))
        .thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS' });
    });

    it('refuses a request without lines and without all (400)', () => {
      given(activeContract()).when(openChange({ lines: undefined })).thenThrows(invalidFields('lines'));
      given(activeContract()).when(openChange({ lines: [] })).thenThrows(invalidFields('lines'));
      given(activeContract())
        .when(openChange({ lines: [], all: false }))
        .thenThrows(invalidFields('lines'));
    });

    it('refuses lines and all together (400)', () => {
      given(activeContract()).when(openChange({ all: true })).thenThrows(invalidFields('lines'));
    });

    it('refuses a line listed twice (400), before an unknown line', () => {
      given(activeContract())
        .when(
          openChange({
            lines: [
              { lineId: 'ol-unknown', quantity: 1 },
              { lineId: PROJECT.lineId, quantity: 1 },
              { lineId: PROJECT.lineId, quantity: 1 },
            ],
          }),
        )
        .thenThrows(invalidFields('lines'));
    });

    it('answers an unknown line (404 LINE_NOT_FOUND, as for another reseller’s) before the line rules (422)', () => {
      given([...activeContract(), opened([changeLine(E1, 1, 2)], { changeId: 'ch-0' })])
        .when(openChange({ lines: [{ lineId: E1.lineId, quantity: 9 }, { lineId: 'ol-x', quantity: 1 }] }))
        .thenThrows({ kind: 'not-found', code: 'LINE_NOT_FOUND', message: expect.stringContaining('ol-x') });
    });

    it('reports ineligible lines before quantities', () => {
      given([...activeContract(), opened([changeLine(E1, 1, 2)], { changeId: 'ch-0' })])
        .when(openChange({ lines: [{ lineId: E1.lineId, quantity: 9 }] }))
        .thenThrows({ kind: 'rule', code: 'LINE_NOT_ACTIVE' });
    });
  });

  describe('OpenChange: quantity changes (ADD 追加 / CHANGE 数量・商品変更)', () => {
    const contract = activeContract([E1, PROJECT, BASIC]);

    it('opens an add with the new quantity', () => {
      given(contract)
        .when(openChange({ changeType: 'ADD', lines: [{ lineId: BASIC.lineId, quantity: 15 }] }))
        .then([opened([changeLine(BASIC, 15, 15)], { type: 'ADD' })]);
    });

    it('QUANTITY_CHANGE (POST /quantity-changes) opens an ADD when the new quantities are above, a CHANGE when below', () => {
      given(contract)
        .when(openChange({ changeType: 'QUANTITY_CHANGE', lines: [{ lineId: BASIC.lineId, quantity: 15 }] }))
        .then([opened([changeLine(BASIC, 15, 15)], { type: 'ADD' })]);
      given(contract)
        .when(openChange({ changeType: 'QUANTITY_CHANGE', lines: [{ lineId: BASIC.lineId, quantity: 5 }] }))
        .then([opened([changeLine(BASIC, 5, 5)], { type: 'CHANGE' })]);
    });

    it('QUANTITY_CHANGE refuses an unchanged quantity (422) and adds mixed with reductions (400)', () => {
      given(contract)
        .when(openChange({ changeType: 'QUANTITY_CHANGE', lines: [{ lineId: BASIC.lineId, quantity: 10 }] }))
        .thenThrows({ kind: 'rule', code: 'QUANTITY_OUT_OF_RANGE' });
      given(contract)
        .when(openChange({ changeType: 'QUANTITY_CHANGE', lines: [{ lineId: BASIC.lineId, quantity: 15 }, { lineId: E1.lineId, quantity: 1 }] }))
        .thenThrows(invalidFields('lines'));
    });

    it('opens a reduction (CHANGE) with the new quantity', () => {
      given(contract)
        .when(openChange({ changeType: 'CHANGE', lines: [{ lineId: BASIC.lineId, quantity: 5 }] }))
        .then([opened([changeLine(BASIC, 5, 5)], { type: 'CHANGE' })]);
    });

    it.each([
      ['ADD', 10, 'more than 10'],
      ['ADD', 3, 'more than 10'],
      ['CHANGE', 10, '1…9'],
      ['CHANGE', 0, '1…9'],
      ['CHANGE', 11, '1…9'],
    ] as const)('refuses %s to %i of 10: 422 QUANTITY_OUT_OF_RANGE (allowed %s)', (changeType, quantity, allowed) => {
      given(contract)
        .when(openChange({ changeType, lines: [{ lineId: BASIC.lineId, quantity }] }))
        .thenThrows({ kind: 'rule', code: 'QUANTITY_OUT_OF_RANGE', message: expect.stringContaining(`(allowed: ${allowed})`) });
    });

    it('a line of 1 cannot be reduced', () => {
      given(contract)
        .when(openChange({ changeType: 'CHANGE', lines: [{ lineId: PROJECT.lineId, quantity: 1 }] }))
        .thenThrows({ kind: 'rule', code: 'QUANTITY_OUT_OF_RANGE', message: expect.stringContaining('no reduction possible') });
    });

    it('select all is for cancellations only (400)', () => {
      given(contract)
        .when(openChange({ changeType: 'ADD', lines: undefined, all: true }))
        .thenThrows(invalidFields('all'));
    });

    it('refuses a line with an open cancellation', () => {
      given([...contract, opened([changeLine(BASIC, 2, 8)], { changeId: 'ch-0' })])
        .when(openChange({ changeType: 'ADD', lines: [{ lineId: BASIC.lineId, quantity: 12 }] }))
        .thenThrows({ kind: 'rule', code: 'LINE_NOT_ACTIVE' });
    });

    describe('quantityChangeType (the application decides ADD or CHANGE from the new quantities)', () => {
      const state = given(contract).state();
      it('ADD when every new quantity is above the current one', () => {
        expect(quantityChangeType(state, [{ lineId: BASIC.lineId, quantity: 11 }, { lineId: E1.lineId, quantity: 4 }])).toBe('ADD');
      });
      it('CHANGE when every one is below', () => {
        expect(quantityChangeType(state, [{ lineId: BASIC.lineId, quantity: 9 }, { lineId: E1.lineId, quantity: 1 }])).toBe('CHANGE');
      });
      it('mixed adds and reductions are refused (400)', () => {
        expect(() => quantityChangeType(state, [{ lineId: BASIC.lineId, quantity: 11 }, { lineId: E1.lineId, quantity: 1 }])).toThrow(
          expect.objectContaining({ kind: 'invalid', errors: [expect.objectContaining({ path: 'lines' })] }),
        );
      });
      it('leaves unchanged quantities and unknown lines to OpenChange, which names them', () => {
        expect(quantityChangeType(state, [{ lineId: BASIC.lineId, quantity: 10 }])).toBe('CHANGE');
        expect(quantityChangeType(state, [{ lineId: 'ol-x', quantity: 1 }, { lineId: BASIC.lineId, quantity: 12 }])).toBe(
          'ADD',
        );
        given(contract)
          .when(openChange({ changeType: quantityChangeType(state, [{ lineId: BASIC.lineId, quantity: 10 }]), lines: [{ lineId: BASIC.lineId, quantity: 10 }] }))
          .thenThrows({ kind: 'rule', code: 'QUANTITY_OUT_OF_RANGE' });
      });
    });
  });

  describe('ApplyCancellation (from the change’s CancellationConfirmed)', () => {
    it('seed 001: the cancelled line ends with its end date and 解約日, the other stays 契約中, the contract ACTIVE', () => {
      given([...activeContract(), opened()])
        .when(applyCancellation({ endDate: '2021-07-31', cancelledOn: TODAY }))
        .then([
          {
            type: 'ContractLinesCancelled',
            data: {
              contractId: CONTRACT_ID,
              changeId: 'ch-1',
              endDate: '2021-07-31',
              cancelledOn: TODAY,
              lines: [{ lineId: E1.lineId, cancelledQuantity: 3, remainingQuantity: 0, status: 'CANCELLED' }],
              contractStatus: 'ACTIVE',
            },
          },
        ]);
      given([...activeContract(), opened()])
        .when(applyCancellation({ endDate: '2021-07-31', cancelledOn: TODAY }))
        .thenState((state) => {
          expect(lineOf(state, E1.lineId)).toMatchObject({ status: 'CANCELLED', endDate: '2021-07-31', cancelledOn: TODAY, quantity: 3 });
          expect(lineOf(state, E1.lineId).openChangeId).toBeUndefined();
          expect(lineOf(state, PROJECT.lineId)).toMatchObject({ status: 'ACTIVE', quantity: 1 });
          expect(lineOf(state, PROJECT.lineId).endDate).toBeUndefined();
          expect(existing(state).status).toBe('ACTIVE');
          expect(existing(state).changes[0].status).toBe('APPLIED');
        });
    });

    it('a reduction keeps the line ACTIVE with the remaining quantity, no end date', () => {
      given([...activeContract([E1, PROJECT, BASIC]), opened([changeLine(BASIC, 4, 6)])])
        .when(applyCancellation({ lines: [{ lineId: BASIC.lineId, quantity: 4 }] }))
        .thenState((state) => {
          expect(lineOf(state, BASIC.lineId)).toMatchObject({ status: 'ACTIVE', quantity: 6 });
          expect(lineOf(state, BASIC.lineId).endDate).toBeUndefined();
          expect(lineOf(state, BASIC.lineId).cancelledOn).toBeUndefined();
          expect(lineOf(state, BASIC.lineId).openChangeId).toBeUndefined();
          expect(existing(state).status).toBe('ACTIVE');
        });
    });

    it('cancelling every line makes the contract CANCELLED 解約済', () => {
      given([...activeContract(), opened([changeLine(E1, 3, 0), changeLine(PROJECT, 1, 0)], { all: true })])
        .when(applyCancellation({ lines: [{ lineId: E1.lineId, quantity: 3 }, { lineId: PROJECT.lineId, quantity: 1 }] }))
        .then([
          linesCancelled(
            [
              { lineId: E1.lineId, cancelledQuantity: 3, remainingQuantity: 0, status: 'CANCELLED' },
              { lineId: PROJECT.lineId, cancelledQuantity: 1, remainingQuantity: 0, status: 'CANCELLED' },
            ],
            'CANCELLED',
          ),
        ]);
      given([...activeContract(), opened([changeLine(E1, 3, 0), changeLine(PROJECT, 1, 0)], { all: true })])
        .when(applyCancellation({ lines: [{ lineId: E1.lineId, quantity: 3 }, { lineId: PROJECT.lineId, quantity: 1 }] }))
        .thenState((state) => {
          expect(existing(state).status).toBe('CANCELLED');
          expect(existing(state).lines.every((line) => line.status === 'CANCELLED' && line.endDate === TODAY)).toBe(true);
        });
    });

    it('the last active line cancelled by a second change makes the contract CANCELLED', () => {
      given([
        ...activeContract(),
        opened([changeLine(E1, 3, 0)], { changeId: 'ch-0' }),
        opened([changeLine(PROJECT, 1, 0)], { changeId: 'ch-1' }),
        linesCancelled([{ lineId: E1.lineId, cancelledQuantity: 3, remainingQuantity: 0, status: 'CANCELLED' }], 'ACTIVE', 'ch-0'),
      ])
        .when(applyCancellation({ lines: [{ lineId: PROJECT.lineId, quantity: 1 }] }))
        .thenState({ status: 'CANCELLED' });
    });

    it('a redelivered application is a no-op', () => {
      given([...activeContract(), opened(), linesCancelled([{ lineId: E1.lineId, cancelledQuantity: 3, remainingQuantity: 0, status: 'CANCELLED' }], 'ACTIVE')])
        .when(applyCancellation())
        .thenNothingHappened();
    });

    it('a withdrawn (closed) change is not applied', () => {
      given([...activeContract(), opened(), { type: 'ContractChangeClosed', data: { contractId: CONTRACT_ID, changeId: 'ch-1', lineIds: [E1.lineId] } }])
        .when(applyCancellation())
        .thenNothingHappened();
    });

    it('refuses a change never opened on this contract, or of another type (409 INVALID_STATE)', () => {
      given(activeContract()).when(applyCancellation()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([...activeContract([E1, BASIC]), opened([changeLine(BASIC, 15, 15)], { type: 'ADD' })])
        .when(applyCancellation())
        .thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given().when(applyCancellation()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });

    it('refuses lines the change does not hold and quantities beyond the line (400)', () => {
      given([...activeContract(), opened()])
        .when(
          applyCancellation({
            lines: [
              { lineId: PROJECT.lineId, quantity: 1 },
              { lineId: E1.lineId, quantity: 4 },
            ],
          }),
        )
        .thenThrows(invalidFields('lines[0].lineId', 'lines[1].quantity'));
    });
  });

  describe('ApplyQuantityChange (from the change’s QuantityChanged)', () => {
    const contract = activeContract([E1, PROJECT, BASIC]);

    it('sets the new quantity and releases the lock (an add)', () => {
      given([...contract, opened([changeLine(BASIC, 15, 15)], { type: 'ADD' })])
        .when(applyQuantityChange())
        .then([
          {
            type: 'ContractLineQuantitiesChanged',
            data: { contractId: CONTRACT_ID, changeId: 'ch-1', effectiveOn: '2021-08-01', lines: [{ lineId: BASIC.lineId, previousQuantity: 10, newQuantity: 15 }] },
          },
        ]);
      given([...contract, opened([changeLine(BASIC, 15, 15)], { type: 'ADD' })])
        .when(applyQuantityChange())
        .thenState((state) => {
          expect(lineOf(state, BASIC.lineId)).toMatchObject({ status: 'ACTIVE', quantity: 15 });
          expect(lineOf(state, BASIC.lineId).openChangeId).toBeUndefined();
          expect(existing(state).changes[0]).toMatchObject({ changeId: 'ch-1', status: 'APPLIED' });
        });
    });

    it('a reduction the same way; the line can be changed again afterwards', () => {
      const reduced = [
        ...contract,
        opened([changeLine(BASIC, 5, 5)], { type: 'CHANGE' }),
        {
          type: 'ContractLineQuantitiesChanged',
          data: { contractId: CONTRACT_ID, changeId: 'ch-1', effectiveOn: '2021-08-01', lines: [{ lineId: BASIC.lineId, previousQuantity: 10, newQuantity: 5 }] },
        } as ContractEvent,
      ];
      given(reduced).thenState((state) => expect(lineOf(state, BASIC.lineId).quantity).toBe(5));
      given(reduced)
        .when(openChange({ changeId: 'ch-2', lines: [{ lineId: BASIC.lineId, quantity: 5 }] }))
        .then([opened([{ ...changeLine(BASIC, 5, 0), currentQuantity: 5 }], { changeId: 'ch-2' })]);
    });

    it('a redelivered application is a no-op', () => {
      given([
        ...contract,
        opened([changeLine(BASIC, 15, 15)], { type: 'ADD' }),
        {
          type: 'ContractLineQuantitiesChanged',
          data: { contractId: CONTRACT_ID, changeId: 'ch-1', effectiveOn: '2021-08-01', lines: [{ lineId: BASIC.lineId, previousQuantity: 10, newQuantity: 15 }] },
        },
      ])
        .when(applyQuantityChange())
        .thenNothingHappened();
    });

    it('refuses a cancellation change, lines the change does not hold and a quantity below 1', () => {
      given([...contract, opened()]).when(applyQuantityChange()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
      given([...contract, opened([changeLine(BASIC, 15, 15)], { type: 'ADD' })])
        .when(applyQuantityChange({ lines: [{ lineId: E1.lineId, newQuantity: 4 }, { lineId: BASIC.lineId, newQuantity: 0 }] }))
        .thenThrows(invalidFields('lines[0].lineId', 'lines[1].newQuantity'));
    });
  });

  describe('CloseChange (the change was withdrawn)', () => {
    it('releases the lines of the change', () => {
      given([...activeContract(), opened()])
        .when({ type: 'CloseChange', changeId: 'ch-1' })
        .then([{ type: 'ContractChangeClosed', data: { contractId: CONTRACT_ID, changeId: 'ch-1', lineIds: [E1.lineId] } }]);
      given([...activeContract(), opened()])
        .when({ type: 'CloseChange', changeId: 'ch-1' })
        .thenState((state) => {
          expect(lineOf(state, E1.lineId).openChangeId).toBeUndefined();
          expect(lineOf(state, E1.lineId).status).toBe('ACTIVE');
          expect(existing(state).changes[0].status).toBe('CLOSED');
        });
    });

    it('is a no-op when redelivered or once the change was applied', () => {
      given([...activeContract(), opened(), { type: 'ContractChangeClosed', data: { contractId: CONTRACT_ID, changeId: 'ch-1', lineIds: [E1.lineId] } }])
        .when({ type: 'CloseChange', changeId: 'ch-1' })
        .thenNothingHappened();
      given([...activeContract(), opened(), linesCancelled([{ lineId: E1.lineId, cancelledQuantity: 3, remainingQuantity: 0, status: 'CANCELLED' }], 'ACTIVE')])
        .when({ type: 'CloseChange', changeId: 'ch-1' })
        .thenNothingHappened();
    });

    it('refuses a change never opened here', () => {
      given(activeContract()).when({ type: 'CloseChange', changeId: 'ch-9' }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });
  });

  describe('existing behaviour', () => {
    it('confirming pending lines leaves the lock of a change on other lines alone', () => {
      given([created([E1, PROJECT, BASIC]), confirmed([E1, PROJECT]), opened()])
        .when({ type: 'ConfirmLines', confirmedOn: TODAY, subscriptions: [{ subscriptionId: 'sub-bb', orderLineId: BASIC.lineId, status: 'ACTIVE' }] })
        .thenState((state) => {
          expect(lineOf(state, BASIC.lineId).status).toBe('ACTIVE');
          expect(lineOf(state, E1.lineId).openChangeId).toBe('ch-1');
        });
    });

    it('keeps the contract subject for the change (契約変更一覧 件名)', () => {
      given(activeContract()).thenState((state) => expect(existing(state).subject).toBe('テスト'));
    });
  });
});
