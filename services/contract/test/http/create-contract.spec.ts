import { anEvent } from '@lp/testing';
import { contractLinesStreamId } from '../../src/domain/line-reservations';
import { asDirect, asIndirect, contractBody, Harness, placedOrder } from './support';

describe('POST /contracts (契約作成) on the embedded runtime', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  it('creates a PENDING contract from placed lines, numbered NCN + yyyyMM of the contract date', async () => {
    const order = await placedOrder(h, ['MS-O365-E1', 'MS-PROJECT-P1']);
    const created = await h
      .http()
      .post('/contracts', contractBody(order, { contractDate: '2026-07-03', paymentMethod: '請求書払い', storeNotes: '更新前に連絡' }))
      .expect(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      contractNumber: expect.stringMatching(/^NCN202607-\d{10}$/),
      orderId: order.id,
      orderNumber: order.orderNumber,
      customerId: order.customerId,
      customerCompanyName: '株式会社サンプル',
      status: 'PENDING',
      statusLabel: '新規契約手続中',
      subject: 'Office 365 導入',
      subjectForForms: 'Office 365 導入 (帳票)',
      contractDate: '2026-07-03',
      paymentMethod: '請求書払い',
      storeNotes: '更新前に連絡',
      purchaseOrderNumber: 'PO-1',
      billing: false,
      startDate: null,
      productNames: ['Office 365 E1', 'Project Plan 1'],
    });
    expect(created.body.lines).toEqual([
      expect.objectContaining({ id: order.lines[0].id, orderLineId: order.lines[0].id, sku: 'MS-O365-E1', productName: 'Office 365 E1', quantity: 2, unitPrice: 870, status: 'PENDING', statusLabel: '新規契約手続中', startDate: null, endDate: null, cancelledOn: null }),
      expect.objectContaining({ id: order.lines[1].id, sku: 'MS-PROJECT-P1', status: 'PENDING' }),
    ]);
    expect((await h.http().get(`/contracts/${created.body.id}`).expect(200)).body).toEqual(created.body);

    const next = await h.http().post('/contracts', contractBody(await placedOrder(h, ['MS-M365-BB']), { contractDate: '2026-07-04' })).expect(201);
    const sequence = (n: string) => Number(n.slice(-10));
    expect(sequence(next.body.contractNumber)).toBeGreaterThan(sequence(created.body.contractNumber));
  });

  it('takes a contract number given by hand, and refuses it a second time: 409 DUPLICATE_CONTRACT_NUMBER, burning no line', async () => {
    const order = await placedOrder(h, ['MS-O365-E1', 'MS-PROJECT-P1']);
    const first = await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[0].id], contractNumber: 'NCN202107-0000003109' })).expect(201);
    expect(first.body.contractNumber).toBe('NCN202107-0000003109');

    const duplicate = await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[1].id], contractNumber: 'NCN202107-0000003109' })).expect(409);
    expect(duplicate.body).toMatchObject({ status: 409, code: 'DUPLICATE_CONTRACT_NUMBER' });
    // The refused contract left its line free.
    await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[1].id] })).expect(201);
  });

  it('answers 400 naming every missing or malformed field', async () => {
    const response = await h.http().post('/contracts', { lineIds: [], subject: '', contractDate: '2026-02-30' }).expect(400);
    const paths = response.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['orderId', 'lineIds', 'subject', 'subjectForForms', 'contractDate']));
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a line listed twice (400) and a line of the order that is not placed: 422 LINE_NOT_PLACED', async () => {
    const order = await placedOrder(h, ['MS-O365-E1', 'MS-PROJECT-P1'], { place: [0] });
    expect(order.lines.map((line) => line.placementStatus)).toEqual(['PLACED', 'UNPLACED']);
    const twice = await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[0].id, order.lines[0].id] })).expect(400);
    expect(twice.body.errors[0].path).toBe('lineIds');

    const unplaced = await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[1].id] })).expect(422);
    expect(unplaced.body).toMatchObject({ status: 422, code: 'LINE_NOT_PLACED' });
    const unknown = await h.http().post('/contracts', contractBody(order, { lineIds: ['no-such-line'] })).expect(422);
    expect(unknown.body.code).toBe('LINE_NOT_PLACED');

    // Once the second part is placed, its line can be contracted (lines accumulate over placements).
    await h.http().post(`/orders/${order.id}/place`, { placedOn: '2026-05-16' }).expect(200);
    const later = await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[1].id] })).expect(201);
    expect(later.body.lines[0]).toMatchObject({ orderLineId: order.lines[1].id, placedOn: '2026-05-16' });
  });

  it('answers 404 for an unknown order and for another reseller’s order', async () => {
    const order = await placedOrder(h, ['MS-O365-E1']);
    const unknown = await h.http().post('/contracts', contractBody(order, { orderId: 'no-such-order' })).expect(404);
    expect(unknown.body.code).toBe('ORDER_NOT_FOUND');
    await h.http(asIndirect).post('/contracts', contractBody(order)).expect(404);
  });

  it('puts a line in at most one contract: 422 LINE_ALREADY_CONTRACTED', async () => {
    const order = await placedOrder(h, ['MS-O365-E1', 'MS-PROJECT-P1']);
    await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[0].id] })).expect(201);
    const again = await h.http().post('/contracts', contractBody(order)).expect(422);
    expect(again.body).toMatchObject({ code: 'LINE_ALREADY_CONTRACTED' });
    expect(again.body.detail).toContain(order.lines[0].id);
    // The other line is still free.
    await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[1].id] })).expect(201);
  });

  it('lets exactly one of several concurrent contracts for the same line win', async () => {
    const order = await placedOrder(h, ['MS-O365-E1', 'MS-PROJECT-P1', 'MS-M365-BB']);
    const sameLine = Array.from({ length: 4 }, () => h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[0].id] })));
    // Concurrent contracts for other lines of the same order race on the same stream and must all win.
    const otherLines = [1, 2].map((index) => h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[index].id] })));
    const responses = await Promise.all([...sameLine, ...otherLines]);
    const same = responses.slice(0, 4);
    expect(same.filter((response) => response.status === 201)).toHaveLength(1);
    expect(same.filter((response) => response.status === 422).map((response) => response.body.code)).toEqual(Array(3).fill('LINE_ALREADY_CONTRACTED'));
    expect(responses.slice(4).map((response) => response.status)).toEqual([201, 201]);

    const list = await h.http().get(`/contracts?customerId=${order.customerId}`).expect(200);
    expect(list.body.total).toBe(3);
    const numbers = list.body.items.map((item: { contractNumber: string }) => item.contractNumber);
    expect(new Set(numbers).size).toBe(3);
  });

  describe('a reservation whose contract was never created (crash between the two appends)', () => {
    const reserve = async (orderId: string, contractId: string, lineIds: string[], occurredAt: string) => {
      const store = h.embedded.runtimes.contract.eventStore;
      await store.appendToStream(contractLinesStreamId(orderId), [anEvent('ContractLinesReserved', { contractId, orderId, lineIds }, { occurredAt })]);
    };

    it('still holds its lines within the grace period (the creation may be in flight)', async () => {
      const order = await placedOrder(h, ['MS-O365-E1']);
      await reserve(order.id, 'in-flight', [order.lines[0].id], new Date().toISOString());
      const refused = await h.http().post('/contracts', contractBody(order)).expect(422);
      expect(refused.body.code).toBe('LINE_ALREADY_CONTRACTED');
    });

    it('counts as released after the grace period, and its contract can never appear afterwards', async () => {
      const order = await placedOrder(h, ['MS-O365-E1']);
      await reserve(order.id, 'crashed', [order.lines[0].id], new Date(Date.now() - 10 * 60_000).toISOString());
      const created = await h.http().post('/contracts', contractBody(order)).expect(201);

      const store = h.embedded.runtimes.contract.eventStore;
      const reservations = await store.readStream(contractLinesStreamId(order.id));
      expect(reservations.map((event) => [event.type, (event.data as { contractId: string }).contractId])).toEqual([
        ['ContractLinesReserved', 'crashed'],
        ['ContractLinesReleased', 'crashed'],
        ['ContractLinesReserved', created.body.id],
      ]);
      // The crashed contract's stream is tombstoned: a late ContractCreated for it cannot be appended.
      const tombstone = await store.readStream('contract-crashed');
      expect(tombstone.map((event) => event.type)).toEqual(['ContractCreationAbandoned']);
      await h.http().get('/contracts/crashed').expect(404);
      await h.http().get('/contracts/crashed/history').expect(404);
    });

    it('keeps a reservation whose contract exists, however old', async () => {
      const order = await placedOrder(h, ['MS-O365-E1']);
      const created = await h.http().post('/contracts', contractBody(order)).expect(201);
      // Re-reserving the same contract's lines with an old timestamp must not free them.
      await reserve(order.id, created.body.id, [order.lines[0].id], new Date(Date.now() - 10 * 60_000).toISOString());
      const again = await h.http().post('/contracts', contractBody(order)).expect(422);
      expect(again.body.code).toBe('LINE_ALREADY_CONTRACTED');
    });
  });

  it('replays the answer for a repeated Idempotency-Key and creates nothing twice', async () => {
    const order = await placedOrder(h, ['MS-O365-E1']);
    const send = () => h.http(asDirect).post('/contracts', contractBody(order)).set('Idempotency-Key', `k-${order.id}`);
    const first = await send().expect(201);
    const second = await send().expect(201);
    expect(second.body.id).toBe(first.body.id);
    const list = await h.http().get(`/contracts?customerId=${order.customerId}`).expect(200);
    expect(list.body.total).toBe(1);
  });
});
