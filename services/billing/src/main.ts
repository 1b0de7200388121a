import 'reflect-metadata';
import { main } from '@lp/runtime/standalone';
import { BillingModule, billingServiceDefinition } from './billing.module';

main({ definition: billingServiceDefinition, title: 'Billing service', module: (runtime) => BillingModule.register(runtime) });
