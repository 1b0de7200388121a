import { DynamicModule, Module } from '@nestjs/common';
import { PROVISIONING_INTEGRATION_EVENT_TYPES, TOPICS } from '@lp/integration-events';
import { ReadStore } from '@lp/read-models';
import { ResellerDirectory } from '@lp/platform';
import { runtimeProviders, ServiceDefinition, ServiceRuntime } from '@lp/runtime';
import { activationNoticeOutbox } from './application/activation-notice';
import { contractChangesProcessManager } from './application/contract-changes.process-manager';
import { orderPlacedProcessManager } from './application/order-placed.process-manager';
import { SubscriptionsService } from './application/subscriptions.service';
import { TenantsService } from './application/tenants.service';
import { VendorProvisioning, vendorProvisioningReactor } from './application/vendor-provisioning.worker';
import { SubscriptionsController } from './http/subscriptions.controller';
import { TenantsController } from './http/tenants.controller';
import { VendorSimulatorsController } from './http/vendor-simulators.controller';
import { knownCustomersProjection } from './projections/known-customers.projection';
import { subscriptionsProjection } from './projections/subscriptions.projection';
import { tenantsProjection } from './projections/tenants.projection';
import { COLLECTIONS, TenantView } from './projections/views';
import { ProvisioningOptions, ResolvedProvisioningOptions, resolveProvisioningOptions } from './provisioning-options';
import { VENDOR_CONNECTORS } from './provisioning.tokens';

export const provisioningServiceDefinition: ServiceDefinition = {
  name: 'provisioning',
  topic: TOPICS.provisioning,
  streamPrefixes: ['tenant-', 'subscription-'],
  publishedEventTypes: PROVISIONING_INTEGRATION_EVENT_TYPES,
  projections: [tenantsProjection, subscriptionsProjection],
  busProjections: [{ projection: knownCustomersProjection, topics: [TOPICS.order] }],
  // The process managers' consumer groups: OrderPlaced, and linked contract changes.
  consumedTopics: [TOPICS.order, TOPICS.contract],
};

/** Tenants with their MCA attestation, and the vendor subscriptions of placed order lines. */
@Module({})
export class ProvisioningModule {
  static register(runtime: ServiceRuntime, options: ProvisioningOptions = {}): DynamicModule {
    const resolved = resolveProvisioningOptions(options);
    return {
      module: ProvisioningModule,
      controllers: [TenantsController, SubscriptionsController, VendorSimulatorsController],
      providers: [
        ...runtimeProviders(runtime),
        { provide: VENDOR_CONNECTORS, useValue: resolved.connectors },
        // Registered while Nest builds the module; the runtime starts them after the read models.
        { provide: SubscriptionWorkers, useFactory: (resellers: ResellerDirectory) => new SubscriptionWorkers(runtime, resolved, resellers), inject: [ResellerDirectory] },
        TenantsService,
        SubscriptionsService,
      ],
    };
  }
}

/** The process manager (OrderPlaced → subscriptions), the vendor worker and the notice outbox, added to the runtime once. */
export class SubscriptionWorkers {
  constructor(runtime: ServiceRuntime, options: ResolvedProvisioningOptions, resellers: ResellerDirectory) {
    const { eventStore, readStore, adapters } = runtime;
    const provisioning = new VendorProvisioning({
      store: eventStore,
      connectors: options.connectors,
      retryPolicy: options.retryPolicy,
      microsoftTenantOf: (tenantId) => microsoftTenantOf(runtime, readStore, tenantId),
    });
    runtime.addWorker(orderPlacedProcessManager(eventStore, adapters.bus));
    runtime.addWorker(contractChangesProcessManager(eventStore, adapters.bus));
    runtime.addWorker(vendorProvisioningReactor(provisioning, eventStore, adapters.forwarderCheckpoints));
    runtime.addWorker(
      activationNoticeOutbox({ store: eventStore, checkpoints: adapters.forwarderCheckpoints, mailer: options.mailer, resellers: (id) => resellers.get(id) }),
    );
  }
}

/** The tenant's Microsoft GUID from the tenants read model; once more after it caught up, if missing. */
async function microsoftTenantOf(runtime: ServiceRuntime, readStore: ReadStore, tenantId: string): Promise<string | undefined> {
  const tenants = readStore.collection<TenantView>(COLLECTIONS.tenants);
  const tenant = (await tenants.get(tenantId)) ?? (await runtime.projectionsCaughtUp().then(() => tenants.get(tenantId)));
  return tenant?.tenantId;
}
