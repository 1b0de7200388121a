import { BillingPolicy, Channel, ProductTerm, ProvisioningMode, TermDuration, Vendor } from './products';

/**
 * The sample product catalog of domain.md (prices not in the seeds are samples), shared because more
 * than the order service reads it: the contract service checks a product change against it (the
 * product's vendor, billing policy and upgrade paths, and the new product's name and price).
 */
export interface Product {
  sku: string;
  name: string;
  vendor: Vendor;
  channel: Channel;
  term: ProductTerm;
  billingFrequency: 'monthly' | 'usage' | 'one-time' | 'annual';
  /** Integer yen; 0 for usage-billed products, whose charge comes from imported usage. */
  unitPrice: number;
  billingPolicy: BillingPolicy;
  provisioning: ProvisioningMode;
  trial: boolean;
  /** On-premises software only: days after the start date within which a cancellation is refunded. */
  refundWindowDays?: number;
  /** The commitment term (P1M, P1Y), renewed at its end unless auto-renew is off; absent: evergreen, runs until cancelled. */
  termDuration?: TermDuration;
}

const microsoft = { vendor: 'Microsoft', channel: 'CSP', trial: false } as const;
const monthlyCsp = { ...microsoft, term: 'monthly', billingFrequency: 'monthly', billingPolicy: 'microsoft-csp-monthly', provisioning: 'automatic' } as const;
/** New-commerce licences: a term (P1M / P1Y) billed monthly, cancellable only within 7 days of purchase. */
const nce = { ...microsoft, term: 'monthly', billingFrequency: 'monthly', billingPolicy: 'microsoft-nce', provisioning: 'automatic' } as const;
const software = { ...microsoft, term: 'one-time', billingFrequency: 'one-time', billingPolicy: 'onprem-software', provisioning: 'key' } as const;
const streamOne = { vendor: 'Sourcenext', channel: 'StreamOne', billingPolicy: 'stellr-cutoff', provisioning: 'manual', trial: false } as const;

export const CATALOG: readonly Product[] = [
  { ...monthlyCsp, sku: 'MS-O365-E1', name: 'Office 365 E1', unitPrice: 870 },
  { ...monthlyCsp, sku: 'MS-PROJECT-P1', name: 'Project Plan 1', unitPrice: 870 },
  { ...monthlyCsp, sku: 'MS-M365-BB', name: 'Microsoft 365 Business Basic', unitPrice: 750 },
  { ...monthlyCsp, sku: 'MS-O365-E1-TRIAL', name: 'Office 365 E1 Trial', unitPrice: 0, trial: true },
  { ...microsoft, sku: 'MS-AZURE-PLAN', name: 'Azure プラン', term: 'usage', billingFrequency: 'usage', unitPrice: 0, billingPolicy: 'microsoft-csp-usage', provisioning: 'automatic' },
  { ...monthlyCsp, sku: 'MS-DEFENDER-EP', name: 'Microsoft Defender for Endpoint P1', unitPrice: 380 },
  { ...monthlyCsp, sku: 'MS-O365-E3', name: 'Office 365 E3', unitPrice: 2170 },
  { ...nce, sku: 'MS-M365-BP-NCE-M', name: 'Microsoft 365 Business Premium (NCE, 月間契約)', unitPrice: 2750, termDuration: 'P1M' },
  { ...nce, sku: 'MS-M365-BP-NCE-Y', name: 'Microsoft 365 Business Premium (NCE, 年間契約・月払い)', unitPrice: 2750, termDuration: 'P1Y' },
  { ...software, sku: 'MS-WINSRV-2022-STD', name: 'Windows Server 2022 Standard', unitPrice: 120000, refundWindowDays: 30 },
  { ...software, sku: 'MS-SQLSRV-2019-STD-LEGACY', name: 'SQL Server 2019 Standard (legacy)', unitPrice: 200000, refundWindowDays: 60 },
  { ...streamOne, sku: 'SN-POCKETALK-SI-Y', name: 'ポケトーク同時通訳(年額サブスクリプション)シリアルコード', term: 'annual', billingFrequency: 'annual', unitPrice: 24710, termDuration: 'P1Y' },
  { ...streamOne, sku: 'SN-POCKETALK-CC-M', name: 'ポケトーク字幕 (月額)', term: 'monthly', billingFrequency: 'monthly', unitPrice: 1100 },
];

const bySku = new Map(CATALOG.map((product) => [product.sku, product]));

export function findProduct(sku: string): Product | undefined {
  return bySku.get(sku);
}

/**
 * Upgrade paths (数量・商品変更 to another product): a line may move to a product listed here for its
 * sku, of the same vendor and billing policy. Not listed: a downgrade or a sideways move, which
 * Microsoft allows only at the term end.
 */
const UPGRADES: Readonly<Record<string, readonly string[]>> = {
  'MS-O365-E1': ['MS-O365-E3'],
};

export function upgradesOf(sku: string): readonly string[] {
  return UPGRADES[sku] ?? [];
}
