import { Controller, Get, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { configureHttpApp, createHttpAdapter, IDEMPOTENCY_EVENT_STORE, LoggingModule, PlatformModule, Public } from '../src';
import { InMemoryEventStore } from './support/in-memory-event-store';
import { bearer, TEST_SECRET, tokenFor } from './support/tokens';

@Controller('things')
class ThingsController {
  private readonly logger = new Logger('Things');

  @Public()
  @Get('noisy')
  noisy() {
    this.logger.warn('something worth a line');
    return { ok: true };
  }

  @Public()
  @Get('broken')
  broken() {
    throw new Error('the disk is on fire');
  }
}

/** What a platform team reads in the logs: one JSON line per answered request, with the ids the client got. */
describe('logging', () => {
  const lines: Record<string, unknown>[] = [];
  let app: Awaited<ReturnType<typeof NestFactory.create>>;
  beforeAll(async () => {
    process.env.JWT_SECRET = TEST_SECRET;
    const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
    @Module({})
    class Root {}
    app = await NestFactory.create(
      {
        module: Root,
        imports: [LoggingModule.forRoot({ serviceName: 'logging-test', destination }), PlatformModule.forRoot({ serviceName: 'logging-test' })],
        controllers: [ThingsController],
        providers: [{ provide: IDEMPOTENCY_EVENT_STORE, useValue: new InMemoryEventStore() }],
      },
      createHttpAdapter(),
      { bufferLogs: true, abortOnError: false },
    );
    LoggingModule.use(app);
    // A server flushes Nest's buffered lines when it listens; this one never does.
    app.flushLogs();
    configureHttpApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());
  beforeEach(() => (lines.length = 0));

  const completed = () => lines.filter((line) => line.msg === 'request completed');

  it('writes one line per answered request with its ids, method, target, status and time', async () => {
    const res = await request(app.getHttpServer()).get('/things/noisy?x=1').set('X-Correlation-Id', 'corr-42').set('Authorization', bearer(tokenFor())).expect(200);
    expect(completed()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'logging-test',
        requestId: res.headers['x-request-id'],
        correlationId: 'corr-42',
        req: { method: 'GET', url: '/things/noisy?x=1' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    // A handler's own line names its context; no line holds the request's headers (bearer tokens).
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', context: 'Things', msg: 'something worth a line' }));
    expect(JSON.stringify(lines)).not.toMatch(/authorization/i);
  });

  it('logs a 4xx as warn and a 5xx as error, the error line with the ids the client got', async () => {
    await request(app.getHttpServer()).get('/nowhere').expect(404);
    expect(completed()).toEqual([expect.objectContaining({ level: 'warn', res: { statusCode: 404 } })]);
    lines.length = 0;
    const res = await request(app.getHttpServer()).get('/things/broken').expect(500);
    expect(completed()).toEqual([expect.objectContaining({ level: 'error', res: { statusCode: 500 } })]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', context: 'ProblemExceptionFilter', requestId: res.headers['x-request-id'], msg: expect.stringContaining('the disk is on fire') }),
    );
  });

  it('keeps probes and scrapes out of the log', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(completed()).toEqual([]);
  });
});
