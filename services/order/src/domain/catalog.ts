/** The sample product catalog of domain.md: shared with the contract service, so it lives in @lp/integration-events. */
import { BillingPolicy, CATALOG, Channel, findProduct, Product, ProvisioningMode, Vendor } from '@lp/integration-events';

export type { BillingPolicy, Channel, Product, ProvisioningMode, Vendor };
export { CATALOG, findProduct };

/** Microsoft lines are provisioned into one of the customer's tenants, so they need a target. */
export function needsTenant(product: Pick<Product, 'vendor'>): boolean {
  return product.vendor === 'Microsoft';
}
