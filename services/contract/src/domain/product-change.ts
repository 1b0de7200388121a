import { findProduct, upgradesOf } from '@lp/integration-events';
import { ruleViolation } from '@lp/eventsourcing';

/**
 * Product change (数量・商品変更 to another product): a line moves to a product of the same vendor and
 * billing policy that the catalog lists as its upgrade (Office 365 E1 → E3). No downgrade or sideways
 * move mid-term. The new product's name and price come from the catalog when it is requested.
 */

export interface ProductChangeTarget {
  newSku: string;
  newProductName: string;
  newUnitPrice: number;
}

/** The product a line may move to, or a 422 naming the rule it breaks. */
export function productChangeTarget(line: { lineId: string; sku: string; billingPolicy: string }, sku: string): ProductChangeTarget {
  const current = findProduct(line.sku);
  const target = findProduct(sku);
  if (!target) throw ruleViolation('UNKNOWN_PRODUCT', `Line ${line.lineId}: ${sku} is not in the catalog`);
  if (sku === line.sku) throw ruleViolation('SAME_PRODUCT', `Line ${line.lineId} is already ${sku}: change its quantity instead`);
  if (current && target.vendor !== current.vendor) {
    throw ruleViolation('OTHER_VENDOR', `Line ${line.lineId}: ${sku} is sold by ${target.vendor}, the line's product by ${current.vendor}`);
  }
  if (target.billingPolicy !== line.billingPolicy) {
    throw ruleViolation('OTHER_BILLING_POLICY', `Line ${line.lineId}: ${sku} is billed under ${target.billingPolicy}, the line under ${line.billingPolicy}`);
  }
  if (!upgradesOf(line.sku).includes(sku)) {
    throw ruleViolation('NOT_AN_UPGRADE', `Line ${line.lineId}: ${sku} is not an upgrade of ${line.sku} (allowed: ${upgradesOf(line.sku).join(', ') || 'none'}); no downgrade mid-term`);
  }
  return { newSku: target.sku, newProductName: target.name, newUnitPrice: target.unitPrice };
}
