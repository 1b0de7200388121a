import { DeciderSpecification } from '@lp/testing';
import {
  CONTRACT_LINE_STATUS_LABELS,
  CONTRACT_STATUS_LABELS,
  ConfirmLines,
  contractDecider,
  ContractEvent,
  ContractState,
  contractStreamId,
  CreateContract,
  isBilling,
  KnownOrder,
  KnownPlacedLine,
  KnownSubscription,
} from '../../src/domain/contract';

const given = DeciderSpecification.for(contractDecider);

// ---------------------------------------------------------------------------------------------
// Fixtures: an order with three placed lines (E1 and Project through CSP, Pocketalk via StreamOne)
// ---------------------------------------------------------------------------------------------

const E1: KnownPlacedLine = {
  orderLineId: 'ol-1',
  sku: 'MS-O365-E1',
  productName: 'Office 365 E1',
  quantity: 10,
  unitPrice: 870,
  billingPolicy: 'microsoft-csp-monthly',
  trial: false,
  placedOn: '2021-07-05',
  subscriptionId: 'sub-1',
};
const PROJECT: KnownPlacedLine = {
  orderLineId: 'ol-2',
  sku: 'MS-PROJECT-P1',
  productName: 'Project Plan 1',
  quantity: 2,
  unitPrice: 870,
  billingPolicy: 'microsoft-csp-monthly',
  trial: false,
  placedOn: '2021-07-05',
};
const WINSRV: KnownPlacedLine = {
  orderLineId: 'ol-3',
  sku: 'MS-WINSRV-2022-STD',
  productName: 'Windows Server 2022 Standard',
  quantity: 1,
  unitPrice: 120000,
  billingPolicy: 'onprem-software',
  trial: false,
  refundWindowDays: 30,
  placedOn: '2021-07-06',
};

const ORDER: KnownOrder = {
  orderId: 'o-1',
  orderNumber: 'NOD202107-0000007551',
  resellerId: 'r-direct',
  customerId: 'c-1',
  purchaseOrderNumber: 'PO-1',
  placedLines: [E1, PROJECT, WINSRV],
};

const CONTRACT_ID = 'k-1';
const CONTRACT_NUMBER = 'NCN202107-0000003109';

const create = (overrides: Partial<CreateContract> = {}): CreateContract => ({
  type: 'CreateContract',
  contractId: CONTRACT_ID,
  contractNumber: CONTRACT_NUMBER,
  order: ORDER,
  lineIds: ['ol-1', 'ol-2', 'ol-3'],
  contractedLineIds: [],
  subject: 'Office 365 for Sales',
  subjectForForms: 'Office 365 (forms)',
  contractDate: '2021-07-10',
  paymentMethod: '請求書払い',
  storeNotes: 'call before renewal',
  ...overrides,
});

const reference = {
  contractId: CONTRACT_ID,
  contractNumber: CONTRACT_NUMBER,
  orderId: 'o-1',
  orderNumber: 'NOD202107-0000007551',
  resellerId: 'r-direct',
  customerId: 'c-1',
};

const termsOf = (line: KnownPlacedLine) => {
  const { orderLineId, ...rest } = line;
  return { lineId: orderLineId, orderLineId, ...rest };
};

const created: ContractEvent = {
  type: 'ContractCreated',
  data: {
    ...reference,
    purchaseOrderNumber: 'PO-1',
    subject: 'Office 365 for Sales',
    subjectForForms: 'Office 365 (forms)',
    contractDate: '2021-07-10',
    paymentMethod: '請求書払い',
    storeNotes: 'call before renewal',
    lines: [termsOf(E1), termsOf(PROJECT), termsOf(WINSRV)],
  },
};

const subscription = (orderLineId: string, status: string, subscriptionId = `sub-${orderLineId.slice(3)}`): KnownSubscription => ({
  subscriptionId,
  orderLineId,
  status,
});
const ALL_ACTIVE = [subscription('ol-1', 'ACTIVE'), subscription('ol-2', 'ACTIVE'), subscription('ol-3', 'ACTIVE')];

const confirm = (overrides: Partial<ConfirmLines> = {}): ConfirmLines => ({
  type: 'ConfirmLines',
  confirmedOn: '2021-07-12',
  subscriptions: ALL_ACTIVE,
  ...overrides,
});

const confirmedLine = (line: KnownPlacedLine, startDate: string, subscriptionId = `sub-${line.orderLineId.slice(3)}`) => ({
  ...termsOf(line),
  subscriptionId,
  startDate,
});
const confirmed = (lines: ReturnType<typeof confirmedLine>[], confirmedOn = '2021-07-12'): ContractEvent => ({
  type: 'ContractConfirmed',
  data: { ...reference, purchaseOrderNumber: 'PO-1', confirmedOn, lines },
});

const existing = (state: ContractState) => {
  if (state.status === 'NONE') throw new Error('expected an existing contract');
  return state;
};
const lineStatuses = (state: ContractState) => existing(state).lines.map((line) => [line.lineId, line.status]);

const createdOf = ([event]: ContractEvent[]) => {
  if (event?.type !== 'ContractCreated') throw new Error(`expected ContractCreated, got ${event?.type}`);
  return event;
};

// ---------------------------------------------------------------------------------------------

describe('contract decider', () => {
  describe('CreateContract', () => {
    it('creates a PENDING contract from placed lines of one order, with what billing needs per line', () => {
      given().when(create()).then([created]);
    });

    it('leaves the contract and every line PENDING 新規契約手続中, not billed', () => {
      given()
        .when(create())
        .thenState((state) => {
          expect(state).toMatchObject({ ...reference, status: 'PENDING', contractDate: '2021-07-10' });
          expect(lineStatuses(state)).toEqual([
            ['ol-1', 'PENDING'],
            ['ol-2', 'PENDING'],
            ['ol-3', 'PENDING'],
          ]);
          expect(isBilling(existing(state).lines)).toBe(false);
        });
    });

    it('takes only the chosen lines, in the order chosen', () => {
      const event = createdOf(given().when(create({ lineIds: ['ol-3', 'ol-1'] })).events());
      expect(event.data.lines.map((line) => line.orderLineId)).toEqual(['ol-3', 'ol-1']);
    });

    it('trims the texts and leaves out a blank payment method and store notes (both optional)', () => {
      const [event] = given()
        .when(create({ subject: '  S  ', subjectForForms: ' F ', contractDate: ' 2021-07-10 ', paymentMethod: ' ', storeNotes: undefined }))
        .events();
      expect(event.type).toBe('ContractCreated');
      expect(event.data).toMatchObject({ subject: 'S', subjectForForms: 'F', contractDate: '2021-07-10' });
      expect(event.data).not.toHaveProperty('paymentMethod');
      expect(event.data).not.toHaveProperty('storeNotes');
    });

    it('accepts a blank contract number: the dry run before a number is drawn', () => {
      const event = createdOf(given().when(create({ contractNumber: '' })).events());
      expect(event.data.contractNumber).toBe('');
    });

    it('refuses a second creation of the same contract', () => {
      given([created]).when(create()).thenThrows({ kind: 'conflict', code: 'ALREADY_EXISTS' });
    });

    it('refuses a line the order has not placed (or does not have): 422 LINE_NOT_PLACED', () => {
      const orderWithUnplaced: KnownOrder = { ...ORDER, placedLines: [E1] };
      given()
        .when(create({ order: orderWithUnplaced, lineIds: ['ol-1', 'ol-2'] }))
        .thenThrows({ kind: 'rule', code: 'LINE_NOT_PLACED', message: expect.stringContaining('ol-2') });
      given()
        .when(create({ lineIds: ['ol-1', 'ol-9'] }))
        .thenThrows({ kind: 'rule', code: 'LINE_NOT_PLACED', message: expect.stringContaining('ol-9') });
    });

    it('refuses a line already in another contract: 422 LINE_ALREADY_CONTRACTED', () => {
      given()
        .when(create({ contractedLineIds: ['ol-2'] }))
        .thenThrows({ kind: 'rule', code: 'LINE_ALREADY_CONTRACTED', message: expect.stringContaining('ol-2') });
    });

    it('contracts the remaining lines of an order whose other lines are taken', () => {
      const event = createdOf(
        given()
          .when(create({ lineIds: ['ol-3'], contractedLineIds: ['ol-1', 'ol-2'] }))
          .events(),
      );
      expect(event.data.lines).toEqual([termsOf(WINSRV)]);
    });
  });

  describe('ConfirmLines', () => {
    it('refuses a contract that does not exist', () => {
      given().when(confirm()).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });

    it('confirms every pending line by default, starting on the confirm date, with their subscriptions', () => {
      given([created])
        .when(confirm())
        .then([confirmed([confirmedLine(E1, '2021-07-12'), confirmedLine(PROJECT, '2021-07-12'), confirmedLine(WINSRV, '2021-07-12')])]);
    });

    it('makes the lines and the contract ACTIVE 契約中, billed', () => {
      given([created])
        .when(confirm())
        .thenState((state) => {
          expect(state.status).toBe('ACTIVE');
          expect(existing(state).lines.every((line) => line.status === 'ACTIVE' && line.startDate === '2021-07-12')).toBe(true);
          expect(isBilling(existing(state).lines)).toBe(true);
        });
    });

    it('starts the lines on the given start date (a back-dated start too)', () => {
      const [event] = given([created]).when(confirm({ startDate: '2021-07-01' })).events();
      expect(event.type).toBe('ContractConfirmed');
      expect(event.data).toMatchObject({ confirmedOn: '2021-07-12' });
      expect((event.data as { lines: { startDate: string }[] }).lines.map((line) => line.startDate)).toEqual([
        '2021-07-01',
        '2021-07-01',
        '2021-07-01',
      ]);
    });

    it('confirms chosen lines only; the contract is ACTIVE once any line is', () => {
      given([created])
        .when(confirm({ lineIds: ['ol-2'] }))
        .thenState((state) => {
          expect(state.status).toBe('ACTIVE');
          expect(lineStatuses(state)).toEqual([
            ['ol-1', 'PENDING'],
            ['ol-2', 'ACTIVE'],
            ['ol-3', 'PENDING'],
          ]);
        });
    });

    it('confirms the remaining pending lines later, by default', () => {
      given([created, confirmed([confirmedLine(PROJECT, '2021-07-12')])])
        .when(confirm({ confirmedOn: '2021-07-20' }))
        .then([confirmed([confirmedLine(E1, '2021-07-20'), confirmedLine(WINSRV, '2021-07-20')], '2021-07-20')]);
    });

    it('records the subscription id provisioning reported, also for lines created without one', () => {
      const [event] = given([created])
        .when(confirm({ lineIds: ['ol-2'], subscriptions: [subscription('ol-2', 'ACTIVE', 'sub-new')] }))
        .events();
      expect((event.data as { lines: { subscriptionId: string }[] }).lines[0].subscriptionId).toBe('sub-new');
      given([created])
        .when(confirm({ lineIds: ['ol-2'], subscriptions: [subscription('ol-2', 'ACTIVE', 'sub-new')] }))
        .thenState((state) => expect(existing(state).lines[1].subscriptionId).toBe('sub-new'));
    });

    it.each(['MANUAL_PROVISIONING', 'PROVISIONING', 'FAILED'])(
      'refuses a line whose subscription is %s: 409 PROVISIONING_NOT_COMPLETE',
      (status) => {
        given([created])
          .when(confirm({ subscriptions: [subscription('ol-1', 'ACTIVE'), subscription('ol-2', status), subscription('ol-3', 'ACTIVE')] }))
          .thenThrows({ kind: 'conflict', code: 'PROVISIONING_NOT_COMPLETE', message: expect.stringContaining(`ol-2 (${status})`) });
      },
    );

    it('refuses a line whose subscription provisioning has not reported yet', () => {
      given([created])
        .when(confirm({ lineIds: ['ol-3'], subscriptions: [subscription('ol-1', 'ACTIVE')] }))
        .thenThrows({ kind: 'conflict', code: 'PROVISIONING_NOT_COMPLETE', message: expect.stringContaining('no subscription yet') });
    });

    it('confirms the chosen ACTIVE lines even when other lines still wait for provisioning', () => {
      given([created])
        .when(confirm({ lineIds: ['ol-1'], subscriptions: [subscription('ol-1', 'ACTIVE'), subscription('ol-2', 'MANUAL_PROVISIONING')] }))
        .then([confirmed([confirmedLine(E1, '2021-07-12')])]);
    });

    it('refuses unknown line ids: 404 LINE_NOT_FOUND', () => {
      given([created]).when(confirm({ lineIds: ['ol-9'] })).thenThrows({ kind: 'not-found', code: 'LINE_NOT_FOUND', message: expect.stringContaining('ol-9') });
    });

    it('refuses a line already confirmed: 409 LINE_NOT_PENDING', () => {
      given([created, confirmed([confirmedLine(PROJECT, '2021-07-12')])])
        .when(confirm({ lineIds: ['ol-1', 'ol-2'] }))
        .thenThrows({ kind: 'conflict', code: 'LINE_NOT_PENDING', message: expect.stringContaining('ol-2') });
    });

    it('refuses a confirmation when no line is pending', () => {
      given([created, confirmed([confirmedLine(E1, '2021-07-12'), confirmedLine(PROJECT, '2021-07-12'), confirmedLine(WINSRV, '2021-07-12')])])
        .when(confirm())
        .thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
    });
  });

  describe('helpers', () => {
    it('labels the statuses in Japanese', () => {
      expect(CONTRACT_STATUS_LABELS).toEqual({ PENDING: '新規契約手続中', ACTIVE: '契約中', CANCELLED: '解約済' });
      expect(CONTRACT_LINE_STATUS_LABELS.ACTIVE).toBe('契約中');
    });

    it('billing is true while any line is ACTIVE', () => {
      expect(isBilling([])).toBe(false);
      expect(isBilling([{ status: 'PENDING' }, { status: 'CANCELLED' }])).toBe(false);
      expect(isBilling([{ status: 'CANCELLED' }, { status: 'ACTIVE' }])).toBe(true);
    });

    it('names the contract stream contract-<id>', () => {
      expect(contractStreamId('k-1')).toBe('contract-k-1');
    });

    it('a stream holding only the abandonment tombstone is no contract', () => {
      const tombstone = { type: 'ContractCreationAbandoned', data: { contractId: 'k-1', reason: 'CONTRACT_NEVER_CREATED' } };
      expect(contractDecider.evolve(contractDecider.initialState(), tombstone as unknown as ContractEvent)).toEqual({ status: 'NONE' });
    });
  });
});
