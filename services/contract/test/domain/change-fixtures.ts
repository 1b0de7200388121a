import { ContractChangeLine, ContractLineTerms } from '@lp/integration-events';
import { ContractChangeOpened, ContractEvent, ContractState, OpenChange } from '../../src/domain/contract';

/**
 * Seed 001: contract NCN202107-0000003109 (件名 テスト), started 2021-07-20 with two lines,
 * Office 365 E1 × 3 and Project Plan 1 × 1, plus fixtures for trials, software and pending lines.
 */

export const CONTRACT_ID = 'k-3109';
export const TODAY = '2021-07-20';

export const reference = {
  contractId: CONTRACT_ID,
  contractNumber: 'NCN202107-0000003109',
  orderId: 'o-7584',
  orderNumber: 'NOD202107-0000007584',
  resellerId: 'r-direct',
  customerId: 'c-factory2016T',
};

const terms = (lineId: string, sku: string, productName: string, quantity: number, extra: Partial<ContractLineTerms> = {}): ContractLineTerms => ({
  lineId,
  orderLineId: lineId,
  sku,
  productName,
  quantity,
  unitPrice: 870,
  billingPolicy: 'microsoft-csp-monthly',
  trial: false,
  placedOn: '2021-07-19',
  ...extra,
});

export const E1 = terms('ol-e1', 'MS-O365-E1', 'Office 365 E1', 3);
export const PROJECT = terms('ol-p1', 'MS-PROJECT-P1', 'Project Plan 1', 1);
export const TRIAL = terms('ol-trial', 'MS-O365-E1-TRIAL', 'Office 365 E1 Trial', 25, { unitPrice: 0, trial: true });
export const BASIC = terms('ol-bb', 'MS-M365-BB', 'Microsoft 365 Business Basic', 10, { unitPrice: 750 });

export const subscriptionOf = (line: ContractLineTerms) => `sub-${line.lineId.slice(3)}`;

export const created = (lines: ContractLineTerms[] = [E1, PROJECT]): ContractEvent => ({
  type: 'ContractCreated',
  data: { ...reference, subject: 'テスト', subjectForForms: 'テスト', contractDate: TODAY, lines },
});

export const confirmed = (lines: ContractLineTerms[] = [E1, PROJECT], startDate = TODAY): ContractEvent => ({
  type: 'ContractConfirmed',
  data: {
    ...reference,
    confirmedOn: startDate,
    lines: lines.map((line) => ({ ...line, subscriptionId: subscriptionOf(line), startDate })),
  },
});

/** An ACTIVE two-line contract (seed 001). */
export const activeContract = (lines: ContractLineTerms[] = [E1, PROJECT]): ContractEvent[] => [created(lines), confirmed(lines)];

export const openChange = (overrides: Partial<OpenChange> = {}): OpenChange => ({
  type: 'OpenChange',
  changeId: 'ch-1',
  changeType: 'CANCELLATION',
  lines: [{ lineId: E1.lineId, quantity: 3 }],
  today: TODAY,
  ...overrides,
});

export const changeLine = (line: ContractLineTerms, quantity: number, newQuantity: number): ContractChangeLine => ({
  lineId: line.lineId,
  orderLineId: line.orderLineId,
  sku: line.sku,
  productName: line.productName,
  subscriptionId: subscriptionOf(line),
  currentQuantity: line.quantity,
  quantity,
  newQuantity,
});

export const opened = (
  lines: ContractChangeLine[] = [changeLine(E1, 3, 0)],
  overrides: Partial<Omit<ContractChangeOpened['data'], 'lines'>> = {},
): ContractChangeOpened => ({
  type: 'ContractChangeOpened',
  data: { ...reference, changeId: 'ch-1', type: 'CANCELLATION', subject: 'テスト', requestedOn: TODAY, all: false, lines, ...overrides },
});

export const existing = (state: ContractState) => {
  if (state.status === 'NONE') throw new Error('expected an existing contract');
  return state;
};
export const lineOf = (state: ContractState, lineId: string) => {
  const line = existing(state).lines.find((candidate) => candidate.lineId === lineId);
  if (!line) throw new Error(`no line ${lineId}`);
  return line;
};

/** Microsoft 365 Business Premium (NCE, monthly term) × 5: its seats may be given up within 7 days of their purchase. */
export const NCE_LINE: ContractLineTerms = {
  ...E1,
  lineId: 'ol-nce',
  orderLineId: 'ol-nce',
  sku: 'MS-M365-BP-NCE-M',
  productName: 'Microsoft 365 Business Premium (NCE)',
  quantity: 5,
  unitPrice: 2750,
  billingPolicy: 'microsoft-nce',
  termDuration: 'P1M',
};
