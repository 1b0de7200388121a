import { asDirect, asDistributor, customerBody, Harness, withReadyCustomer } from './support/harness';

/*
 * Every business value is checked where it enters: dates and months within 2000–2099 and real,
 * manual numbers in their pattern, strings trimmed and required ones not blank, objects that are
 * objects, amounts and quantities within bounds. A bad value is a 400 naming the field, and the
 * value next to it that is fine is still accepted.
 */
const UNSAFE = 2 ** 53 + 10;
const order = (customerId: string, fields: object = {}) => ({ customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }], ...fields });
const usage = (fields: object = {}) => ({ usageId: 'u-1', lineId: 'no-such-line', month: '2026-06', amount: 100, description: 'Azure', ...fields });
const attestation = (fields: object = {}) => ({ firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', acceptedOn: '2026-05-01', ...fields });
const contract = (fields: object = {}) => ({ orderId: 'no-such-order', lineIds: ['l-1'], subject: 'E1', subjectForForms: 'E1', contractDate: '2026-05-15', ...fields });

describe('value rules: every bad business value is a 400 naming the field', () => {
  let h: Harness;
  let customerId: string;
  let tenantId: string;
  withReadyCustomer((ready) => ({ h, customerId, tenantId } = ready));

  type Case = [string, 'post' | 'put' | 'get', () => string, (() => object) | undefined, string, string?];
  const cases: Case[] = [
    ['customer contact: []', 'post', () => '/customers', () => customerBody({ contact: [] }), 'contact'],
    ['customer address: []', 'post', () => '/customers', () => customerBody({ address: [] }), 'address'],
    ['customer address: "x"', 'post', () => '/customers', () => customerBody({ address: 'x' }), 'address'],
    ['customer companyName of spaces', 'post', () => '/customers', () => customerBody({ companyName: '   ' }), 'companyName'],
    ['customer siteName of full-width spaces', 'post', () => '/customers', () => customerBody({ siteName: '\u3000\u3000' }), 'siteName'],
    ['customer contact.name blank', 'post', () => '/customers', () => customerBody({ contact: { name: ' ', phone: '03-1234-5678', email: 'a@example.jp' } }), 'contact.name'],
    ['order number hello', 'post', () => '/orders', () => order(customerId, { orderNumber: 'hello' }), 'orderNumber'],
    ['order number NOD199901-…', 'post', () => '/orders', () => order(customerId, { orderNumber: 'NOD199901-0000000001' }), 'orderNumber'],
    ['order number NOD202613-…', 'post', () => '/orders', () => order(customerId, { orderNumber: 'NOD202613-0000000001' }), 'orderNumber'],
    ['order number of 9 digits', 'post', () => '/orders', () => order(customerId, { orderNumber: 'NOD202605-000000001' }), 'orderNumber'],
    ['order date 0000-01-01', 'post', () => '/orders', () => order(customerId, { orderDate: '0000-01-01' }), 'orderDate'],
    ['order date 9999-12-31', 'post', () => '/orders', () => order(customerId, { orderDate: '9999-12-31' }), 'orderDate'],
    ['order date 1999-12-31', 'post', () => '/orders', () => order(customerId, { orderDate: '1999-12-31' }), 'orderDate'],
    ['order date 2100-01-01', 'post', () => '/orders', () => order(customerId, { orderDate: '2100-01-01' }), 'orderDate'],
    ['order date 2026-02-30', 'post', () => '/orders', () => order(customerId, { orderDate: '2026-02-30' }), 'orderDate'],
    ['order date 2025-02-29', 'post', () => '/orders', () => order(customerId, { orderDate: '2025-02-29' }), 'orderDate'],
    ['order lines: {}', 'post', () => '/orders', () => order(customerId, { lines: {} }), 'lines'],
    ['order line as a list', 'post', () => '/orders', () => order(customerId, { lines: [[{ sku: 'MS-O365-E1', quantity: 1 }]] }), 'lines'],
    ['order quantity 2^53+10', 'post', () => '/orders', () => order(customerId, { lines: [{ sku: 'MS-O365-E1', quantity: UNSAFE }] }), 'lines[0].quantity'],
    ['order customerId blank', 'post', () => '/orders', () => order('  '), 'customerId'],
    ['order accept date 0000-01-01', 'post', () => '/orders/no-such-order/accept', () => ({ acceptedOn: '0000-01-01' }), 'acceptedOn'],
    ['provisioning target blank', 'put', () => '/orders/no-such-order/provisioning-target', () => ({ tenantId: ' ' }), 'tenantId'],
    ['order list from 0000-01-01', 'get', () => '/orders?from=0000-01-01', undefined, 'from'],
    ['order list page 2^53+10', 'get', () => `/orders?page=${UNSAFE}`, undefined, 'page'],
    ['MCA acceptedOn 0000-01-01', 'post', () => `/tenants/${tenantId}/customer-agreement`, () => attestation({ acceptedOn: '0000-01-01' }), 'acceptedOn', asDistributor],
    ['MCA firstName blank', 'post', () => `/tenants/${tenantId}/customer-agreement`, () => attestation({ firstName: '\t' }), 'firstName', asDistributor],
    ['direct acceptance 1999-12-31', 'post', () => `/tenants/${tenantId}/customer-agreement/direct-acceptance`, () => ({ acceptedOn: '1999-12-31' }), 'acceptedOn'],
    ['tenant GUID with Unicode digits', 'post', () => `/customers/${customerId}/tenants`, () => ({ tenantId: '٣f2504e0-4f89-11d3-9a0c-0305e82c3301', primaryDomain: 'x.onmicrosoft.com' }), 'tenantId'],
    ['billing run 0000-01', 'post', () => '/billing/runs', () => ({ month: '0000-01' }), 'month', asDistributor],
    ['billing run 9999-12', 'post', () => '/billing/runs', () => ({ month: '9999-12' }), 'month', asDistributor],
    ['usage month 1900-01', 'post', () => '/billing/usage', () => usage({ month: '1900-01' }), 'month', asDistributor],
    ['usage amount 2^53+10', 'post', () => '/billing/usage', () => usage({ amount: UNSAFE }), 'amount', asDistributor],
    ['usage amount -1', 'post', () => '/billing/usage', () => usage({ amount: -1 }), 'amount', asDistributor],
    ['usage description blank', 'post', () => '/billing/usage', () => usage({ description: '  ' }), 'description', asDistributor],
    ['contract number hello', 'post', () => '/contracts', () => contract({ contractNumber: 'hello' }), 'contractNumber'],
    ['contract number NCN000001-…', 'post', () => '/contracts', () => contract({ contractNumber: 'NCN000001-0000000001' }), 'contractNumber'],
    ['contract number with the order prefix', 'post', () => '/contracts', () => contract({ contractNumber: 'NOD202605-0000000001' }), 'contractNumber'],
    ['contract date 9999-12-31', 'post', () => '/contracts', () => contract({ contractDate: '9999-12-31' }), 'contractDate'],
    ['contract subject blank', 'post', () => '/contracts', () => contract({ subject: '  ' }), 'subject'],
    ['contract line id blank', 'post', () => '/contracts', () => contract({ lineIds: [' '] }), 'lineIds'],
    ['contract start date 2100-01-01', 'post', () => '/contracts/no-such-contract/confirm', () => ({ startDate: '2100-01-01' }), 'startDate'],
    ['cancellation quantity 2^53+10', 'post', () => '/contracts/no-such-contract/cancellations', () => ({ lines: [{ lineId: 'l-1', quantity: UNSAFE }] }), 'lines[0].quantity'],
    ['cancellation requestedOn 0000-01-01', 'post', () => '/contracts/no-such-contract/cancellations', () => ({ all: true, requestedOn: '0000-01-01' }), 'requestedOn'],
    ['cancellation end date ""', 'post', () => '/contract-changes/no-such-change/confirm-cancellation', () => ({ endDate: '' }), 'endDate'],
  ];

  it.each(cases)('%s → 400 on %s', async (_name, method, path, body, field, token = asDirect) => {
    const client = h.http(token);
    const res = await (method === 'get' ? client.get(path()) : client[method](path(), body!()));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((error: { path: string }) => error.path)).toContain(field);
  });

  it('lists every bad field of one request at once', async () => {
    const res = await h.http().post('/orders', order('', { orderNumber: 'hello', orderDate: '0000-01-01', subject: 7 })).expect(400);
    const paths = new Set(res.body.errors.map((error: { path: string }) => error.path));
    expect([...paths].sort()).toEqual(['customerId', 'orderDate', 'orderNumber', 'subject']);
  });

  it('trims strings and keeps the good values next to the bad ones', async () => {
    const customer = await h
      .http()
      .post('/customers', customerBody({ companyName: '  株式会社トリム\u3000', siteName: ' 本社 ', contact: { name: ' 山田 ', phone: '03-1234-5678', email: ' yamada@example.co.jp ' } }))
      .expect(201);
    expect(customer.body).toMatchObject({ companyName: '株式会社トリム', siteName: '本社' });
    expect(customer.body.contact).toMatchObject({ name: '山田', email: 'yamada@example.co.jp' });

    for (const orderDate of ['2000-01-01', '2024-02-29', '2099-12-31']) {
      const created = await h.http().post('/orders', order(customerId, { orderDate })).expect(201);
      expect(created.body.orderNumber).toMatch(new RegExp(`^NOD${orderDate.slice(0, 4)}${orderDate.slice(5, 7)}-\\d{10}$`));
    }
    const manual = await h.http().post('/orders', order(customerId, { orderNumber: 'NOD209901-0000004242', subject: '  ' })).expect(201);
    expect(manual.body.orderNumber).toBe('NOD209901-0000004242');
    expect(manual.body.subject).toBe('Office 365 E1');
    await h.http().post('/orders', order(customerId, { lines: [{ sku: 'MS-O365-E1', quantity: 100_000 }] })).expect(201);
    await h.http().get('/orders?from=2000-01-01&to=2099-12-31').expect(200);
    await h.http(asDistributor).post('/billing/runs', { month: '2000-01' }).expect(200);
    // Well-formed usage for a line billing does not know is a business refusal, not a bad value.
    const unknownLine = await h.http(asDistributor).post('/billing/usage', usage({ amount: 100_000_000_000, month: '2099-12' }));
    expect(unknownLine.status).toBe(422);
  });
});
