import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@lp/integration-events';
import { ServiceDefinition, ServiceRuntime, SERVICE_RUNTIME } from '@lp/runtime';

/** The billing service has no aggregates yet (their own issues): it runs, forwards nothing and answers health checks. */
export const billingServiceDefinition: ServiceDefinition = {
  name: 'billing',
  topic: TOPICS.billing,
  streamPrefixes: ['billing-'],
  publishedEventTypes: [],
  projections: [],
  busProjections: [],
};

@Module({})
export class BillingModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return { module: BillingModule, providers: [{ provide: SERVICE_RUNTIME, useValue: runtime }] };
  }
}
