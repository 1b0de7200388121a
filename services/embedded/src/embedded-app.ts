import { randomUUID } from 'crypto';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { INestApplication, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SqliteEventStore } from '@lp/eventsourcing';
import { InProcessEventBus } from '@lp/messaging';
import { configureHttpApp, IDEMPOTENCY_EVENT_STORE, PlatformModule, ReadinessRegistry } from '@lp/platform';
import { InMemoryReadStore } from '@lp/read-models';
import { ServiceDefinition, ServiceRuntime } from '@lp/runtime';
import { BillingModule, billingServiceDefinition } from '@lp/billing';
import { ContractModule, contractServiceDefinition } from '@lp/contract';
import { OrderModule, orderServiceDefinition } from '@lp/order';
import { ProvisioningModule, provisioningServiceDefinition } from '@lp/provisioning';
import { OpsController, RUNTIMES } from './ops.controller';

export interface EmbeddedOptions {
  /** Where the SQLite files live; everything durable is here. */
  dataDir: string;
  /** 'NORMAL' trades the last commits on power loss (never on a process crash) for speed. */
  synchronous?: 'FULL' | 'NORMAL';
  logger?: false;
}

export interface EmbeddedApp {
  app: INestApplication;
  runtimes: Record<'order' | 'provisioning' | 'contract' | 'billing', ServiceRuntime>;
  /** Waits until every event so far is forwarded, delivered and projected everywhere (tests, shutdown). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * All four services in one process and one HTTP port, with zero infrastructure: each service keeps
 * its own SQLite event store (as it would own its EventStoreDB streams), integration events travel
 * over the in-process bus (a durable SQLite log), and read models live in memory, rebuilt from the
 * events at every start.
 */
export async function createEmbeddedApp(options: EmbeddedOptions): Promise<EmbeddedApp> {
  mkdirSync(options.dataDir, { recursive: true });
  const synchronous = options.synchronous ?? 'FULL';
  const bus = new InProcessEventBus({ filename: join(options.dataDir, 'bus.sqlite'), synchronous });
  // In-memory read models start empty, so their consumer groups must start at the beginning of each topic.
  const processGroup = randomUUID();
  const runtimeOf = (definition: ServiceDefinition) => {
    const eventStore = new SqliteEventStore({ filename: join(options.dataDir, `${definition.name}.sqlite`), synchronous });
    return new ServiceRuntime(definition, {
      eventStore,
      forwarderCheckpoints: eventStore.checkpoints(),
      readStore: new InMemoryReadStore(),
      bus,
      consumerGroupSuffix: processGroup,
    });
  };
  const runtimes = {
    order: runtimeOf(orderServiceDefinition),
    provisioning: runtimeOf(provisioningServiceDefinition),
    contract: runtimeOf(contractServiceDefinition),
    billing: runtimeOf(billingServiceDefinition),
  };
  const idempotencyStore = new SqliteEventStore({ filename: join(options.dataDir, 'idempotency.sqlite'), synchronous });

  @Module({
    imports: [
      PlatformModule.forRoot({ serviceName: 'embedded' }),
      OrderModule.register(runtimes.order),
      ProvisioningModule.register(runtimes.provisioning),
      ContractModule.register(runtimes.contract),
      BillingModule.register(runtimes.billing),
    ],
    controllers: [OpsController],
    providers: [
      { provide: IDEMPOTENCY_EVENT_STORE, useValue: idempotencyStore },
      { provide: RUNTIMES, useValue: Object.values(runtimes) },
    ],
  })
  class EmbeddedModule {}

  const app = await NestFactory.create(EmbeddedModule, { logger: options.logger, bufferLogs: options.logger !== false });
  configureHttpApp(app, { openApi: { title: 'Licence platform (embedded: order, provisioning, contract, billing)', version: '0.1.0' } });

  // Read models are rebuilt before the first request is served.
  const all = Object.values(runtimes);
  await Promise.all(all.map((runtime) => runtime.start()));
  const settle = async () => {
    // Two rounds: an event forwarded in round one is projected by a consumer in round two.
    for (let round = 0; round < 3; round++) await Promise.all(all.map((runtime) => runtime.caughtUp()));
  };
  await settle();
  const readiness = app.get(ReadinessRegistry);
  for (const [name, runtime] of Object.entries(runtimes)) {
    readiness.register({ name, check: async () => (await Promise.race([runtime.projectionsCaughtUp().then(() => true), timeout(1000)])) });
  }
  await app.init();

  return {
    app,
    runtimes,
    settle,
    async close() {
      await app.close();
      await Promise.all(all.map((runtime) => runtime.stop()));
      await Promise.all([...all.map((runtime) => runtime.eventStore.close()), idempotencyStore.close(), bus.close()]);
      Logger.flush();
    },
  };
}

const timeout = (ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
