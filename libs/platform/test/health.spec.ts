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

  it('serves Prometheus metrics with request durations by route pattern', async () => {
    await request(t.server()).get('/widgets/w-42').set('Authorization', bearer(tokenFor())).expect(200);
    const res = await request(t.server()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/widgets\/:id",status="200"\} 1/);
    expect(res.text).not.toContain('w-42');
  });
});
