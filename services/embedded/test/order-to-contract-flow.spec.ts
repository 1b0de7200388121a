import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { parseRawMail } from '@lp/testing';
import { asDirect, asDistributor, Harness, placeOrder, readyCustomer } from './support/harness';

/**
 * Issue 4 through the API of the embedded runtime: seed 000 from a customer to 契約中, and the
 * StreamOne path of seed 002 (manual activation, notice mail into the local mailbox).
 */
describe('order to contract (seed 000, seed 002 StreamOne) through the HTTP API', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  it('customer → tenant/MCA → order → accept → tenant → place → subscriptions ACTIVE → contract → confirm → 契約中', async () => {
    const customer = await readyCustomer(h);
    const { customerId } = customer;
    const order = await placeOrder(h, customer, [{ sku: 'MS-O365-E1', quantity: 3 }, { sku: 'MS-PROJECT-P1', quantity: 1 }]);

    const subscriptions = await h.http().get(`/provisioning/subscriptions?orderId=${order.id}`).expect(200);
    expect(subscriptions.body.total).toBe(2);
    for (const subscription of subscriptions.body.items) {
      expect(subscription).toMatchObject({ customerId, orderId: order.id, status: 'ACTIVE', statusLabel: 'アクティベーション済' });
      expect(subscription.vendorSubscriptionId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    }

    const created = await h
      .http()
      .post('/contracts', {
        orderId: order.id,
        lineIds: order.lines.map((line) => line.id),
        subject: 'Office 365 E1 ほか',
        subjectForForms: 'Office 365 E1 ほか',
        contractDate: '2026-05-20',
      })
      .expect(201);
    expect(created.body).toMatchObject({
      status: 'PENDING',
      statusLabel: '新規契約手続中',
      contractNumber: expect.stringMatching(/^NCN202605-\d{10}$/),
      orderNumber: order.orderNumber,
      billing: false,
    });

    const confirmed = await h.http().post(`/contracts/${created.body.id}/confirm`, { startDate: '2026-05-20' }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中', billing: true });
    const subscriptionOfLine = new Map(subscriptions.body.items.map((s: { orderLineId: string; id: string }) => [s.orderLineId, s.id]));
    for (const line of confirmed.body.lines) {
      expect(line).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中', startDate: '2026-05-20', subscriptionId: subscriptionOfLine.get(line.orderLineId) });
    }

    const list = await h.http().get(`/contracts?customerId=${customerId}`).expect(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 20, total: 1 });
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, status: 'ACTIVE', statusLabel: '契約中', billing: true, startDate: '2026-05-20' });
    expect(list.body.items[0].productNames).toEqual(expect.arrayContaining(['Office 365 E1', 'Project Plan 1']));

    const history = await h.http().get(`/contracts/${created.body.id}/history`).expect(200);
    expect(history.body.map((event: { type: string }) => event.type)).toEqual(['ContractCreated', 'ContractConfirmed']);

    // A line is in at most one contract.
    const again = await h
      .http()
      .post('/contracts', { orderId: order.id, lineIds: [order.lines[0].id], subject: 's', subjectForForms: 's', contractDate: '2026-05-20' })
      .expect(422);
    expect(again.body.code).toBe('LINE_ALREADY_CONTRACTED');
  });

  it('StreamOne waits in MANUAL_PROVISIONING; confirming is refused until the distributor activates it; the reseller gets a notice mail', async () => {
    const customer = await readyCustomer(h);
    const { customerId } = customer;
    const order = await placeOrder(h, customer, [{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }]);
    const [subscription] = (await h.http().get(`/provisioning/subscriptions?orderId=${order.id}`).expect(200)).body.items;
    expect(subscription).toMatchObject({ status: 'MANUAL_PROVISIONING', statusLabel: 'マニュアルプロビジョニング', vendorSubscriptionId: expect.stringMatching(/^SO-\d{10}$/) });

    const contract = await h
      .http()
      .post('/contracts', { orderId: order.id, lineIds: [order.lines[0].id], subject: 'ポケトーク', subjectForForms: 'ポケトーク', contractDate: '2026-05-20' })
      .expect(201);
    const early = await h.http().post(`/contracts/${contract.body.id}/confirm`, {}).expect(409);
    expect(early.body.code).toBe('PROVISIONING_NOT_COMPLETE');

    await h.http(asDirect).post(`/provisioning/subscriptions/${subscription.id}/activate`).expect(403);
    const activated = await h.http(asDistributor).post(`/provisioning/subscriptions/${subscription.id}/activate`).expect(200);
    expect(activated.body).toMatchObject({ status: 'ACTIVE', statusLabel: 'アクティベーション済', activatedAt: expect.any(String) });
    await h.settle();

    // No SMTP configured: the notice lands in the local mailbox, addressed to the reseller, not the end user.
    const mailbox = join(h.dataDir, 'mailbox');
    const noticeFiles = () =>
      (existsSync(mailbox) ? readdirSync(mailbox).filter((name) => name.endsWith('.eml')) : [])
        .map((name) => join(mailbox, name))
        .filter((file) => parseRawMail(readFileSync(file)).text.includes(subscription.vendorSubscriptionId));
    const [noticeFile] = noticeFiles();
    const notices = noticeFiles().map((file) => parseRawMail(readFileSync(file)));
    expect(notices).toHaveLength(1);
    expect(notices[0].header('To')).toBe('orders@direct.example.jp');
    expect(notices[0].header('Subject')).toContain('アクティベーション完了');
    expect(notices[0].text).toContain('ポケトーク');
    expect(notices[0].text).not.toContain('yamada@example.co.jp');

    const confirmed = await h.http().post(`/contracts/${contract.body.id}/confirm`, {}).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中' });

    // A restart sends nothing twice. A resend would rewrite the same file (its name comes from the
    // Message-ID) through a new temporary file, so the inode tells whether it was written again.
    const writtenAs = statSync(noticeFile).ino;
    await h.restart();
    await h.settle();
    expect(noticeFiles()).toEqual([noticeFile]);
    expect(statSync(noticeFile).ino).toBe(writtenAs);
  });
});
