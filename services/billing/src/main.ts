import 'reflect-metadata';
import { main } from '@lp/runtime/standalone';
import { BillingModule, billingServiceDefinition } from './billing.module';
import { billingOptionsFromEnv } from './billing-options';

main({
  definition: billingServiceDefinition,
  title: 'Billing service',
  // The invoice issuer (INVOICE_ISSUER_NAME, INVOICE_REGISTRATION_NUMBER) comes from the environment (deploy/README.md).
  module: (runtime) => BillingModule.register(runtime, billingOptionsFromEnv(process.env)),
});
