import { DynamicModule, Module } from '@nestjs/common';
import { CONTRACT_CHANGE_INTEGRATION_EVENT_TYPES, CONTRACT_INTEGRATION_EVENT_TYPES, TOPICS } from '@lp/integration-events';
import { runtimeProviders, ServiceDefinition, ServiceRuntime } from '@lp/runtime';
import { changeOutcomesReactor } from './application/change-outcomes';
import { ContractChangesService } from './application/contract-changes.service';
import { ContractsService } from './application/contracts.service';
import { RenewalRuns, renewalTimer } from './application/renewal-runs';
import { vendorAnswersProcessManager } from './application/vendor-answers.process-manager';
import { ContractChangeRequestsController, ContractChangesController } from './http/contract-changes.controller';
import { ContractsController } from './http/contracts.controller';
import { contractChangesProjection } from './projections/contract-changes.projection';
import { contractScreensProjection } from './projections/contracts.projection';
import { knownChargingProjection } from './projections/known-charging.projection';
import { knownOrdersProjection } from './projections/known-orders.projection';
import { knownSubscriptionsProjection } from './projections/known-subscriptions.projection';

/**
 * Only `contract-<id>` and `contractChange-<id>` streams are forwarded, and of them only the
 * published types: the line lock (ContractChangeOpened …), the line reservations
 * (`contractLines-<orderId>`) and number streams (`contractNumber…`) stay private.
 */
export const contractServiceDefinition: ServiceDefinition = {
  name: 'contract',
  topic: TOPICS.contract,
  streamPrefixes: ['contract-', 'contractChange-'],
  publishedEventTypes: [...CONTRACT_INTEGRATION_EVENT_TYPES, ...CONTRACT_CHANGE_INTEGRATION_EVENT_TYPES],
  projections: [contractScreensProjection, contractChangesProjection],
  busProjections: [
    { projection: knownOrdersProjection, topics: [TOPICS.order] },
    { projection: knownSubscriptionsProjection, topics: [TOPICS.provisioning] },
    { projection: knownChargingProjection, topics: [TOPICS.billing] },
  ],
  // The vendor-answers process manager's consumer group.
  consumedTopics: [TOPICS.provisioning],
};

/** Adds the change workers to the runtime once, while Nest builds the module; the runtime starts them after the read models. */
export class ContractChangeWorkers {
  constructor(runtime: ServiceRuntime) {
    const { eventStore, adapters } = runtime;
    runtime.addWorker(changeOutcomesReactor(eventStore, adapters.forwarderCheckpoints));
    runtime.addWorker(vendorAnswersProcessManager(eventStore, adapters.bus));
    if (renewalTimerWanted()) runtime.addWorker(renewalTimer(new RenewalRuns(eventStore, adapters.readStore), renewalIntervalMs()));
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The daily renewal run: on in a running service; off under jest unless CONTRACT_RENEWAL_TIMER=on (tests run it by hand). */
function renewalTimerWanted(): boolean {
  const setting = process.env.CONTRACT_RENEWAL_TIMER;
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return process.env.JEST_WORKER_ID === undefined;
}

function renewalIntervalMs(): number {
  const value = Number(process.env.CONTRACT_RENEWAL_INTERVAL_MS);
  return Number.isInteger(value) && value > 0 ? value : DAY_MS;
}

/** Contracts (契約) created from placed order lines and confirmed once their subscriptions are ACTIVE; their changes (契約変更). */
@Module({})
export class ContractModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: ContractModule,
      controllers: [ContractsController, ContractChangeRequestsController, ContractChangesController],
      providers: [
        ...runtimeProviders(runtime),
        { provide: ContractChangeWorkers, useFactory: () => new ContractChangeWorkers(runtime) },
        ContractsService,
        ContractChangesService,
      ],
    };
  }
}
