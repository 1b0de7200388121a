import { ContractLineStatus, ContractStatus, KnownOrder } from '../domain/contract';
import { ExistingContractChange } from '../domain/contract-change';
import { ContractChangeRow } from './contract-change-row';

/** 契約一覧 / 契約詳細 row: GET /contracts and GET /contracts/:id (api.md contract fields). */
export interface ContractView {
  id: string;
  resellerId: string;
  contractNumber: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  status: ContractStatus;
  statusLabel: string;
  subject: string;
  subjectForForms: string;
  contractDate: string;
  paymentMethod: string | null;
  storeNotes: string | null;
  purchaseOrderNumber: string | null;
  endUserOrderNumber: string | null;
  /** The list's 商品名 column: the lines' product names, each once, in line order. */
  productNames: string[];
  /** Earliest start of a confirmed line. */
  startDate: string | null;
  /** Set once every line has ended / been cancelled (issue 5). */
  endDate: string | null;
  cancelledOn: string | null;
  /** false greys the row out: nothing of it is charged. */
  billing: boolean;
  lines: ContractLineView[];
  createdAt: string;
  updatedAt: string;
}

export interface ContractLineView {
  id: string;
  orderLineId: string;
  sku: string;
  productName: string;
  quantity: number;
  unitPrice: number;
  billingPolicy: string;
  trial: boolean;
  placedOn: string;
  status: ContractLineStatus;
  statusLabel: string;
  startDate: string | null;
  endDate: string | null;
  cancelledOn: string | null;
  subscriptionId: string | null;
  /** The product's commitment term (P1M, P1Y); null: evergreen, runs until cancelled. */
  termDuration: string | null;
  /** The current term's first and last day, once the line is confirmed (null without a term). */
  termStartDate: string | null;
  termEndDate: string | null;
  /** 自動更新: null without a term. */
  autoRenew: boolean | null;
  /** The next term's quantity from a confirmed renewal change (更新), until the term renews. */
  nextTermQuantity: number | null;
  /** New-commerce lines: the last day any of its seats may be cancelled (start or added batch + 7 days). */
  cancellationAllowedUntil: string | null;
}

/** The contract service's copy of order's placed orders (OrderPlaced, accumulated per order). */
export type KnownOrderView = Omit<KnownOrder, 'orderId'> & { id: string };

/** The contract service's copy of order's customers (CustomerRegistered): the list's customer column. */
export interface KnownCustomerView {
  id: string;
  resellerId: string;
  companyName: string;
}

/** The contract service's copy of provisioning's subscriptions, keyed by the order line they serve. */
export interface KnownSubscriptionView {
  /** The order line id. */
  id: string;
  subscriptionId: string;
  orderId: string;
  resellerId: string;
  status: string;
  /** The Tokyo business date the vendor activated it (KnownSubscription.activatedOn); absent until then. */
  activatedOn?: string;
}

/** 契約変更一覧 / 契約変更 row: the change's columns, and its decider state (not answered) to evolve the next event from. */
export interface ContractChangeView extends ContractChangeRow {
  state: ExistingContractChange;
  createdAt: string;
  updatedAt: string;
}

/** Billing's charging period of a contract line for one product (LineChargingScheduled): the billing flag follows it. */
export interface KnownChargingView {
  /** `<lineId>|<sku>` */
  id: string;
  lineId: string;
  contractId: string;
  sku: string;
  chargingFrom: string;
  chargingUntil: string | null;
}

export const COLLECTIONS = {
  contracts: 'contracts',
  changes: 'contract-changes',
  orders: 'contract-known-orders',
  customers: 'contract-known-customers',
  subscriptions: 'contract-known-subscriptions',
  charging: 'contract-known-charging',
} as const;
