import { DynamicModule, Module } from '@nestjs/common';
import { BILLING_INTEGRATION_EVENT_TYPES, TOPICS } from '@lp/integration-events';
import { runtimeProviders, ServiceDefinition, ServiceRuntime } from '@lp/runtime';
import { contractEventsProcessManager } from './application/contract-events.process-manager';
import { BILLING_OPTIONS, BillingService } from './application/billing.service';
import { BillingOptions, warnOfSampleIssuer } from './billing-options';
import { BillingController, InvoicesController } from './http/billing.controller';
import { billingLinesProjection } from './projections/billing-lines.projection';
import { invoicesProjection, knownCustomersProjection } from './projections/invoices.projection';

/**
 * The customers' `billingAccount-<id>` streams (invoices, credit notes) and, of the line schedules
 * (`billingLine-`), only their charging periods (LineChargingScheduled) are forwarded; the rest of
 * the schedules and the invoice numbers stay private.
 */
export const billingServiceDefinition: ServiceDefinition = {
  name: 'billing',
  topic: TOPICS.billing,
  streamPrefixes: ['billingAccount-', 'billingLine-'],
  publishedEventTypes: BILLING_INTEGRATION_EVENT_TYPES,
  projections: [billingLinesProjection, invoicesProjection],
  busProjections: [{ projection: knownCustomersProjection, topics: [TOPICS.order] }],
  // The schedules' process manager reads the contract service's events.
  consumedTopics: [TOPICS.contract],
};

/** Adds the contract-events process manager to the runtime once; the runtime starts it after the read models. */
export class BillingWorkers {
  constructor(runtime: ServiceRuntime) {
    runtime.addWorker(contractEventsProcessManager(runtime.eventStore, runtime.adapters.bus));
  }
}

/** Billing (請求): schedules from contract events, monthly invoice runs, credit notes, invoice events. */
@Module({})
export class BillingModule {
  static register(runtime: ServiceRuntime, options: BillingOptions): DynamicModule {
    return {
      module: BillingModule,
      controllers: [BillingController, InvoicesController],
      providers: [
        ...runtimeProviders(runtime),
        {
          provide: BILLING_OPTIONS,
          useFactory: () => {
            warnOfSampleIssuer(options);
            return options;
          },
        },
        { provide: BillingWorkers, useFactory: () => new BillingWorkers(runtime) },
        BillingService,
      ],
    };
  }
}
