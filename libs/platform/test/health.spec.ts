import { Controller, Get, Injectable, OnModuleInit } from '@nestjs/common';
import request from 'supertest';
import { ReadinessRegistry } from '../src';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

/** Stands for a service module registering its dependencies. */
@Injectable()
class StoreProbe implements OnModuleInit {
  static healthy = true;
  constructor(private readonly readiness: ReadinessRegistry) {}
  onModuleInit() {
    this.readiness.register({ name: 'event-store', check: async () => StoreProbe.healthy });
    this.readiness.register({ name: 'bus', check: async () => true });
  }
}

@Controller('widgets')
class WidgetsController {
  @Get(':id')
  one() {
    return { ok: true };
  }
}

describe('health and metrics', () => {
  let t: TestApp;
  const distributor = bearer(tokenFor({ roles: ['distributor-admin'], resellerId: undefined }));
  beforeAll(async () => {
    t = await createTestApp([WidgetsController], { providers: [StoreProbe] });
  });
  afterAll(() => t.app.close());

  it('is live without a token', async () => {
    await request(t.server()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('is ready when every check passes', async () => {
    StoreProbe.healthy = true;
    const res = await request(t.server()).get('/health/ready').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: [
        { name: 'event-store', ok: true },
        { name: 'bus', ok: true },
      ],
    });
  });

  it('answers 503 and names the failing check', async () => {
    StoreProbe.healthy = false;
    const res = await request(t.server()).get('/health/ready').expect(503);
    expect(res.body.status).toBe('unavailable');
    expect(res.body.checks).toContainEqual({ name: 'event-store', ok: false, error: 'not ready' });
    expect(res.body.checks).toContainEqual({ name: 'bus', ok: true });
  });

  it('counts a throwing check as not ready', async () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'db', check: async () => { throw new Error('ECONNREFUSED'); } });
    expect(await registry.run()).toEqual({ ready: false, checks: [{ name: 'db', ok: false, error: 'ECONNREFUSED' }] });
  });

  it('serves Prometheus metrics with request durations by route pattern to distributor staff', async () => {
    await request(t.server()).get('/widgets/w-42').set('Authorization', bearer(tokenFor())).expect(200);
    const res = await request(t.server()).get('/metrics').set('Authorization', distributor).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/widgets\/:id",status="200"\} 1/);
    expect(res.text).not.toContain('w-42');
  });

  describe('/metrics is not public', () => {
    it('answers 401 problem without a token, or with a forged one', async () => {
      for (const header of [undefined, bearer('not.a.jwt'), bearer(tokenFor({ roles: ['distributor-admin'], resellerId: undefined }, { secret: 'other' }))]) {
        const call = request(t.server()).get('/metrics');
        const res = await (header ? call.set('Authorization', header) : call).expect(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.code).toBe('UNAUTHORIZED');
        expect(res.text).not.toContain('process_cpu');
      }
    });

    it('answers 403 to reseller staff', async () => {
      const res = await request(t.server()).get('/metrics').set('Authorization', bearer(tokenFor({ roles: ['admin-agent'] }))).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('lets a scraper in with the METRICS_TOKEN bearer, and no one with a wrong one', async () => {
      process.env.METRICS_TOKEN = 'scrape-secret-0123456789';
      const scraped = await createTestApp([WidgetsController]);
      try {
        const res = await request(scraped.server()).get('/metrics').set('Authorization', bearer('scrape-secret-0123456789')).expect(200);
        expect(res.text).toContain('http_request_duration_seconds');
        await request(scraped.server()).get('/metrics').set('Authorization', bearer('scrape-secret-0123456780')).expect(401);
        await request(scraped.server()).get('/metrics').set('Authorization', distributor).expect(200);
        await request(scraped.server()).get('/health/live').expect(200);
      } finally {
        delete process.env.METRICS_TOKEN;
        await scraped.app.close();
      }
    });
  });
});
