import { DynamicModule, Module } from '@nestjs/common';
import { PROVISIONING_INTEGRATION_EVENT_TYPES, TOPICS } from '@lp/integration-events';
import { runtimeProviders, ServiceDefinition, ServiceRuntime } from '@lp/runtime';
import { TenantsService } from './application/tenants.service';
import { TenantsController } from './http/tenants.controller';
import { knownCustomersProjection } from './projections/known-customers.projection';
import { tenantsProjection } from './projections/tenants.projection';

export const provisioningServiceDefinition: ServiceDefinition = {
  name: 'provisioning',
  topic: TOPICS.provisioning,
  streamPrefixes: ['tenant-', 'subscription-'],
  publishedEventTypes: PROVISIONING_INTEGRATION_EVENT_TYPES,
  projections: [tenantsProjection],
  busProjections: [{ projection: knownCustomersProjection, topics: [TOPICS.order] }],
};

/** Tenants with their MCA attestation; vendor subscriptions come with the contract issue. */
@Module({})
export class ProvisioningModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: ProvisioningModule,
      controllers: [TenantsController],
      providers: [
        ...runtimeProviders(runtime),
        TenantsService,
      ],
    };
  }
}
