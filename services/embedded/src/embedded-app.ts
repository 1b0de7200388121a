import { mkdirSync } from 'fs';
import { join } from 'path';
import { INestApplication, Logger } from '@nestjs/common';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { mailerFromEnv } from '@lp/notifications';
import { SqliteReadStore } from '@lp/read-models/sqlite';
import { ConsoleModule, createHttpApp, findConsoleDir, ServiceDefinition, ServiceRuntime } from '@lp/runtime';
import { BillingModule, billingOptionsFromEnv, billingServiceDefinition } from '@lp/billing';
import { ContractModule, contractServiceDefinition } from '@lp/contract';
import { OrderModule, orderServiceDefinition } from '@lp/order';
import { ProvisioningModule, ProvisioningOptions, provisioningOptionsFromEnv, provisioningServiceDefinition } from '@lp/provisioning';

export interface EmbeddedOptions {
  /** Where the SQLite files live; everything durable is here. */
  dataDir: string;
  /** 'NORMAL' trades the last commits on power loss (never on a process crash) for speed. */
  synchronous?: 'FULL' | 'NORMAL';
  logger?: false;
  /** Vendor connectors and retry policy; default: the simulators configured by the environment. */
  provisioning?: ProvisioningOptions;
  /** The built console to serve at / (default: dist/console when built; false: API only). */
  consoleDir?: string | false;
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
 * over the in-process bus (a durable SQLite log), and read models live in a SQLite file per service
 * (SqliteReadStore), kept with their checkpoints, so a restart resumes instead of replaying history.
 */
export async function createEmbeddedApp(options: EmbeddedOptions): Promise<EmbeddedApp> {
  mkdirSync(options.dataDir, { recursive: true });
  const synchronous = options.synchronous ?? 'FULL';
  const readStores: SqliteReadStore[] = [];
  const bus = new InProcessEventBus({
    filename: join(options.dataDir, 'bus.sqlite'),
    synchronous,
    // Bus offsets become durable only after the read models they fed (one fsync per file, at most every 200 ms).
    beforeOffsetsSaved: async () => void (await Promise.all(readStores.map((store) => store.sync()))),
  });
  const runtimeOf = (definition: ServiceDefinition) => {
    const eventStore = new SqliteEventStore({ filename: join(options.dataDir, `${definition.name}.sqlite`), synchronous });
    // One file per service, as each service owns its read database (their collection and projection
    // names overlap: several have `customers`). NORMAL: a process crash loses nothing, and what power
    // loss might take is replayed, the checkpoints being committed with their documents.
    // Commits gathered over 10 ms: each rewrites the pages it changed to the WAL, and under load the same
    // pages change in every tick.
    const readStore = SqliteReadStore.open({ filename: join(options.dataDir, `${definition.name}.read-models.sqlite`), synchronous: 'NORMAL', commitDelayMs: 10 });
    readStores.push(readStore);
    return new ServiceRuntime(definition, {
      eventStore,
      forwarderCheckpoints: eventStore.checkpoints(),
      readStore,
      bus,
      // Stable while the read-model file lives: a restart resumes from the groups' saved offsets.
      consumerGroupSuffix: readStore.instanceId,
      // The bus's beforeOffsetsSaved commits (and syncs) every read store before any offset is saved.
      offsetsSavedAfterReadStore: true,
    });
  };
  const runtimes = {
    order: runtimeOf(orderServiceDefinition),
    provisioning: runtimeOf(provisioningServiceDefinition),
    contract: runtimeOf(contractServiceDefinition),
    billing: runtimeOf(billingServiceDefinition),
  };
  const mailboxDir = join(options.dataDir, 'mailbox');
  const idempotencyStore = new SqliteEventStore({ filename: join(options.dataDir, 'idempotency.sqlite'), synchronous });

  const all = Object.values(runtimes);
  const app = await createHttpApp({
    serviceName: 'embedded',
    title: 'Licence platform (embedded: order, provisioning, contract, billing)',
    runtimes: all,
    modules: [
      OrderModule.register(runtimes.order),
      ProvisioningModule.register(
        runtimes.provisioning,
        // Without SMTP settings, reseller notices land in the local mailbox beside the data.
        options.provisioning
          ? { mailer: mailerFromEnv(process.env, { mailboxDir }), ...options.provisioning }
          : provisioningOptionsFromEnv(process.env, { mailboxDir }),
      ),
      ContractModule.register(runtimes.contract),
      BillingModule.register(runtimes.billing, billingOptionsFromEnv(process.env)),
      ConsoleModule.register({
        consoleDir: options.consoleDir === false ? undefined : findConsoleDir(options.consoleDir),
        sampleTokens: true,
      }),
    ],
    idempotencyStore,
    logger: options.logger,
  });
  const settle = async () => {
    // Three rounds: an event forwarded in one round is projected by a consumer in the next.
    for (let round = 0; round < 3; round++) await Promise.all(all.map((runtime) => runtime.caughtUp()));
  };
  await settle();

  return {
    app,
    runtimes,
    settle,
    async close() {
      await app.close();
      await Promise.all(all.map((runtime) => runtime.stop()));
      await Promise.all([...all.map((runtime) => runtime.eventStore.close()), ...all.map((runtime) => runtime.readStore.close()), idempotencyStore.close(), bus.close()]);
      Logger.flush();
    },
  };
}
