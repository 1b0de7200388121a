import { randomUUID } from 'crypto';
import { expectNewEvents, expectNothingAppended, expectProblem, expectResponse } from '@lp/testing';
import { ALREADY_LINKED_MESSAGE, SUPPLIER_NOT_CONFIRMED_MESSAGE } from '../../src/domain/contract-change';
import { aChange, aContract, contractApi } from './given-contracts';
import { asIndirect, Harness, tokenFor } from './support';

/**
 * A change's steps and refusals (受付, 受付取消, 連携, 確定 with or without force, キャンセル), each rule
 * one scenario: the contract and its change are seeded as the contract service writes them, one
 * request is sent, the answer and exactly the events it appended are checked.
 */
describe('contract change steps over HTTP (given events, one request, the events it appended)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());
  const spec = contractApi(() => h);
  const salesAgent = tokenFor('sales-agent', 'r-direct');
  const post = (path: string, body: object = {}, token?: string) => () => h.http(token).post(path, body);

  /** Office 365 E1 × 3 and a cancellation of all three seats (the line ends). */
  const aCancellation = () => aChange(aContract([{ sku: 'MS-O365-E1', quantity: 3 }]), 'CANCELLATION', [{ quantity: 3 }]);
  /** Office 365 E1 × 3 → 5 (追加). */
  const anAdd = () => aChange(aContract([{ sku: 'MS-O365-E1', quantity: 3 }]), 'ADD', [{ quantity: 5 }]);

  describe('受付 and 受付取消', () => {
    it('an applied change is accepted: 受付済, ContractChangeAccepted', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given())
        .when(post(`/contract-changes/${change.id}/accept`))
        .then(expectResponse(200, { status: 'ACCEPTED', statusLabel: '受付済' }), expectNewEvents('contract', change.streamId, [{ type: 'ContractChangeAccepted' }]));
    });

    it('accepted twice: 409 INVALID_STATE, nothing appended', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted()))
        .when(post(`/contract-changes/${change.id}/accept`))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });

    it('受付取消 before linking: back to 申請, ContractChangeAcceptanceRevoked', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted()))
        .when(post(`/contract-changes/${change.id}/revoke-acceptance`))
        .then(expectResponse(200, { status: 'APPLIED', statusLabel: '申請' }), expectNewEvents('contract', change.streamId, [{ type: 'ContractChangeAcceptanceRevoked' }]));
    });

    it('受付取消 once a line is linked: 409 ALREADY_LINKED (発注済みの為…), nothing appended', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted(), change.linked()))
        .when(post(`/contract-changes/${change.id}/revoke-acceptance`))
        .then(expectProblem(409, 'ALREADY_LINKED'), expectResponse(409, { detail: ALREADY_LINKED_MESSAGE }), expectNothingAppended());
    });
  });

  describe('連携', () => {
    it('an accepted cancellation is linked: 連携済, the vendor asked (CancellationLinked)', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted()))
        .when(post(`/contract-changes/${change.id}/link-cancellation`))
        .then(
          expectResponse(200, { lines: [expect.objectContaining({ linkStatus: 'LINKED', linkStatusLabel: '連携済' })] }),
          expectNewEvents('contract', change.streamId, [{ type: 'CancellationLinked', data: { lines: [{ lineId: change.lines[0].lineId, quantity: 3, remainingQuantity: 0 }] } }]),
        );
    });

    it('a renewal (更新) has nothing to link: 409 NO_VENDOR_LINK', async () => {
      const change = aChange(aContract([{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }]), 'RENEWAL', [{ quantity: 3 }]);
      await spec
        .given(...change.given(change.accepted()))
        .when(post(`/contract-changes/${change.id}/link`))
        .then(expectProblem(409, 'NO_VENDOR_LINK'), expectNothingAppended());
    });

    it('a quantity change linked as a cancellation: 409 INVALID_STATE', async () => {
      const change = anAdd();
      await spec
        .given(...change.given(change.accepted()))
        .when(post(`/contract-changes/${change.id}/link-cancellation`))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });
  });

  describe('確定: every line linked, and confirmed by the vendor unless forced', () => {
    it.each([
      ['confirm-cancellation', aCancellation, { endDate: '2026-07-31' }],
      ['confirm-quantity-change', anAdd, {}],
    ])('%s before 連携: 409 NOT_LINKED, nothing appended', async (action, changeOf, body) => {
      const change = changeOf();
      await spec
        .given(...change.given(change.accepted()))
        .when(post(`/contract-changes/${change.id}/${action}`, body))
        .then(expectProblem(409, 'NOT_LINKED'), expectNothingAppended());
    });

    it.each([
      ['confirm-cancellation', 'without force', aCancellation, { endDate: '2026-07-31' }],
      ['confirm-cancellation', 'with force: false', aCancellation, { endDate: '2026-07-31', force: false }],
      ['confirm-quantity-change', 'without force', anAdd, {}],
      ['confirm', 'without force', aCancellation, { endDate: '2026-07-31' }],
    ])('%s by a sales agent, linked, the vendor has not confirmed, %s: 409 SUPPLIER_NOT_CONFIRMED (仕入元で…), nothing appended', async (action, _how, changeOf, body) => {
      const change = changeOf();
      await spec
        .given(...change.given(change.accepted(), change.linked()))
        .when(post(`/contract-changes/${change.id}/${action}`, body, salesAgent))
        .then(expectProblem(409, 'SUPPLIER_NOT_CONFIRMED'), expectResponse(409, { detail: SUPPLIER_NOT_CONFIRMED_MESSAGE }), expectNothingAppended());
    });

    it('an admin agent forces it: 変更済 (forced), the line ends on the contract', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted(), change.linked()))
        .when(post(`/contract-changes/${change.id}/confirm-cancellation`, { endDate: '2026-07-31', force: true }))
        .then(
          expectResponse(200, { status: 'COMPLETED', statusLabel: '変更済', endDate: '2026-07-31', forced: true }),
          expectNewEvents('contract', change.streamId, [{ type: 'CancellationConfirmed', data: { endDate: '2026-07-31', forced: true } }]),
          expectNewEvents('contract', change.given()[0].streamId, [
            { type: 'ContractLinesCancelled', data: { endDate: '2026-07-31', lines: [{ lineId: change.lines[0].lineId, status: 'CANCELLED' }], contractStatus: 'CANCELLED' } },
          ]),
        );
    });

    it('the generic confirm, forced by an admin agent, confirms a cancellation with its end date', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted(), change.linked()))
        .when(post(`/contract-changes/${change.id}/confirm`, { endDate: '2026-07-31', force: true }))
        .then(
          expectResponse(200, { status: 'COMPLETED', forced: true, endDate: '2026-07-31' }),
          expectNewEvents('contract', change.streamId, [{ type: 'CancellationConfirmed' }]),
          expectNewEvents('contract', change.given()[0].streamId, [{ type: 'ContractLinesCancelled', data: { lines: [{ status: 'CANCELLED' }] } }]),
        );
    });

    it('confirm-cancellation without its end date: 400 naming endDate', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted(), change.linked()))
        .when(post(`/contract-changes/${change.id}/confirm-cancellation`, {}))
        .then(expectProblem(400, 'VALIDATION_FAILED', ['endDate']), expectNothingAppended());
    });

    it.each([
      ['confirm-cancellation', aCancellation, { endDate: '2026-07-31', force: true }],
      ['confirm-quantity-change', anAdd, { force: true }],
      ['confirm', aCancellation, { endDate: '2026-07-31', force: true }],
    ])('a sales agent may not force (%s): 403 FORCE_NOT_ALLOWED, nothing appended', async (action, changeOf, body) => {
      const change = changeOf();
      await spec
        .given(...change.given(change.accepted(), change.linked()))
        .when(post(`/contract-changes/${change.id}/${action}`, body, salesAgent))
        .then(expectProblem(403, 'FORCE_NOT_ALLOWED'), expectNothingAppended());
    });

    it('once the vendor confirmed, a sales agent confirms without force: 変更済, not forced, the new quantity in force', async () => {
      const change = anAdd();
      await spec
        .given(...change.given(change.accepted(), change.linked(), ...change.vendorConfirmed()))
        .when(post(`/contract-changes/${change.id}/confirm-quantity-change`, { effectiveOn: '2026-08-01' }, salesAgent))
        .then(
          expectResponse(200, { status: 'COMPLETED', effectiveOn: '2026-08-01', forced: false }),
          expectNewEvents('contract', change.streamId, [{ type: 'QuantityChanged', data: { forced: false, lines: [{ previousQuantity: 3, newQuantity: 5 }] } }]),
          expectNewEvents('contract', change.given()[0].streamId, [{ type: 'ContractLineQuantitiesChanged', data: { lines: [{ previousQuantity: 3, newQuantity: 5 }] } }]),
        );
    });

    it('the vendor refused: even forced, 422 VENDOR_REFUSED', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted(), change.linked(), ...change.vendorRefused()))
        .when(post(`/contract-changes/${change.id}/confirm-cancellation`, { endDate: '2026-07-31', force: true }))
        .then(expectProblem(422, 'VENDOR_REFUSED'), expectNothingAppended());
    });

    it.each([
      ['without its end date', 'END_DATE_REQUIRED', { force: true }],
      ["with a quantity change's effectiveOn", 'FIELD_NOT_FOR_CHANGE_TYPE', { endDate: '2026-07-31', effectiveOn: '2026-08-01', force: true }],
    ])('the generic confirm of a cancellation %s: 422 %s', async (_how, code, body) => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted(), change.linked()))
        .when(post(`/contract-changes/${change.id}/confirm`, body))
        .then(expectProblem(422, code), expectNothingAppended());
    });
  });

  describe('キャンセル (withdraw): only while the vendor has nothing to undo', () => {
    it('an applied change is withdrawn: キャンセル, and its lines are free on the contract again', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given())
        .when(post(`/contract-changes/${change.id}/withdraw`))
        .then(
          expectResponse(200, { status: 'WITHDRAWN', statusLabel: 'キャンセル' }),
          expectNewEvents('contract', change.streamId, [{ type: 'ContractChangeWithdrawn' }]),
          expectNewEvents('contract', change.given()[0].streamId, [{ type: 'ContractChangeClosed', data: { lineIds: [change.lines[0].lineId] } }]),
        );
    });

    it('a line the vendor refused does not stand in the way: withdrawn', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted(), change.linked(), ...change.vendorRefused()))
        .when(post(`/contract-changes/${change.id}/withdraw`))
        .then(expectResponse(200, { status: 'WITHDRAWN' }), expectNewEvents('contract', change.streamId, [{ type: 'ContractChangeWithdrawn' }]));
    });

    it('linked and the vendor may still act: 409 ALREADY_LINKED, nothing appended', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.accepted(), change.linked()))
        .when(post(`/contract-changes/${change.id}/withdraw`))
        .then(expectProblem(409, 'ALREADY_LINKED'), expectNothingAppended());
    });

    it('a withdrawn change again: 409 INVALID_STATE, nothing appended', async () => {
      const change = aCancellation();
      await spec
        .given(...change.given(change.withdrawn()))
        .when(post(`/contract-changes/${change.id}/withdraw`))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });
  });

  describe("another reseller's change, or none", () => {
    it.each([
      ['GET', (id: string) => h.http(asIndirect).get(`/contract-changes/${id}`)],
      ['accept', (id: string) => h.http(asIndirect).post(`/contract-changes/${id}/accept`)],
    ])("another reseller's change (%s): 404 CONTRACT_CHANGE_NOT_FOUND, nothing appended", async (_what, send) => {
      const change = aCancellation();
      await spec
        .given(...change.given())
        .when(() => send(change.id))
        .then(expectProblem(404, 'CONTRACT_CHANGE_NOT_FOUND'), expectNothingAppended());
    });

    it("another reseller's list does not show it", async () => {
      const change = aCancellation();
      await spec
        .given(...change.given())
        .when(() => h.http(asIndirect).get(`/contract-changes?contractId=${change.contractId}`))
        .then(expectResponse(200, { total: 0, items: [] }), expectNothingAppended());
    });

    it('an unknown change: 404 CONTRACT_CHANGE_NOT_FOUND', async () => {
      await spec
        .given()
        .when(() => h.http().get(`/contract-changes/${randomUUID()}`))
        .then(expectProblem(404, 'CONTRACT_CHANGE_NOT_FOUND'), expectNothingAppended());
    });
  });
});
