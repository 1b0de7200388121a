import { DynamicModule, Module } from '@nestjs/common';
import { CONTRACT_INTEGRATION_EVENT_TYPES, TOPICS } from '@lp/integration-events';
import { runtimeProviders, ServiceDefinition, ServiceRuntime } from '@lp/runtime';
import { ContractsService } from './application/contracts.service';
import { ContractsController } from './http/contracts.controller';
import { contractScreensProjection } from './projections/contracts.projection';
import { knownOrdersProjection } from './projections/known-orders.projection';
import { knownSubscriptionsProjection } from './projections/known-subscriptions.projection';

/**
 * Only `contract-<id>` streams are forwarded, and of them only the published types: the line
 * reservations (`contractLines-<orderId>`) and number streams (`contractNumber…`) stay private.
 */
export const contractServiceDefinition: ServiceDefinition = {
  name: 'contract',
  topic: TOPICS.contract,
  streamPrefixes: ['contract-'],
  publishedEventTypes: CONTRACT_INTEGRATION_EVENT_TYPES,
  projections: [contractScreensProjection],
  busProjections: [
    { projection: knownOrdersProjection, topics: [TOPICS.order] },
    { projection: knownSubscriptionsProjection, topics: [TOPICS.provisioning] },
  ],
};

/** Contracts (契約): created from placed order lines, confirmed once their subscriptions are ACTIVE. */
@Module({})
export class ContractModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return { module: ContractModule, controllers: [ContractsController], providers: [...runtimeProviders(runtime), ContractsService] };
  }
}
