import { DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@lp/integration-events';
import { ServiceDefinition, ServiceRuntime, SERVICE_RUNTIME } from '@lp/runtime';

/** The contract service has no aggregates yet (their own issues): it runs, forwards nothing and answers health checks. */
export const contractServiceDefinition: ServiceDefinition = {
  name: 'contract',
  topic: TOPICS.contract,
  streamPrefixes: ['contract-'],
  publishedEventTypes: [],
  projections: [],
  busProjections: [],
};

@Module({})
export class ContractModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return { module: ContractModule, providers: [{ provide: SERVICE_RUNTIME, useValue: runtime }] };
  }
}
