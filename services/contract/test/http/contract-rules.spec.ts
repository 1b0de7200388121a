import { randomUUID } from 'crypto';
import { expectation, expectNewEvents, expectNewEventsOnCreated, expectNothingAppended, expectProblem, expectResponse } from '@lp/testing';
import { changeStreamId } from '../../src/domain/contract-change';
import { aChange, aContract, contractApi } from './given-contracts';
import { asDirect, asIndirect, Harness, tokenFor } from './support';

/**
 * Requests on a contract (解約手続き, 数量変更, 商品変更, 契約更新手続き, 自動更新), each rule one scenario:
 * the contract is seeded as the contract service writes it, one request is sent, the answer and
 * exactly the events it appended are checked (a refusal appends nothing: no lock, no change).
 */
describe('requests on a contract over HTTP (given events, one request, the events it appended)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());
  const spec = contractApi(() => h);
  const request = (contractId: string, kind: string, body: object, token = asDirect) => () => h.http(token).post(`/contracts/${contractId}/${kind}`, body);
  /** A 400 naming each of `fields` (a field breaking several constraints is named once per constraint). */
  const expectFieldsNamed = (fields: string[]) =>
    expectation(({ response }) => expect([...new Set((response.body as { errors: { path: string }[] }).errors.map((error) => error.path))].sort()).toEqual([...fields].sort()));
  const changeCreated = (type: string, data?: object) => expectNewEventsOnCreated('contract', ({ body }) => changeStreamId((body as { id: string }).id), [{ type, data }]);

  describe('解約手続き (cancellations)', () => {
    it('3 of 3 seats: a change 申請 (解約) opened on the contract, its lines locked', async () => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 3 }]);
      const [line] = contract.lines;
      await spec
        .given(contract.given())
        .when(request(contract.id, 'cancellations', { lines: [{ lineId: line.lineId, quantity: 3 }], requestedOn: '2026-07-20' }))
        .then(
          expectResponse(201, { type: 'CANCELLATION', typeLabel: '解約', status: 'APPLIED', statusLabel: '申請', lines: [expect.objectContaining({ currentQuantity: 3, quantity: 3, newQuantity: 0 })] }),
          expectNewEvents('contract', contract.streamId, [{ type: 'ContractChangeOpened', data: { type: 'CANCELLATION', requestedOn: '2026-07-20', lines: [{ lineId: line.lineId }] } }]),
          changeCreated('ContractChangeRequested', { type: 'CANCELLATION' }),
        );
    });

    it.each([0, 4])('%i seats of 3: 422 QUANTITY_OUT_OF_RANGE, nothing appended', async (quantity) => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 3 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'cancellations', { lines: [{ lineId: contract.lines[0].lineId, quantity }] }))
        .then(expectProblem(422, 'QUANTITY_OUT_OF_RANGE'), expectNothingAppended());
    });

    it('a line with an open change: 422 LINE_NOT_ACTIVE, nothing appended', async () => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 3 }]);
      const open = aChange(contract, 'CANCELLATION', [{ quantity: 1 }]);
      await spec
        .given(...open.given())
        .when(request(contract.id, 'cancellations', { lines: [{ lineId: contract.lines[0].lineId, quantity: 1 }] }))
        .then(expectProblem(422, 'LINE_NOT_ACTIVE'), expectNothingAppended());
    });

    it('a cancelled line (解約済) of a contract still 契約中: 422 LINE_NOT_ACTIVE', async () => {
      const contract = aContract([
        { sku: 'MS-O365-E1', quantity: 3 },
        { sku: 'MS-PROJECT-P1', quantity: 2 },
      ]);
      const [cancelled] = contract.lines;
      await spec
        .given(contract.given(contract.linesCancelled([cancelled.lineId], 'ACTIVE')))
        .when(request(contract.id, 'cancellations', { lines: [{ lineId: cancelled.lineId, quantity: 1 }] }))
        .then(expectProblem(422, 'LINE_NOT_ACTIVE'), expectNothingAppended());
    });

    it('全選択 on a cancelled contract (解約済): 409 INVALID_STATE', async () => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 3 }]);
      await spec
        .given(contract.given(contract.linesCancelled([contract.lines[0].lineId], 'CANCELLED')))
        .when(request(contract.id, 'cancellations', { all: true }))
        .then(expectProblem(409, 'INVALID_STATE'), expectNothingAppended());
    });

    it('全選択 meeting a trial product: 422 TRIAL_IN_BULK_CANCELLATION (トライアル商品は一括解約できません)', async () => {
      const contract = aContract([
        { sku: 'MS-O365-E1', quantity: 1 },
        { sku: 'MS-O365-E1-TRIAL', quantity: 1 },
      ]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'cancellations', { all: true }))
        .then(expectProblem(422, 'TRIAL_IN_BULK_CANCELLATION'), expectResponse(422, { detail: expect.stringContaining('トライアル商品は一括解約できません') }), expectNothingAppended());
    });

    it('the trial line alone can be cancelled', async () => {
      const contract = aContract([
        { sku: 'MS-O365-E1', quantity: 1 },
        { sku: 'MS-O365-E1-TRIAL', quantity: 1 },
      ]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'cancellations', { lines: [{ lineId: contract.lines[1].lineId, quantity: 1 }] }))
        .then(expectResponse(201, { type: 'CANCELLATION' }), changeCreated('ContractChangeRequested', { lines: [{ sku: 'MS-O365-E1-TRIAL' }] }));
    });

    it.each([
      ['malformed fields', { lines: [{ quantity: 1.5 }], all: 'yes', requestedOn: '2026-02-30' }, ['lines[0].lineId', 'lines[0].quantity', 'all', 'requestedOn']],
      ['neither lines nor all', {}, ['lines']],
    ])('%s: 400 naming each, nothing appended', async (_what, body, fields) => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 3 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'cancellations', body))
        .then(expectProblem(400, 'VALIDATION_FAILED'), expectFieldsNamed(fields), expectNothingAppended());
    });
  });

  describe('数量変更 (quantity-changes)', () => {
    it('5 → 7 is an add (追加)', async () => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 5 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'quantity-changes', { lines: [{ lineId: contract.lines[0].lineId, quantity: 7 }] }))
        .then(expectResponse(201, { type: 'ADD', typeLabel: '追加' }), expectNewEvents('contract', contract.streamId, [{ type: 'ContractChangeOpened', data: { type: 'ADD' } }]));
    });

    it('an unchanged quantity: 422 QUANTITY_OUT_OF_RANGE', async () => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 5 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'quantity-changes', { lines: [{ lineId: contract.lines[0].lineId, quantity: 5 }] }))
        .then(expectProblem(422, 'QUANTITY_OUT_OF_RANGE'), expectNothingAppended());
    });

    it('no lines: 400 on lines', async () => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 5 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'quantity-changes', {}))
        .then(expectProblem(400, 'VALIDATION_FAILED'), expectFieldsNamed(['lines']), expectNothingAppended());
    });

    it('an add mixed with a reduction: 400 on lines (to be requested separately)', async () => {
      const contract = aContract([
        { sku: 'MS-O365-E1', quantity: 5 },
        { sku: 'MS-PROJECT-P1', quantity: 5 },
      ]);
      const [first, second] = contract.lines;
      await spec
        .given(contract.given())
        .when(request(contract.id, 'quantity-changes', { lines: [{ lineId: first.lineId, quantity: 6 }, { lineId: second.lineId, quantity: 4 }] }))
        .then(expectProblem(400, 'VALIDATION_FAILED', ['lines']), expectResponse(400, { errors: [expect.objectContaining({ message: expect.stringContaining('separately') })] }), expectNothingAppended());
    });
  });

  describe('商品変更 (product-changes): upgrades of the same vendor and billing policy only', () => {
    it('Office 365 E1 → E3: a change (数量・商品変更) to the new product at its price', async () => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 3 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'product-changes', { lines: [{ lineId: contract.lines[0].lineId, sku: 'MS-O365-E3' }] }))
        .then(
          expectResponse(201, { type: 'CHANGE', typeLabel: '数量・商品変更', lines: [expect.objectContaining({ sku: 'MS-O365-E1', newSku: 'MS-O365-E3', newUnitPrice: 2170, newQuantity: 3 })] }),
          expectNewEvents('contract', contract.streamId, [{ type: 'ContractChangeOpened', data: { type: 'CHANGE', lines: [{ newSku: 'MS-O365-E3' }] } }]),
        );
    });

    it.each([
      ['MS-O365-E1', 'SN-POCKETALK-CC-M', 'OTHER_VENDOR'],
      ['MS-O365-E1', 'MS-AZURE-PLAN', 'OTHER_BILLING_POLICY'],
      ['MS-O365-E1', 'MS-PROJECT-P1', 'NOT_AN_UPGRADE'],
      ['MS-O365-E3', 'MS-O365-E1', 'NOT_AN_UPGRADE'],
    ])('%s → %s: 422 %s, no change opened', async (from, to, code) => {
      const contract = aContract([{ sku: from, quantity: 2 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'product-changes', { lines: [{ lineId: contract.lines[0].lineId, sku: to }] }))
        .then(expectProblem(422, code), expectNothingAppended());
    });

    it('a downgrade says why: E3 → E1 is not an upgrade', async () => {
      const contract = aContract([{ sku: 'MS-O365-E3', quantity: 2 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'product-changes', { lines: [{ lineId: contract.lines[0].lineId, sku: 'MS-O365-E1' }] }))
        .then(expectResponse(422, { detail: expect.stringContaining('MS-O365-E1 is not an upgrade of MS-O365-E3') }), expectNothingAppended());
    });
  });

  describe('契約更新手続き (renewals): lines with a term, same product', () => {
    it('an annual line: a renewal (更新) of the next term’s quantity', async () => {
      const contract = aContract([{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'renewals', { lines: [{ lineId: contract.lines[0].lineId, quantity: 3 }] }))
        .then(
          expectResponse(201, { type: 'RENEWAL', typeLabel: '更新', lines: [expect.objectContaining({ currentQuantity: 2, newQuantity: 3 })] }),
          expectNewEvents('contract', contract.streamId, [{ type: 'ContractChangeOpened', data: { type: 'RENEWAL' } }]),
        );
    });

    it('a line without a term (monthly, until cancelled): 422 NO_TERM', async () => {
      const contract = aContract([{ sku: 'SN-POCKETALK-CC-M', quantity: 1 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'renewals', { lines: [{ lineId: contract.lines[0].lineId }] }))
        .then(expectProblem(422, 'NO_TERM'), expectNothingAppended());
    });

    it('another product for the next term: 422 RENEWAL_PRODUCT_CHANGE', async () => {
      const contract = aContract([{ sku: 'MS-M365-BP-NCE-Y', quantity: 2 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'renewals', { lines: [{ lineId: contract.lines[0].lineId, sku: 'MS-M365-BP-NCE-M' }] }))
        .then(expectProblem(422, 'RENEWAL_PRODUCT_CHANGE'), expectNothingAppended());
    });
  });

  describe('自動更新 (PUT …/lines/:lineId/auto-renew)', () => {
    const autoRenew = (contractId: string, lineId: string, value: boolean, token = asDirect) => () => h.http(token).put(`/contracts/${contractId}/lines/${lineId}/auto-renew`, { autoRenew: value });

    it('off for an annual line: ContractLineAutoRenewSet, shown off', async () => {
      const contract = aContract([{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }]);
      const [line] = contract.lines;
      await spec
        .given(contract.given())
        .when(autoRenew(contract.id, line.lineId, false))
        .then(
          expectResponse(200, { lines: [expect.objectContaining({ id: line.lineId, autoRenew: false })] }),
          expectNewEvents('contract', contract.streamId, [{ type: 'ContractLineAutoRenewSet', data: { lineId: line.lineId, autoRenew: false } }]),
        );
    });

    it('set to what it already is: 200, nothing appended', async () => {
      const contract = aContract([{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }]);
      const [line] = contract.lines;
      await spec
        .given(contract.given(contract.autoRenewSet(line.lineId, false)))
        .when(autoRenew(contract.id, line.lineId, false))
        .then(expectResponse(200, { lines: [expect.objectContaining({ autoRenew: false })] }), expectNothingAppended());
    });

    it('a line without a term: 422 NO_TERM', async () => {
      const contract = aContract([{ sku: 'SN-POCKETALK-CC-M', quantity: 1 }]);
      await spec
        .given(contract.given())
        .when(autoRenew(contract.id, contract.lines[0].lineId, false))
        .then(expectProblem(422, 'NO_TERM'), expectNothingAppended());
    });

    it('a line already ended: 422 LINE_NOT_ACTIVE', async () => {
      const contract = aContract([
        { sku: 'SN-POCKETALK-SI-Y', quantity: 2 },
        { sku: 'SN-POCKETALK-SI-Y', quantity: 1 },
      ]);
      const [ended] = contract.lines;
      await spec
        .given(contract.given(contract.linesCancelled([ended.lineId], 'ACTIVE')))
        .when(autoRenew(contract.id, ended.lineId, true))
        .then(expectProblem(422, 'LINE_NOT_ACTIVE'), expectNothingAppended());
    });

    it("another reseller's contract: 404 CONTRACT_NOT_FOUND", async () => {
      const contract = aContract([{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }]);
      await spec
        .given(contract.given())
        .when(autoRenew(contract.id, contract.lines[0].lineId, false, asIndirect))
        .then(expectProblem(404, 'CONTRACT_NOT_FOUND'), expectNothingAppended());
    });
  });

  describe('who may ask', () => {
    it.each([
      ['cancellations', 1],
      ['quantity-changes', 4],
    ])("another reseller's contract (%s): 404 CONTRACT_NOT_FOUND, nothing appended", async (kind, quantity) => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 3 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, kind, { lines: [{ lineId: contract.lines[0].lineId, quantity }] }, asIndirect))
        .then(expectProblem(404, 'CONTRACT_NOT_FOUND'), expectNothingAppended());
    });

    it('an unknown contract: 404 CONTRACT_NOT_FOUND', async () => {
      await spec
        .given()
        .when(request(randomUUID(), 'cancellations', { all: true }))
        .then(expectProblem(404, 'CONTRACT_NOT_FOUND'), expectNothingAppended());
    });

    it('a renewal run is for distributor staff: a reseller’s admin gets 403', async () => {
      await spec
        .given()
        .when(() => h.http(asDirect).post('/contracts/renewal-runs', { date: '2028-01-01' }))
        .then(expectProblem(403, 'FORBIDDEN'), expectNothingAppended());
    });

    it('a sales agent may request a cancellation', async () => {
      const contract = aContract([{ sku: 'MS-O365-E1', quantity: 3 }]);
      await spec
        .given(contract.given())
        .when(request(contract.id, 'cancellations', { all: true }, tokenFor('sales-agent', 'r-direct')))
        .then(expectResponse(201, { status: 'APPLIED' }), changeCreated('ContractChangeRequested'));
    });
  });
});
