import type { KnownBillingPolicy } from '../billing-line';
import { microsoftCspMonthly } from './microsoft-csp-monthly';
import { microsoftCspUsage } from './microsoft-csp-usage';
import { microsoftNce } from './microsoft-nce';
import { onpremSoftware } from './onprem-software';
import type { BillingPolicyRules } from './policy';
import { stellrCutoff } from './stellr-cutoff';

export type { BillingPolicyRules } from './policy';
export { proratedAmount } from './microsoft-csp-monthly';
export { refundWindowEnd } from './onprem-software';
export { changeCountsFrom as stellrChangeCountsFrom, chargingStart as stellrChargingStart, deliveryDate as stellrDeliveryDate, firstMonthNotCharged as stellrFirstMonthNotCharged, reductionStart as stellrReductionStart } from './stellr-cutoff';

export const BILLING_POLICIES: Readonly<Record<KnownBillingPolicy, BillingPolicyRules>> = {
  'stellr-cutoff': stellrCutoff,
  'microsoft-csp-monthly': microsoftCspMonthly,
  'microsoft-csp-usage': microsoftCspUsage,
  'onprem-software': onpremSoftware,
  'microsoft-nce': microsoftNce,
};

export const isKnownBillingPolicy = (name: string): name is KnownBillingPolicy => Object.prototype.hasOwnProperty.call(BILLING_POLICIES, name);

/**
 * The rules of a policy. An unknown policy throws rather than charging nothing: a product billed by
 * rules this service does not know must stop the run loudly, not go out free.
 */
export function policyFor(name: string): BillingPolicyRules {
  if (!isKnownBillingPolicy(name)) throw new Error(`Unknown billing policy '${name}'`);
  return BILLING_POLICIES[name];
}
