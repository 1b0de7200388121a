/** The sample product catalog of domain.md: shared with the contract service, so it lives in @lp/integration-events. */
import { BillingPolicy, CATALOG, Channel, findProduct, OrderLine, Product, ProvisioningMode, Vendor } from '@lp/integration-events';

export type { BillingPolicy, Channel, Product, ProvisioningMode, Vendor };
export { CATALOG, findProduct };

/** Microsoft lines are provisioned into one of the customer's tenants, so they need a target. */
export function needsTenant(product: Pick<Product, 'vendor'>): boolean {
  return product.vendor === 'Microsoft';
}

/** An order line for a catalog product: the product's data copied onto the line, so the order keeps the price and terms it was made with. */
export function orderLineFor(product: Product, lineId: string, quantity: number): OrderLine {
  const { name, billingFrequency: _frequency, ...terms } = product;
  return { lineId, ...terms, productName: name, quantity };
}
