import { DynamicModule, INestApplication, Module, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventStore } from '@lp/eventsourcing';
import {
  checkHttpEdgeEnvironment,
  configureHttpApp,
  createHttpAdapter,
  IDEMPOTENCY_COMMIT_STORES,
  IDEMPOTENCY_EVENT_STORE,
  LoggingModule,
  PlatformModule,
  ReadinessRegistry,
} from '@lp/platform';
import { AsyncApiController } from './asyncapi.controller';
import { OpsController, RUNTIMES } from './ops.controller';
import { ServiceRuntime } from './service-runtime';
import { DEFAULT_STALL_MS, exposeStatusMetrics, RuntimeStatus } from './status';
import { BusProbe, watchRuntime } from './status/watch-runtime';

export interface HttpAppOptions {
  /** Shown in logs, metrics and the OpenAPI document. */
  serviceName: string;
  title: string;
  runtimes: ServiceRuntime[];
  /** The services' Nest modules, each registered with its runtime. */
  modules: DynamicModule[];
  /** Where Idempotency-Key records are kept. */
  idempotencyStore: EventStore;
  /** The bus's health and consumer-group lag (Kafka); absent for the in-process bus, which is always up. */
  busProbe?: BusProbe;
  /** Retrying or stalled longer than this makes the service unready (default READINESS_STALL_MS, else 30 s). */
  stallMs?: number;
  logger?: false;
}

/** Stops watching the runtimes when the app closes. */
class StatusLifecycle implements OnApplicationShutdown {
  constructor(private readonly stops: (() => void)[]) {}

  onApplicationShutdown(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}

/**
 * One HTTP app around one or more service runtimes: the embedded runtime passes all four, a
 * service's own process passes its own. Runtimes are started (read models rebuilt, forwarder and
 * consumers running) before the app answers its first request.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<INestApplication> {
  checkHttpEdgeEnvironment();
  const stallMs = options.stallMs ?? readinessStallMs();
  const stops: (() => void)[] = [];
  const logging = options.logger === false ? [] : [LoggingModule.forRoot({ serviceName: options.serviceName })];
  @Module({
    imports: [...logging, PlatformModule.forRoot({ serviceName: options.serviceName }), ...options.modules],
    controllers: [OpsController, AsyncApiController],
    providers: [
      { provide: IDEMPOTENCY_EVENT_STORE, useValue: options.idempotencyStore },
      // Where a key whose request died looks for what that request had committed.
      { provide: IDEMPOTENCY_COMMIT_STORES, useValue: options.runtimes.map((runtime) => runtime.eventStore) },
      { provide: RUNTIMES, useValue: options.runtimes },
      { provide: StatusLifecycle, useValue: new StatusLifecycle(stops) },
    ],
  })
  class AppModule {}

  const app = await NestFactory.create(AppModule, createHttpAdapter(), { logger: options.logger, bufferLogs: options.logger !== false });
  if (options.logger !== false) LoggingModule.use(app);
  configureHttpApp(app, { openApi: { title: options.title, version: '0.1.0' } });
  await Promise.all(options.runtimes.map((runtime) => runtime.start()));
  const readiness = app.get(ReadinessRegistry);
  for (const runtime of options.runtimes) {
    const status = watchRuntime(runtime, { stallMs, busProbe: options.busProbe });
    status.start();
    stops.push(() => status.stop(), exposeStatusMetrics(status, options.busProbe));
    readiness.registerGroup({ name: runtime.definition.name, checks: () => readinessOf(status) });
  }
  await app.init();
  // Fastify registers routes and plugins (Swagger UI's files) when ready: before the first request, and before getHttpServer() is handed out.
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Each dependency and subscription of the runtime; a failing one says why, since when and its last error. */
async function readinessOf(status: RuntimeStatus) {
  return (await status.verdicts()).map(({ name, ok, error, detail }) => (ok ? { name, ok } : { name, ok, error, ...detail }));
}

function readinessStallMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.READINESS_STALL_MS?.trim();
  if (!raw) return DEFAULT_STALL_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`READINESS_STALL_MS must be a positive whole number of milliseconds, not "${raw}"`);
  return ms;
}
