import { INestApplication, Module, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Clock, configureHttpApp, createHttpAdapter, IDEMPOTENCY_EVENT_STORE, OpenApiOptions, PlatformModule } from '../../src';
import { InMemoryEventStore } from './in-memory-event-store';
import { TEST_SECRET } from './tokens';

export interface TestApp {
  app: INestApplication;
  store: InMemoryEventStore;
  server: () => ReturnType<INestApplication['getHttpServer']>;
}

/**
 * A Nest app with the PlatformModule, the given controllers and an in-memory idempotency store.
 * (@nestjs/testing is not installed; NestFactory with a throw-away root module does the same.)
 */
export async function createTestApp(
  controllers: Type<unknown>[],
  options: { providers?: Provider[]; bodyLimit?: string; clock?: Clock; openApi?: OpenApiOptions } = {},
): Promise<TestApp> {
  process.env.JWT_SECRET = TEST_SECRET;
  const store = new InMemoryEventStore();
  @Module({})
  class TestRootModule {}
  const app = await NestFactory.create(
    {
      module: TestRootModule,
      imports: [PlatformModule.forRoot({ serviceName: 'platform-test', clock: options.clock })],
      controllers,
      providers: [{ provide: IDEMPOTENCY_EVENT_STORE, useValue: store }, ...(options.providers ?? [])],
    },
    createHttpAdapter(),
    { logger: false, abortOnError: false },
  );
  configureHttpApp(app, { bodyLimit: options.bodyLimit ?? '10kb', openApi: options.openApi });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, store, server: () => app.getHttpServer() };
}
