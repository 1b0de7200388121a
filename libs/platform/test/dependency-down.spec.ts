import { Controller, Get, Post } from '@nestjs/common';
import request from 'supertest';
import { StoreUnavailableError } from '@lp/eventsourcing';
import { markViewStale } from '../src';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

let served = 0;

@Controller('down')
class DependencyDownController {
  @Get('sqlite-busy')
  busy() {
    throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  }

  @Get('esdb-unavailable')
  unavailable() {
    throw Object.assign(new Error('14 UNAVAILABLE: No connection established'), { type: 'unavailable' });
  }

  @Get('store')
  store() {
    throw new StoreUnavailableError();
  }

  @Get('read-store')
  readStore() {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoServerSelectionError' });
  }

  @Post('stale')
  stale() {
    served++;
    return markViewStale({ id: `thing-${served}` });
  }

  @Post('fresh')
  fresh() {
    return { id: 'fresh' };
  }
}

describe('when a dependency is down', () => {
  let t: TestApp;
  const auth = bearer(tokenFor());
  beforeAll(async () => {
    t = await createTestApp([DependencyDownController]);
  });
  afterAll(() => t.app.close());

  it.each(['sqlite-busy', 'esdb-unavailable', 'store'])('an unavailable event store (%s) answers 503 STORE_UNAVAILABLE with Retry-After', async (path) => {
    const res = await request(t.server()).get(`/down/${path}`).set('Authorization', auth).expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE', type: 'https://licence-platform.dev/problems/store-unavailable' });
  });

  it('a read store that is down (MongoDB unreachable) answers 503 DEPENDENCY_UNAVAILABLE with Retry-After, not 500', async () => {
    const res = await request(t.server()).get('/down/read-store').set('Authorization', auth).expect(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(JSON.stringify(res.body)).not.toContain('27017');
  });

  it('an answer built from the write side says so with X-View-Stale, also when replayed for the same Idempotency-Key', async () => {
    const first = await request(t.server()).post('/down/stale').set('Authorization', auth).set('Idempotency-Key', 'k-stale').send({}).expect(201);
    expect(first.headers['x-view-stale']).toBe('true');
    expect(first.body).toEqual({ id: 'thing-1' });
    const again = await request(t.server()).post('/down/stale').set('Authorization', auth).set('Idempotency-Key', 'k-stale').send({}).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['x-view-stale']).toBe('true');
    expect(again.body).toEqual({ id: 'thing-1' });
    expect(served).toBe(1);
  });

  it('a normal answer has no X-View-Stale', async () => {
    const res = await request(t.server()).post('/down/fresh').set('Authorization', auth).send({}).expect(201);
    expect(res.headers['x-view-stale']).toBeUndefined();
  });
});
