import { BillingPolicy, ProductTerm } from './products';

/** Published on contract.events (schemaVersion 1). */

/** A contract line's terms: the placed order line (everything billing needs to charge it). */
export interface ContractLineTerms {
  /** The contract line's id: the id of the order line it comes from (a line is in at most one contract). */
  lineId: string;
  orderLineId: string;
  sku: string;
  productName: string;
  quantity: number;
  /** Integer yen, copied from the order. */
  unitPrice: number;
  billingPolicy: BillingPolicy;
  trial: boolean;
  /** On-premises software: refund window after the start date (billing, cancellations). */
  refundWindowDays?: number;
  /** The product's term (catalog), when the order carried it: billing pays `annual` lines a year at a time. */
  term?: ProductTerm;
  /** Business date the order line was placed (drives billing, e.g. stellr-cutoff). */
  placedOn: string;
  /** Provisioning's subscription of the line, when known. */
  subscriptionId?: string;
}

export interface ContractReference {
  contractId: string;
  contractNumber: string;
  orderId: string;
  orderNumber: string;
  resellerId: string;
  customerId: string;
}

export type ContractCreated = {
  type: 'ContractCreated';
  data: ContractReference & {
    purchaseOrderNumber?: string;
    endUserOrderNumber?: string;
    subject: string;
    subjectForForms: string;
    contractDate: string;
    paymentMethod?: string;
    storeNotes?: string;
    lines: ContractLineTerms[];
  };
};

export interface ConfirmedLine extends ContractLineTerms {
  subscriptionId: string;
  startDate: string;
}

/** Lines confirmed (契約確定) with their start dates and billing policy: what billing charges. */
export type ContractConfirmed = {
  type: 'ContractConfirmed';
  data: ContractReference & {
    purchaseOrderNumber?: string;
    endUserOrderNumber?: string;
    confirmedOn: string;
    /** The lines confirmed by this command, each with its start date and subscription. */
    lines: ConfirmedLine[];
  };
};

export type ContractIntegrationEvent = ContractCreated | ContractConfirmed;
export const CONTRACT_INTEGRATION_EVENT_TYPES: ContractIntegrationEvent['type'][] = ['ContractCreated', 'ContractConfirmed'];
