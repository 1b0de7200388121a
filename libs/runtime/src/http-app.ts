import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventStore } from '@lp/eventsourcing';
import { checkHttpEdgeEnvironment, configureHttpApp, IDEMPOTENCY_COMMIT_STORES, IDEMPOTENCY_EVENT_STORE, PlatformModule, ReadinessRegistry } from '@lp/platform';
import { AsyncApiController } from './asyncapi.controller';
import { OpsController, RUNTIMES } from './ops.controller';
import { ServiceRuntime } from './service-runtime';

export interface HttpAppOptions {
  /** Shown in logs, metrics and the OpenAPI document. */
  serviceName: string;
  title: string;
  runtimes: ServiceRuntime[];
  /** The services' Nest modules, each registered with its runtime. */
  modules: DynamicModule[];
  /** Where Idempotency-Key records are kept. */
  idempotencyStore: EventStore;
  logger?: false;
}

const READINESS_TIMEOUT_MS = 1000;

/**
 * One HTTP app around one or more service runtimes: the embedded runtime passes all four, a
 * service's own process passes its own. Runtimes are started (read models rebuilt, forwarder and
 * consumers running) before the app answers its first request.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<INestApplication> {
  checkHttpEdgeEnvironment();
  @Module({
    imports: [PlatformModule.forRoot({ serviceName: options.serviceName }), ...options.modules],
    controllers: [OpsController, AsyncApiController],
    providers: [
      { provide: IDEMPOTENCY_EVENT_STORE, useValue: options.idempotencyStore },
      // Where a key whose request died looks for what that request had committed.
      { provide: IDEMPOTENCY_COMMIT_STORES, useValue: options.runtimes.map((runtime) => runtime.eventStore) },
      { provide: RUNTIMES, useValue: options.runtimes },
    ],
  })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { logger: options.logger, bufferLogs: options.logger !== false });
  configureHttpApp(app, { openApi: { title: options.title, version: '0.1.0' } });
  await Promise.all(options.runtimes.map((runtime) => runtime.start()));
  const readiness = app.get(ReadinessRegistry);
  for (const runtime of options.runtimes) {
    readiness.register({
      name: runtime.definition.name,
      check: () => Promise.race([runtime.projectionsCaughtUp().then(() => true), timeout(READINESS_TIMEOUT_MS)]),
    });
  }
  await app.init();
  return app;
}

const timeout = (ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
