import { z } from 'zod';
import { Yen } from './common';

export const BillingPolicy = z.enum(['microsoft-csp-monthly', 'microsoft-csp-usage', 'onprem-software', 'stellr-cutoff', 'microsoft-nce']);
export type BillingPolicy = z.infer<typeof BillingPolicy>;

export const ProductTerm = z.enum(['monthly', 'usage', 'one-time', 'annual']);
export type ProductTerm = z.infer<typeof ProductTerm>;

export const Vendor = z.enum(['Microsoft', 'Sourcenext']);
export type Vendor = z.infer<typeof Vendor>;

/**
 * A product's commitment term (ISO 8601 duration, as Partner Center's termDuration): one month or one
 * year, renewed at its end unless auto-renew is off. Absent: an evergreen plan (e.g. Office 365 E1)
 * that runs until cancelled.
 */
export const TermDuration = z.enum(['P1M', 'P1Y']);
export type TermDuration = z.infer<typeof TermDuration>;

/** How the vendor subscription comes about: by the connector, by distributor staff, or as a software key. */
export const ProvisioningMode = z.enum(['automatic', 'manual', 'key']);
export type ProvisioningMode = z.infer<typeof ProvisioningMode>;

/** Which distribution channel sells it; StreamOne orders need the reseller's PO number. */
export const Channel = z.enum(['CSP', 'StreamOne']);
export type Channel = z.infer<typeof Channel>;

/** A line's product data as copied from the catalog when the order was created. */
export const ProductTerms = z.object({
  sku: z.string(),
  productName: z.string(),
  vendor: Vendor,
  channel: Channel,
  provisioning: ProvisioningMode,
  billingPolicy: BillingPolicy,
  trial: z.boolean(),
  refundWindowDays: z.int().optional().describe('On-premises software only: days after the start date within which a cancellation is refunded.'),
  term: ProductTerm.optional().describe('The catalog’s term; `annual` StreamOne products are paid a year at a time (billing). Optional in order lines; OrderPlaced (v2) lines always carry it.'),
  termDuration: TermDuration.optional().describe('The commitment term (P1M, P1Y); absent for evergreen plans that run until cancelled.'),
  unitPrice: Yen.describe('Integer yen.'),
});
export type ProductTerms = z.infer<typeof ProductTerms>;

