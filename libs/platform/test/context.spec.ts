import { Controller, Post } from '@nestjs/common';
import request from 'supertest';
import { CommandContext } from '@lp/eventsourcing';
import { CommandCtx, FixedClock } from '../src';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

@Controller('commands')
class CommandsController {
  @Post()
  run(@CommandCtx() ctx: CommandContext) {
    return ctx;
  }
}

describe('request context', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date('2026-05-14T15:00:00Z'));
  beforeAll(async () => {
    t = await createTestApp([CommandsController], { clock });
  });
  afterAll(() => t.app.close());

  it('builds the CommandContext from the user, the correlation id and the request id', async () => {
    const token = tokenFor({ sub: 'u-9', name: '佐藤', roles: ['sales-agent'], resellerId: 'r-indirect' });
    const res = await request(t.server())
      .post('/commands')
      .set('Authorization', bearer(token))
      .set('X-Correlation-Id', 'corr-123')
      .expect(201);
    expect(res.headers['x-correlation-id']).toBe('corr-123');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({
      actor: { id: 'u-9', name: '佐藤', resellerId: 'r-indirect', roles: ['sales-agent'] },
      correlationId: 'corr-123',
      causationId: res.headers['x-request-id'],
      now: '2026-05-14T15:00:00.000Z',
    });
  });

  it('generates a correlation id when none (or an unusable one) is sent', async () => {
    const res = await request(t.server())
      .post('/commands')
      .set('Authorization', bearer(tokenFor()))
      .set('X-Correlation-Id', 'has spaces\tand tabs')
      .expect(201);
    expect(res.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-correlation-id']).toBe(res.body.correlationId);
    expect(res.body.correlationId).not.toBe(res.body.causationId);
  });

  it('echoes the ids on errors too', async () => {
    const res = await request(t.server()).post('/commands').set('X-Correlation-Id', 'c-401').expect(401);
    expect(res.headers['x-correlation-id']).toBe('c-401');
  });
});
