import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

export type BillingModel = 'DIRECT_BILL' | 'INDIRECT_RESELLER';

export interface ResellerInfo {
  id: string;
  name: string;
  billingModel: BillingModel;
  /** Where notices to the reseller go (e.g. a manual subscription was activated). */
  noticeEmail?: string;
}

export interface DevDefaults {
  jwtSecret: string;
  resellers: ResellerInfo[];
  /** The sample issuer of qualified invoices (billing): name and registration number (T + 13 digits). */
  invoiceIssuer?: { name: string; registrationNumber: string };
}

const RELATIVE_PATH = join('config', 'dev-defaults.json');
let cached: DevDefaults | undefined;

/**
 * config/dev-defaults.json at the workspace root, shared with scripts/token.js so that a printed
 * token verifies on the server. Found by walking up from this file, which works both from source
 * (ts/jest) and from dist/ (the build does not copy JSON files).
 */
export function loadDevDefaults(): DevDefaults {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, RELATIVE_PATH);
    if (existsSync(candidate)) {
      cached = JSON.parse(readFileSync(candidate, 'utf8')) as DevDefaults;
      return cached;
    }
    if (dirname(dir) === dir) throw new Error(`${RELATIVE_PATH} not found above ${__dirname}`);
  }
}
