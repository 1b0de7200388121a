export type BillingPolicy = 'microsoft-csp-monthly' | 'microsoft-csp-usage' | 'onprem-software' | 'stellr-cutoff';
export type ProductTerm = 'monthly' | 'usage' | 'one-time' | 'annual';
export type Vendor = 'Microsoft' | 'Sourcenext';
/** How the vendor subscription comes about: by the connector, by distributor staff, or as a software key. */
export type ProvisioningMode = 'automatic' | 'manual' | 'key';
/** Which distribution channel sells it; StreamOne orders need the reseller's PO number. */
export type Channel = 'CSP' | 'StreamOne';

/** A line's product data as copied from the catalog when the order was created. */
export interface ProductTerms {
  sku: string;
  productName: string;
  vendor: Vendor;
  channel: Channel;
  provisioning: ProvisioningMode;
  billingPolicy: BillingPolicy;
  trial: boolean;
  /** On-premises software only: days after the start date within which a cancellation is refunded. */
  refundWindowDays?: number;
  /** The catalog's term; `annual` StreamOne products are paid a year at a time (billing). Absent in older events: monthly. */
  term?: ProductTerm;
  /** Integer yen. */
  unitPrice: number;
}
