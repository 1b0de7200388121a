import { DynamicModule, INestApplication, Logger } from '@nestjs/common';
import { ConsoleModule, findConsoleDir } from '../console';
import { createHttpApp } from '../http-app';
import { listenOnAllInterfaces } from '../listen';
import { ServiceDefinition } from '../service-definition';
import { ServiceRuntime } from '../service-runtime';
import { createAdapters } from './adapters';
import { loadServiceConfig } from './service-config';

export interface StandaloneService {
  definition: ServiceDefinition;
  title: string;
  module: (runtime: ServiceRuntime) => DynamicModule;
}

/**
 * A service in a process of its own (distributed mode): adapters from the environment, its topics
 * created before anything is published or consumed (never left to broker auto-creation), read
 * models and forwarder started, then HTTP. SIGTERM/SIGINT close everything in order.
 */
export async function runStandaloneService(service: StandaloneService): Promise<INestApplication> {
  const logger = new Logger(service.definition.name);
  const config = loadServiceConfig(service.definition.name);
  const adapters = await createAdapters(config);
  const consumed = [...service.definition.busProjections.flatMap((projection) => projection.topics), ...(service.definition.consumedTopics ?? [])];
  await adapters.bus.ensureTopics([...new Set([service.definition.topic, ...consumed])]);

  const runtime = new ServiceRuntime(service.definition, adapters);
  const app = await createHttpApp({
    serviceName: service.definition.name,
    title: service.title,
    runtimes: [runtime],
    // The console too, when built (the image's npm run build builds it); sample-token sign-in only
    // while the service verifies with the development secret.
    modules: [service.module(runtime), ConsoleModule.register({ consoleDir: findConsoleDir(), sampleTokens: true })],
    idempotencyStore: adapters.idempotencyStore,
    busProbe: adapters.busProbe,
  });
  await listenOnAllInterfaces(app, config.PORT);
  logger.log(`listening on ${config.PORT} (event store ${config.EVENT_STORE}, bus ${config.BUS}, read store ${config.READ_STORE})`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: closing`);
    await app.close();
    await runtime.stop();
    await adapters.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return app;
}

/** The body of every service's main.ts: run it, or print why it cannot start and exit 1. */
export function main(service: StandaloneService): void {
  runStandaloneService(service).catch((error: unknown) => {
    // eslint-disable-next-line no-console
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
