import { DeciderSpecification, ExpectedDomainError } from '@lp/testing';
import { CATALOG } from '@lp/integration-events';
import { findProduct, orderLineFor } from '../../src/domain/catalog';
import { OrderCommand, orderDecider, OrderState, subjectFromProducts, TenantView } from '../../src/domain/order';
import { OrderCreatedData, OrderEvent, OrderLine, OrderStatus, PlacedLine } from '../../src/domain/order-events';

const given = DeciderSpecification.for(orderDecider);

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** A line as the command handler builds it: product data (term included) copied from the catalog. */
type CatalogLine = OrderLine & Pick<PlacedLine, 'term'>;
function lineOf(lineId: string, sku: string, quantity = 1): CatalogLine {
  const product = findProduct(sku);
  if (!product) throw new Error(`unknown sku ${sku}`);
  return orderLineFor(product, lineId, quantity) as CatalogLine;
}

const E1 = lineOf('l1', 'MS-O365-E1', 10);
const PROJECT = lineOf('l2', 'MS-PROJECT-P1', 2);
const POCKETALK = lineOf('l3', 'SN-POCKETALK-CC-M', 3);

const ORDER_ID = 'o-1';
const CUSTOMER = 'c-1';
const OTHER_CUSTOMER = 'c-2';

const orderData = (overrides: Partial<OrderCreatedData> = {}): OrderCreatedData => ({
  orderId: ORDER_ID,
  resellerId: 'r-direct',
  customerId: CUSTOMER,
  orderNumber: 'NOD202107-0000007551',
  subject: 'July renewal',
  subjectForForms: 'July renewal (forms)',
  orderDate: '2021-07-01',
  purchaseOrderNumber: 'PO-1',
  endUserOrderNumber: 'EU-1',
  lines: [E1, PROJECT, POCKETALK],
  ...overrides,
});

type CreateInput = Extract<OrderCommand, { type: 'CreateOrder' }>['order'];
const createOrder = (overrides: Partial<CreateInput> = {}): OrderCommand => ({
  type: 'CreateOrder',
  order: { ...orderData(), ...overrides },
});

const created = (overrides: Partial<OrderCreatedData> = {}): OrderEvent => ({ type: 'OrderCreated', data: orderData(overrides) });
const identity = { orderId: ORDER_ID, resellerId: 'r-direct', customerId: CUSTOMER, orderNumber: 'NOD202107-0000007551' };
const accepted = (acceptedOn = '2021-07-02'): OrderEvent => ({ type: 'OrderAccepted', data: { ...identity, acceptedOn } });
const revoked: OrderEvent = { type: 'OrderAcceptanceRevoked', data: { orderId: ORDER_ID } };
const targetSelected = (tenantId: string): OrderEvent => ({ type: 'ProvisioningTargetSelected', data: { orderId: ORDER_ID, tenantId } });
const cancelled: OrderEvent = { type: 'OrderCancelled', data: { ...identity, cancelledOn: '2021-07-03' } };
const deleted: OrderEvent = { type: 'OrderDeleted', data: { orderId: ORDER_ID } };

const placedLine = (line: CatalogLine, tenantId?: string): PlacedLine => (tenantId ? { ...line, tenantId } : { ...line });
const placed = (lines: PlacedLine[], placedOn: string, fullyPlaced: boolean): OrderEvent => ({
  type: 'OrderPlaced',
  data: { ...identity, purchaseOrderNumber: 'PO-1', endUserOrderNumber: 'EU-1', placedOn, lines, fullyPlaced },
});

const tenant = (tenantId: string, overrides: Partial<TenantView> = {}): TenantView => ({
  tenantId,
  customerId: CUSTOMER,
  mcaAccepted: true,
  ...overrides,
});
const T1 = tenant('t-1');
const T2 = tenant('t-2');
const T_NO_MCA = tenant('t-no-mca', { mcaAccepted: false });
const T_OTHER = tenant('t-other', { customerId: OTHER_CUSTOMER });

const place = (customerTenants: TenantView[], lineIds?: string[], placedOn = '2021-07-05'): OrderCommand => ({
  type: 'PlaceOrder',
  placedOn,
  customerTenants,
  ...(lineIds ? { lineIds } : {}),
});

/** The E1 line placed on 07-05 into t-1, leaving PROJECT and POCKETALK unplaced. */
const partiallyPlaced = placed([placedLine(E1, 't-1')], '2021-07-05', false);
const fullyPlaced = placed([placedLine(E1, 't-1'), placedLine(PROJECT, 't-1'), placedLine(POCKETALK)], '2021-07-05', true);

/** A history that leaves the order in each status. */
const history: Record<OrderStatus, OrderEvent[]> = {
  APPLIED: [created()],
  ACCEPTED: [created(), accepted()],
  PARTIALLY_PLACED: [created(), accepted(), partiallyPlaced],
  PLACED: [created(), accepted(), fullyPlaced],
  CANCELLED: [created(), cancelled],
  DELETED: [created(), deleted],
};
const ALL_STATUSES = Object.keys(history) as OrderStatus[];
const except = (...allowed: OrderStatus[]) => ALL_STATUSES.filter((status) => !allowed.includes(status));

const INVALID_STATE = { kind: 'conflict', code: 'INVALID_STATE' } as const;
const ALREADY_PLACED = { kind: 'conflict', code: 'ALREADY_PLACED' } as const;
const TENANT_REQUIRED = { kind: 'rule', code: 'TENANT_REQUIRED' } as const;

const statusOf = (state: OrderState) => state.status;
const existing = (state: OrderState) => {
  if (state.status === 'NONE') throw new Error('expected an existing order');
  return state;
};

// ---------------------------------------------------------------------------------------------

describe('order decider', () => {
  it('the fixture histories reach the status they are named after', () => {
    for (const status of ALL_STATUSES) given(history[status]).thenState({ status });
  });

  describe('CreateOrder (注文作成)', () => {
    it('creates the order with the given numbers, subjects, dates and lines', () => {
      given([]).when(createOrder()).then([created()]);
    });

    it('leaves the order APPLIED (申請) with every line UNPLACED (未発注)', () => {
      given([])
        .when(createOrder())
        .thenState((state) => {
          const order = existing(state);
          expect(order.status).toBe('APPLIED');
          expect(order.lines.map((line) => [line.lineId, line.placementStatus])).toEqual([
            ['l1', 'UNPLACED'],
            ['l2', 'UNPLACED'],
            ['l3', 'UNPLACED'],
          ]);
          expect(order).toMatchObject({ ...identity, purchaseOrderNumber: 'PO-1', endUserOrderNumber: 'EU-1' });
        });
    });

    it('copies the product data of each line (price, billing policy, vendor, channel, provisioning, trial, refund window) into the event', () => {
      const software = lineOf('l9', 'MS-WINSRV-2022-STD', 1);
      const trial = lineOf('l8', 'MS-O365-E1-TRIAL', 5);
      const nce = lineOf('l7', 'MS-M365-BP-NCE-Y', 2);
      const events = given([]).when(createOrder({ lines: [E1, software, trial, POCKETALK, nce] })).events();
      const [event] = events;
      expect(event.type).toBe('OrderCreated');
      const lines = (event as Extract<OrderEvent, { type: 'OrderCreated' }>).data.lines;
      expect(lines.map((line) => line.sku)).toEqual(['MS-O365-E1', 'MS-WINSRV-2022-STD', 'MS-O365-E1-TRIAL', 'SN-POCKETALK-CC-M', 'MS-M365-BP-NCE-Y']);
      // Every field the catalog knows of the product is on the line (the name as productName).
      for (const line of lines) {
        const product = CATALOG.find((candidate) => candidate.sku === line.sku)!;
        expect(line.productName).toBe(product.name);
        for (const [field, value] of Object.entries(product).filter(([field]) => field !== 'name' && field !== 'billingFrequency')) {
          expect({ sku: line.sku, field, value: (line as unknown as Record<string, unknown>)[field] }).toEqual({ sku: line.sku, field, value });
        }
      }
      expect(lines[0]).toMatchObject({ sku: 'MS-O365-E1', productName: 'Office 365 E1', unitPrice: 870, vendor: 'Microsoft', channel: 'CSP', billingPolicy: 'microsoft-csp-monthly', provisioning: 'automatic', trial: false, quantity: 10 });
      expect(lines[1]).toMatchObject({ unitPrice: 120000, billingPolicy: 'onprem-software', provisioning: 'key', refundWindowDays: 30 });
      expect(lines[2]).toMatchObject({ unitPrice: 0, trial: true });
      expect(lines[3]).toMatchObject({ vendor: 'Sourcenext', channel: 'StreamOne', billingPolicy: 'stellr-cutoff', provisioning: 'manual', unitPrice: 1100 });
      expect(lines[4]).toMatchObject({ billingPolicy: 'microsoft-nce', term: 'monthly', termDuration: 'P1Y', unitPrice: 2750 });
    });

    it('keeps the copied product data in the state lines', () => {
      given([created()]).thenState((state) => {
        expect(existing(state).lines).toEqual([
          { ...E1, placementStatus: 'UNPLACED' },
          { ...PROJECT, placementStatus: 'UNPLACED' },
          { ...POCKETALK, placementStatus: 'UNPLACED' },
        ]);
      });
    });

    describe('subject (件名)', () => {
      const duplicatedE1 = lineOf('l4', 'MS-O365-E1', 1);

      it('is generated from the distinct product names in line order when absent (商品名から生成)', () => {
        given([])
          .when(createOrder({ subject: undefined, subjectForForms: 'forms', lines: [E1, PROJECT, duplicatedE1, POCKETALK] }))
          .then([
            created({
              subject: 'Office 365 E1、Project Plan 1、ポケトーク字幕 (月額)',
              subjectForForms: 'forms',
              lines: [E1, PROJECT, duplicatedE1, POCKETALK],
            }),
          ]);
      });

      it.each([[''], ['   ']])('is generated when blank (%j)', (subject) => {
        given([])
          .when(createOrder({ subject, subjectForForms: 'forms', lines: [E1] }))
          .then([created({ subject: 'Office 365 E1', subjectForForms: 'forms', lines: [E1] })]);
      });

      it('is trimmed when given', () => {
        given([]).when(createOrder({ subject: '  July renewal  ' })).then([created()]);
      });

      it('is cut to 200 characters with an ellipsis when the product names are longer', () => {
        const long = (lineId: string, name: string): OrderLine => ({ ...E1, lineId, productName: name });
        const lines = [long('a', 'A'.repeat(120)), long('b', 'B'.repeat(120))];
        const subject = `${'A'.repeat(120)}、${'B'.repeat(78)}…`;
        expect(subject).toHaveLength(200);
        expect(subjectFromProducts(lines)).toBe(subject);
        given([])
          .when(createOrder({ subject: undefined, subjectForForms: undefined, lines }))
          .then([created({ subject, subjectForForms: subject, lines })]);
      });
    });

    describe('subject for forms (帳票用件名)', () => {
      it('is a copy of the subject when absent (件名をコピー)', () => {
        given([])
          .when(createOrder({ subject: 'July renewal', subjectForForms: undefined }))
          .then([created({ subject: 'July renewal', subjectForForms: 'July renewal' })]);
      });

      it('is a copy of the subject when blank', () => {
        given([])
          .when(createOrder({ subject: 'July renewal', subjectForForms: '  ' }))
          .then([created({ subject: 'July renewal', subjectForForms: 'July renewal' })]);
      });

      it('is a copy of the generated subject when both are blank', () => {
        given([])
          .when(createOrder({ subject: '', subjectForForms: '', lines: [E1, PROJECT] }))
          .then([created({ subject: 'Office 365 E1、Project Plan 1', subjectForForms: 'Office 365 E1、Project Plan 1', lines: [E1, PROJECT] })]);
      });

      it('is kept when given, even when the subject is generated', () => {
        given([])
          .when(createOrder({ subject: undefined, subjectForForms: 'For the invoice', lines: [PROJECT] }))
          .then([created({ subject: 'Project Plan 1', subjectForForms: 'For the invoice', lines: [PROJECT] })]);
      });
    });

    describe('purchase order number (発注番号)', () => {
      const poRequired: ExpectedDomainError = { kind: 'invalid', code: 'VALIDATION_FAILED', errors: [{ path: 'purchaseOrderNumber', message: expect.any(String) }] };

      it('is required when a line is sold through StreamOne', () => {
        given([]).when(createOrder({ purchaseOrderNumber: undefined })).thenThrows(poRequired);
      });

      it.each([[''], ['   ']])('is required when blank (%j) and a line is sold through StreamOne', (purchaseOrderNumber) => {
        given([]).when(createOrder({ purchaseOrderNumber, lines: [POCKETALK] })).thenThrows(poRequired);
      });

      it('is required for a StreamOne annual product too', () => {
        given([])
          .when(createOrder({ purchaseOrderNumber: undefined, lines: [lineOf('l1', 'SN-POCKETALK-SI-Y')] }))
          .thenThrows(poRequired);
      });

      it('is optional when no line is sold through StreamOne', () => {
        given([])
          .when(createOrder({ purchaseOrderNumber: undefined, lines: [E1, PROJECT] }))
          .then([created({ purchaseOrderNumber: undefined, lines: [E1, PROJECT] })]);
      });

      it('is recorded with the end user order number when given', () => {
        given([])
          .when(createOrder({ purchaseOrderNumber: 'PO-77', endUserOrderNumber: 'EU-88' }))
          .then([created({ purchaseOrderNumber: 'PO-77', endUserOrderNumber: 'EU-88' })]);
      });
    });

    describe('lines', () => {
      it('refuses an order without lines', () => {
        given([])
          .when(createOrder({ lines: [] }))
          .thenThrows({ kind: 'invalid', code: 'VALIDATION_FAILED', errors: [{ path: 'lines', message: expect.any(String) }] });
      });

      it.each([[0], [-1], [1.5], [Number.NaN]])('refuses quantity %p', (quantity) => {
        given([])
          .when(createOrder({ lines: [{ ...E1, quantity }] }))
          .thenThrows({ kind: 'invalid', code: 'VALIDATION_FAILED', errors: [{ path: 'lines[0].quantity', message: expect.any(String) }] });
      });

      it('accepts quantity 1', () => {
        given([])
          .when(createOrder({ lines: [{ ...E1, quantity: 1 }] }))
          .then([created({ lines: [{ ...E1, quantity: 1 }] })]);
      });

      it('lists every invalid quantity by its line index', () => {
        given([])
          .when(createOrder({ lines: [E1, { ...PROJECT, quantity: 0 }, { ...POCKETALK, quantity: 2.5 }] }))
          .thenThrows({
            kind: 'invalid',
            errors: [
              { path: 'lines[1].quantity', message: expect.any(String) },
              { path: 'lines[2].quantity', message: expect.any(String) },
            ],
          });
      });

      it('lists the quantities and the missing purchase order number together', () => {
        given([])
          .when(createOrder({ purchaseOrderNumber: undefined, lines: [{ ...POCKETALK, quantity: 0 }] }))
          .thenThrows({
            kind: 'invalid',
            errors: [
              { path: 'lines[0].quantity', message: expect.any(String) },
              { path: 'purchaseOrderNumber', message: expect.any(String) },
            ],
          });
      });
    });

    it.each(ALL_STATUSES)('refuses to create an order that already exists (%s) → ALREADY_EXISTS', (status) => {
      given(history[status]).when(createOrder()).thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS' });
    });
  });

  describe('AcceptOrder (受付)', () => {
    it('accepts an APPLIED order, recording the accept date (受付日)', () => {
      given([created()]).when({ type: 'AcceptOrder', acceptedOn: '2021-07-02' }).then([accepted('2021-07-02')]);
    });

    it('moves the order to ACCEPTED', () => {
      given([created()]).when({ type: 'AcceptOrder', acceptedOn: '2021-07-02' }).thenState({ status: 'ACCEPTED' });
    });

    it('accepts again after the acceptance was revoked', () => {
      given([created(), accepted(), revoked]).when({ type: 'AcceptOrder', acceptedOn: '2021-07-09' }).then([accepted('2021-07-09')]);
    });

    it.each(except('APPLIED'))('refuses from %s → INVALID_STATE', (status) => {
      given(history[status]).when({ type: 'AcceptOrder', acceptedOn: '2021-07-02' }).thenThrows(INVALID_STATE);
    });

    it('refuses an order that does not exist → INVALID_STATE', () => {
      given([]).when({ type: 'AcceptOrder', acceptedOn: '2021-07-02' }).thenThrows(INVALID_STATE);
    });
  });

  describe('RevokeAcceptance (受付解除)', () => {
    it('revokes the acceptance of an ACCEPTED order', () => {
      given([created(), accepted()]).when({ type: 'RevokeAcceptance' }).then([revoked]);
    });

    it('moves the order back to APPLIED', () => {
      given([created(), accepted()]).when({ type: 'RevokeAcceptance' }).thenState({ status: 'APPLIED' });
    });

    it.each(['PARTIALLY_PLACED', 'PLACED'] as const)('refuses once lines are placed (%s) → ALREADY_PLACED', (status) => {
      given(history[status]).when({ type: 'RevokeAcceptance' }).thenThrows(ALREADY_PLACED);
    });

    it.each(['APPLIED', 'CANCELLED', 'DELETED'] as const)('refuses from %s → INVALID_STATE', (status) => {
      given(history[status]).when({ type: 'RevokeAcceptance' }).thenThrows(INVALID_STATE);
    });

    it('refuses a second revocation → INVALID_STATE', () => {
      given([created(), accepted(), revoked]).when({ type: 'RevokeAcceptance' }).thenThrows(INVALID_STATE);
    });

    it('refuses an order that does not exist → INVALID_STATE', () => {
      given([]).when({ type: 'RevokeAcceptance' }).thenThrows(INVALID_STATE);
    });
  });

  describe('SelectProvisioningTarget (MS CSP プロビジョニング情報選択)', () => {
    const select = (view: TenantView): OrderCommand => ({ type: 'SelectProvisioningTarget', tenant: view });

    it.each(['APPLIED', 'ACCEPTED'] as const)('selects a tenant of the customer in %s', (status) => {
      given(history[status]).when(select(T2)).then([targetSelected('t-2')]);
    });

    it('selects a tenant while PARTIALLY_PLACED (for the lines still to place)', () => {
      given([created(), accepted(), placed([placedLine(POCKETALK)], '2021-07-05', false)])
        .when(select(T2))
        .then([targetSelected('t-2')]);
    });

    it('records the tenant on the order', () => {
      given([created()]).when(select(T2)).thenState({ tenantId: 't-2' });
    });

    it('allows a tenant whose MCA is not accepted yet (checked at placement)', () => {
      given([created()]).when(select(T_NO_MCA)).then([targetSelected('t-no-mca')]);
    });

    it("refuses a tenant of another customer → TENANT_NOT_OF_CUSTOMER", () => {
      given([created(), accepted()]).when(select(T_OTHER)).thenThrows({ kind: 'rule', code: 'TENANT_NOT_OF_CUSTOMER' });
    });

    it('does nothing when the same tenant is selected again', () => {
      given([created(), targetSelected('t-1')]).when(select(T1)).thenNothingHappened();
    });

    it('changes to another tenant of the customer', () => {
      given([created(), targetSelected('t-1')]).when(select(T2)).then([targetSelected('t-2')]);
    });

    it('the last selection wins in the state', () => {
      given([created(), targetSelected('t-1'), targetSelected('t-2')]).thenState({ tenantId: 't-2' });
    });

    it.each(['PLACED', 'CANCELLED', 'DELETED'] as const)('refuses after the order is %s → INVALID_STATE', (status) => {
      given(history[status]).when(select(T2)).thenThrows(INVALID_STATE);
    });

    it('refuses an order that does not exist → INVALID_STATE', () => {
      given([]).when(select(T1)).thenThrows(INVALID_STATE);
    });
  });

  describe('PlaceOrder (発注)', () => {
    describe('status', () => {
      it.each(except('ACCEPTED', 'PARTIALLY_PLACED'))('refuses from %s → INVALID_STATE', (status) => {
        given(history[status]).when(place([T1])).thenThrows(INVALID_STATE);
      });

      it('refuses an order that does not exist → INVALID_STATE', () => {
        given([]).when(place([T1])).thenThrows(INVALID_STATE);
      });

      it('refuses after the acceptance was revoked → INVALID_STATE', () => {
        given([created(), accepted(), revoked]).when(place([T1])).thenThrows(INVALID_STATE);
      });
    });

    describe('which lines', () => {
      it('places every unplaced line by default, with placedOn, the tenant on Microsoft lines and fullyPlaced', () => {
        given([created(), accepted()])
          .when(place([T1], undefined, '2021-07-05'))
          .then([
            {
              type: 'OrderPlaced',
              data: {
                orderId: ORDER_ID,
                resellerId: 'r-direct',
                customerId: CUSTOMER,
                orderNumber: 'NOD202107-0000007551',
                purchaseOrderNumber: 'PO-1',
                endUserOrderNumber: 'EU-1',
                placedOn: '2021-07-05',
                lines: [
                  { ...E1, tenantId: 't-1' },
                  { ...PROJECT, tenantId: 't-1' },
                  { ...POCKETALK },
                ],
                fullyPlaced: true,
              },
            },
          ]);
      });

      it('does not put a tenant on a non-Microsoft line', () => {
        const [event] = given([created(), accepted()]).when(place([T1])).events();
        const lines = (event as Extract<OrderEvent, { type: 'OrderPlaced' }>).data.lines;
        expect(lines.find((line) => line.lineId === 'l3')).not.toHaveProperty('tenantId');
      });

      it('an empty lineIds list means all unplaced lines', () => {
        given([created(), accepted()]).when(place([T1], [])).then([fullyPlaced]);
      });

      it('places only the chosen lines → not fully placed', () => {
        given([created(), accepted()])
          .when(place([T1], ['l1']))
          .then([placed([placedLine(E1, 't-1')], '2021-07-05', false)]);
      });

      it('a partial placement leaves the order PARTIALLY_PLACED (一部発注済) with only those lines PLACED', () => {
        given([created(), accepted()])
          .when(place([T1], ['l1']))
          .thenState((state) => {
            const order = existing(state);
            expect(order.status).toBe('PARTIALLY_PLACED');
            expect(order.lines.map((line) => [line.lineId, line.placementStatus])).toEqual([
              ['l1', 'PLACED'],
              ['l2', 'UNPLACED'],
              ['l3', 'UNPLACED'],
            ]);
          });
      });

      it('then places the rest by default → fully placed, only the remaining lines', () => {
        given([created(), accepted(), partiallyPlaced])
          .when(place([T1], undefined, '2021-07-20'))
          .then([placed([placedLine(PROJECT, 't-1'), placedLine(POCKETALK)], '2021-07-20', true)]);
      });

      it('then places the rest by their ids → fully placed', () => {
        given([created(), accepted(), partiallyPlaced])
          .when(place([T1], ['l3', 'l2'], '2021-07-20'))
          .then([placed([placedLine(PROJECT, 't-1'), placedLine(POCKETALK)], '2021-07-20', true)]);
      });

      it('placing the last line moves the order to PLACED (発注済)', () => {
        given([created(), accepted(), partiallyPlaced, placed([placedLine(PROJECT, 't-1')], '2021-07-10', false)])
          .when(place([], ['l3'], '2021-07-20'))
          .thenState({ status: 'PLACED' });
      });

      it('a placement that leaves a line unplaced is not fully placed, even when it is the second one', () => {
        given([created(), accepted(), partiallyPlaced])
          .when(place([T1], ['l2'], '2021-07-10'))
          .then([placed([placedLine(PROJECT, 't-1')], '2021-07-10', false)]);
      });

      it('records placedOn (発注日) and the tenant per line, each from its own placement', () => {
        given([created(), accepted(), partiallyPlaced])
          .when(place([T1], undefined, '2021-07-20'))
          .thenState((state) => {
            const order = existing(state);
            expect(order.status).toBe('PLACED');
            expect(order.lines.map(({ lineId, placementStatus, placedOn, tenantId }) => ({ lineId, placementStatus, placedOn, tenantId }))).toEqual([
              { lineId: 'l1', placementStatus: 'PLACED', placedOn: '2021-07-05', tenantId: 't-1' },
              { lineId: 'l2', placementStatus: 'PLACED', placedOn: '2021-07-20', tenantId: 't-1' },
              { lineId: 'l3', placementStatus: 'PLACED', placedOn: '2021-07-20', tenantId: undefined },
            ]);
          });
      });

      it('refuses an unknown line id → 404 LINE_NOT_FOUND, listing each unknown id', () => {
        given([created(), accepted()])
          .when(place([T1], ['l1', 'nope', 'gone']))
          .thenThrows({ kind: 'not-found', code: 'LINE_NOT_FOUND', message: expect.stringMatching(/nope.*gone/) });
      });

      it('refuses to place a line that is already placed → LINE_ALREADY_PLACED', () => {
        given([created(), accepted(), partiallyPlaced])
          .when(place([T1], ['l1', 'l2']))
          .thenThrows({ kind: 'conflict', code: 'LINE_ALREADY_PLACED', message: expect.stringContaining('l1') });
      });
    });

    describe('tenant (プロビジョニング情報) and MCA', () => {
      it('refuses Microsoft lines when the customer has no tenant → TENANT_REQUIRED', () => {
        given([created(), accepted()]).when(place([])).thenThrows(TENANT_REQUIRED);
      });

      it("ignores tenants of other customers: only another customer's tenant → TENANT_REQUIRED", () => {
        given([created(), accepted()]).when(place([T_OTHER])).thenThrows(TENANT_REQUIRED);
      });

      it('refuses when the customer has several tenants and none is selected → TENANT_REQUIRED (never a silent default)', () => {
        given([created(), accepted()]).when(place([T1, T2])).thenThrows(TENANT_REQUIRED);
      });

      it('refuses several tenants without a selection even when only one has accepted the MCA → TENANT_REQUIRED', () => {
        given([created(), accepted()]).when(place([T_NO_MCA, T1])).thenThrows(TENANT_REQUIRED);
      });

      it('uses the only tenant of the customer when none is selected', () => {
        given([created(), accepted()]).when(place([T2, T_OTHER], ['l1'])).then([placed([placedLine(E1, 't-2')], '2021-07-05', false)]);
      });

      it('records the implicitly used tenant as the order tenant', () => {
        given([created(), accepted()]).when(place([T2], ['l1'])).thenState({ tenantId: 't-2' });
      });

      it('uses the selected tenant among several', () => {
        given([created(), targetSelected('t-2'), accepted()])
          .when(place([T1, T2], ['l1', 'l2']))
          .then([placed([placedLine(E1, 't-2'), placedLine(PROJECT, 't-2')], '2021-07-05', false)]);
      });

      it('keeps using the tenant of the first placement when the customer has registered another tenant since', () => {
        given([created(), accepted(), partiallyPlaced])
          .when(place([T1, T2], ['l2']))
          .then([placed([placedLine(PROJECT, 't-1')], '2021-07-05', false)]);
      });

      it('refuses when the selected tenant is no longer a tenant of the customer → TENANT_REQUIRED (no fallback to the other one)', () => {
        given([created(), targetSelected('t-2'), accepted()]).when(place([T1])).thenThrows(TENANT_REQUIRED);
      });

      it('refuses when the only tenant has not accepted the MCA → MCA_NOT_ACCEPTED', () => {
        given([created(), accepted()]).when(place([T_NO_MCA])).thenThrows({ kind: 'rule', code: 'MCA_NOT_ACCEPTED' });
      });

      it('refuses when the selected tenant has not accepted the MCA, even if another has → MCA_NOT_ACCEPTED', () => {
        given([created(), targetSelected('t-no-mca'), accepted()])
          .when(place([T1, T_NO_MCA]))
          .thenThrows({ kind: 'rule', code: 'MCA_NOT_ACCEPTED' });
      });

      it('needs a tenant for Microsoft software (key) lines too', () => {
        const software = lineOf('l1', 'MS-WINSRV-2022-STD');
        given([created({ lines: [software] }), accepted()]).when(place([])).thenThrows(TENANT_REQUIRED);
      });

      it('places a StreamOne-only order without any tenant', () => {
        given([created({ lines: [POCKETALK] }), accepted()])
          .when(place([]))
          .then([placed([placedLine(POCKETALK)], '2021-07-05', true)]);
      });

      it('places a StreamOne-only order even when the customer has several tenants and none accepted the MCA', () => {
        given([created({ lines: [POCKETALK] }), accepted()])
          .when(place([T_NO_MCA, T1]))
          .then([placed([placedLine(POCKETALK)], '2021-07-05', true)]);
      });

      it('places only the StreamOne lines of a mixed order without a tenant', () => {
        given([created(), accepted()])
          .when(place([], ['l3']))
          .then([placed([placedLine(POCKETALK)], '2021-07-05', false)]);
      });

      it('a StreamOne-only placement records no tenant on the order', () => {
        given([created(), accepted()])
          .when(place([], ['l3']))
          .thenState((state) => expect(existing(state).tenantId).toBeUndefined());
      });
    });
  });

  describe('CancelOrder (キャンセル)', () => {
    const cancel: OrderCommand = { type: 'CancelOrder', cancelledOn: '2021-07-03' };

    it.each(['APPLIED', 'ACCEPTED'] as const)('cancels an order in %s', (status) => {
      given(history[status]).when(cancel).then([cancelled]);
    });

    it('moves the order to CANCELLED', () => {
      given([created(), accepted()]).when(cancel).thenState({ status: 'CANCELLED' });
    });

    it.each(['PARTIALLY_PLACED', 'PLACED'] as const)('refuses once lines are placed (%s) → ALREADY_PLACED', (status) => {
      given(history[status]).when(cancel).thenThrows(ALREADY_PLACED);
    });

    it.each(['CANCELLED', 'DELETED'] as const)('refuses from %s → INVALID_STATE', (status) => {
      given(history[status]).when(cancel).thenThrows(INVALID_STATE);
    });

    it('refuses an order that does not exist → INVALID_STATE', () => {
      given([]).when(cancel).thenThrows(INVALID_STATE);
    });
  });

  describe('DeleteOrder (削除)', () => {
    it('deletes an APPLIED order', () => {
      given([created()]).when({ type: 'DeleteOrder' }).then([deleted]);
    });

    it('deletes an order whose acceptance was revoked', () => {
      given([created(), accepted(), revoked]).when({ type: 'DeleteOrder' }).then([deleted]);
    });

    it('moves the order to DELETED, keeping its data', () => {
      given([created()])
        .when({ type: 'DeleteOrder' })
        .thenState((state) => expect(existing(state)).toMatchObject({ ...identity, status: 'DELETED' }));
    });

    it.each(except('APPLIED'))('refuses from %s → INVALID_STATE', (status) => {
      given(history[status]).when({ type: 'DeleteOrder' }).thenThrows(INVALID_STATE);
    });

    it('refuses an order that does not exist → INVALID_STATE', () => {
      given([]).when({ type: 'DeleteOrder' }).thenThrows(INVALID_STATE);
    });
  });

  describe('evolve', () => {
    it('starts with no order', () => {
      expect(orderDecider.initialState()).toEqual({ status: 'NONE' });
    });

    it('walks APPLIED → ACCEPTED → APPLIED → ACCEPTED → PARTIALLY_PLACED → PLACED', () => {
      const events = [
        created(),
        accepted(),
        revoked,
        accepted(),
        partiallyPlaced,
        placed([placedLine(PROJECT, 't-1'), placedLine(POCKETALK)], '2021-07-20', true),
      ];
      const statuses = events.map((_, index) => statusOf(given(events.slice(0, index + 1)).state()));
      expect(statuses).toEqual(['APPLIED', 'ACCEPTED', 'APPLIED', 'ACCEPTED', 'PARTIALLY_PLACED', 'PLACED']);
    });

    it('a provisioning target selection does not change the status', () => {
      given([created(), accepted(), targetSelected('t-1')]).thenState({ status: 'ACCEPTED', tenantId: 't-1' });
    });

    it('an explicit selection is kept over the tenant of a placement', () => {
      given([created(), targetSelected('t-2'), accepted(), placed([placedLine(E1, 't-2')], '2021-07-05', false)]).thenState({
        tenantId: 't-2',
      });
    });

    it('a placement of StreamOne lines only keeps the selected tenant', () => {
      given([created(), targetSelected('t-2'), accepted(), placed([placedLine(POCKETALK)], '2021-07-05', false)]).thenState({
        status: 'PARTIALLY_PLACED',
        tenantId: 't-2',
      });
    });

    it('ignores events before the order is created', () => {
      given([accepted(), cancelled]).thenState({ status: 'NONE' });
    });

    it.each([
      ['CANCELLED', [created(), accepted(), cancelled]],
      ['DELETED', [created(), deleted]],
    ] as const)('ends in %s', (status, events) => {
      given([...events]).thenState({ status });
    });
  });
});
