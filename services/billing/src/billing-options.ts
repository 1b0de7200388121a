import { Logger } from '@nestjs/common';
import { InvoiceIssuer } from '@lp/integration-events';
import { loadDevDefaults } from '@lp/platform';
import { REGISTRATION_NUMBER } from './domain/billing-account';

let warnedOfSample = false;

export interface BillingOptions {
  /** 適格請求書発行事業者: printed on every invoice and credit note. */
  issuer: InvoiceIssuer;
  /** The issuer is the development sample (INVOICE_REGISTRATION_NUMBER unset): BillingModule warns once. */
  sampleIssuer?: boolean;
}

/**
 * `INVOICE_ISSUER_NAME` and `INVOICE_REGISTRATION_NUMBER` (`T` + 13 digits); without them the
 * development sample of config/dev-defaults.json. A malformed number stops the start with a message.
 */
export function billingOptionsFromEnv(env: NodeJS.ProcessEnv): BillingOptions {
  const sample = loadDevDefaults().invoiceIssuer;
  const issuer = {
    name: env.INVOICE_ISSUER_NAME?.trim() || sample?.name || '',
    registrationNumber: env.INVOICE_REGISTRATION_NUMBER?.trim() || sample?.registrationNumber || '',
  };
  const problems = [
    ...(issuer.name ? [] : ['INVOICE_ISSUER_NAME is required (the issuer printed on invoices)']),
    ...(REGISTRATION_NUMBER.test(issuer.registrationNumber) ? [] : [`INVOICE_REGISTRATION_NUMBER must be T followed by 13 digits, not '${issuer.registrationNumber}'`]),
  ];
  if (problems.length) throw new Error(`Billing configuration: ${problems.join('; ')}`);
  return { issuer, ...(!env.INVOICE_REGISTRATION_NUMBER?.trim() && { sampleIssuer: true }) };
}

/**
 * Says once per process (the embedded runtime and its tests start many times) that invoices carry
 * the development sample. Called while the app is created, so the line goes out through the app's
 * logger (JSON), not Nest's console format as a line logged before the app exists would.
 */
export function warnOfSampleIssuer(options: BillingOptions): void {
  if (!options.sampleIssuer || warnedOfSample) return;
  warnedOfSample = true;
  new Logger('billing').warn(`INVOICE_REGISTRATION_NUMBER is not set: invoices carry the development sample ${options.issuer.registrationNumber}`);
}
