import { Body, Controller, Delete, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import request from 'supertest';
import { ruleViolation } from '@lp/eventsourcing';
import { TextField } from '../src';
import { Roles } from '../src/auth/decorators';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

const calls: Record<string, number> = {};
const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
let gate: Promise<void> = Promise.resolve();
let openGate: () => void = () => undefined;

class ValidatedBody {
  @TextField({ maxLength: 20 }) customerId!: string;
}

@Controller('orders')
class OrdersController {
  @Post('validated')
  validated(@Body() body: ValidatedBody) {
    return { customerId: body.customerId, created: count('validated') };
  }

  @Post()
  create(@Body() body: { customerId: string }, @Res({ passthrough: true }) res: { header(n: string, v: string): void }) {
    const n = count('create');
    res.header('Location', `/orders/o-${n}`);
    return { id: `o-${n}`, customerId: body.customerId };
  }

  @Post(':id/accept')
  @HttpCode(200)
  accept(@Param('id') id: string) {
    return { id, accepted: count('accept') };
  }

  @Post('slow')
  async slow() {
    count('slow');
    await gate;
    return { done: true };
  }

  @Post('refused')
  refused() {
    count('refused');
    throw ruleViolation('DATE_IN_FUTURE', 'acceptedOn is in the future');
  }

  @Post('approve')
  @Roles('admin-agent')
  approve() {
    return { approved: count('approve') };
  }

  @Post('streamed')
  @HttpCode(202)
  streamed(@Res() reply: { hijack(): void; raw: { writeHead(status: number): void; end(body: string): void } }) {
    count('streamed');
    reply.hijack();
    reply.raw.writeHead(202);
    reply.raw.end('written by the handler itself');
  }

  @Post('crash')
  crash() {
    if (count('crash') === 1) throw new Error('database down');
    return { recovered: true };
  }

  @Delete(':id')
  @HttpCode(204)
  @Header('X-Ignored', 'yes')
  remove() {
    count('remove');
  }
}

describe('idempotency', () => {
  let t: TestApp;
  const auth = bearer(tokenFor());
  const post = (path: string, key: string | undefined, body: object = {}, authorization = auth) => {
    const req = request(t.server()).post(path).set('Authorization', authorization);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  beforeAll(async () => {
    t = await createTestApp([OrdersController]);
  });
  afterAll(() => t.app.close());
  beforeEach(() => {
    for (const key of Object.keys(calls)) delete calls[key];
  });
  // A failing concurrency test must not leave a request hanging (app.close() would wait for it).
  afterEach(() => openGate());

  it('replays the first answer for a repeat and runs the handler once', async () => {
    const first = await post('/orders', 'k-create', { customerId: 'c-1' }).expect(201);
    const second = await post('/orders', 'k-create', { customerId: 'c-1' }).expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.headers.location).toBe(first.headers.location);
    expect(calls.create).toBe(1);
  });

  it('treats a body with keys in another order as the same request', async () => {
    await post('/orders', 'k-order', { customerId: 'c-1', note: { a: 1, b: 2 } }).expect(201);
    await post('/orders', 'k-order', { note: { b: 2, a: 1 }, customerId: 'c-1' }).expect(201);
    expect(calls.create).toBe(1);
  });

  it('replays the status set by @HttpCode', async () => {
    await post('/orders/o-1/accept', 'k-accept').expect(200);
    const again = await post('/orders/o-1/accept', 'k-accept').expect(200);
    expect(again.body).toEqual({ id: 'o-1', accepted: 1 });
    expect(calls.accept).toBe(1);
  });

  it('replays a 204 DELETE', async () => {
    const del = () => request(t.server()).delete('/orders/o-9').set('Authorization', auth).set('Idempotency-Key', 'k-del');
    await del().expect(204);
    const again = await del().expect(204);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(calls.remove).toBe(1);
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await post('/orders', 'k-reuse', { customerId: 'c-1' }).expect(201);
    const res = await post('/orders', 'k-reuse', { customerId: 'c-2' }).expect(422);
    expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
    expect(calls.create).toBe(1);
  });

  it('takes the query for part of the request: another query with the same key is refused, the same one in another order replayed', async () => {
    await post('/orders/o-1/accept?wait=false&notify=yes', 'k-query').expect(200);
    await post('/orders/o-1/accept?notify=yes&wait=false', 'k-query').expect(200);
    const other = await post('/orders/o-1/accept?wait=true&notify=yes', 'k-query').expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(calls.accept).toBe(1);
  });

  it('runs without a key every time', async () => {
    await post('/orders', undefined, { customerId: 'c-1' }).expect(201);
    await post('/orders', undefined, { customerId: 'c-1' }).expect(201);
    expect(calls.create).toBe(2);
  });

  it('scopes keys by user and by resource', async () => {
    await post('/orders', 'k-scope', { customerId: 'c-1' }).expect(201);
    const other = bearer(tokenFor({ sub: 'u-2', resellerId: 'r-indirect' }));
    const res = await post('/orders', 'k-scope', { customerId: 'c-1' }, other).expect(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    await post('/orders/o-1/accept', 'k-scope-2').expect(200);
    await post('/orders/o-2/accept', 'k-scope-2').expect(200);
    expect(calls.create).toBe(2);
    expect(calls.accept).toBe(2);
  });

  it('replays a 4xx problem as it was first served', async () => {
    const first = await post('/orders/refused', 'k-refused').expect(422);
    const again = await post('/orders/refused', 'k-refused').expect(422);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toEqual(first.body);
    expect(again.body.code).toBe('DATE_IN_FUTURE');
    expect(calls.refused).toBe(1);
  });

  it('frees the key after a 400, which ran nothing: the corrected body runs under the same key, and is replayed from then on', async () => {
    const refused = await post('/orders/validated', 'k-invalid', { customerId: '' }).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    await post('/orders/validated', 'k-invalid', { customerId: 'c-1' }).expect(201, { customerId: 'c-1', created: 1 });
    const again = await post('/orders/validated', 'k-invalid', { customerId: 'c-1' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(calls.validated).toBe(1);
  });

  it('releases the key after a 5xx so that a retry runs again', async () => {
    await post('/orders/crash', 'k-crash').expect(500);
    await post('/orders/crash', 'k-crash').expect(201, { recovered: true });
    await post('/orders/crash', 'k-crash').expect(201, { recovered: true });
    expect(calls.crash).toBe(2);
  });

  it('lets a concurrent duplicate wait for the first and answers it with the same response', async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    const first = post('/orders/slow', 'k-slow').then((res) => res);
    // Wait until the first request is inside the handler, i.e. holds the key.
    while (!calls.slow) await new Promise((resolve) => setTimeout(resolve, 5));
    const duplicate = post('/orders/slow', 'k-slow').then((res) => res);
    openGate();
    const [a, b] = await Promise.all([first, duplicate]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual({ done: true });
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(calls.slow).toBe(1);
  });

  it('records the answer of a request whose client gave up, so that its retry gets it', async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    const abandoned = post('/orders/slow', 'k-abandoned').timeout(50);
    await expect(abandoned).rejects.toThrow(/timeout/i);
    expect(calls.slow).toBe(1);
    openGate();
    const retry = await post('/orders/slow', 'k-abandoned').expect(201, { done: true });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(calls.slow).toBe(1);
  });

  it('records an answer the handler wrote to the response itself, by its status', async () => {
    await post('/orders/streamed', 'k-streamed').expect(202);
    const again = await post('/orders/streamed', 'k-streamed').expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(calls.streamed).toBe(1);
  });

  it('answers ten simultaneous requests with one key with the same 201 and body, running the handler once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => post('/orders', 'k-race', { customerId: 'c-1' })));
    expect(calls.create).toBe(1);
    expect(results.map((res) => res.status)).toEqual(Array(10).fill(201));
    for (const res of results) expect(res.body).toEqual({ id: 'o-1', customerId: 'c-1' });
    expect(results.filter((res) => res.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
  });

  it('records the key in one event stream with started and completed events', async () => {
    const before = new Set(t.store.streamIds());
    await post('/orders', 'k-stream', { customerId: 'c-1' }).expect(201);
    const created = t.store.streamIds().filter((id) => !before.has(id));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^idempotency-[0-9a-f]{64}$/);
    const events = await t.store.readStream(created[0]);
    expect(events.map((e) => e.type)).toEqual(['IdempotentRequestStarted', 'IdempotentRequestCompleted']);
    expect(events[1].data).toMatchObject({ status: 201, body: { customerId: 'c-1' }, headers: { Location: expect.any(String) } });
    expect(events[0].actor).toMatchObject({ id: 'u-1', resellerId: 'r-direct' });
  });

  it('records nothing for a caller refused by its roles: with the role, the same key runs the handler', async () => {
    const before = t.store.streamIds().length;
    await post('/orders/approve', 'k-role', {}, bearer(tokenFor({ roles: ['sales-agent'] }))).expect(403);
    expect(t.store.streamIds()).toHaveLength(before);
    const res = await post('/orders/approve', 'k-role', {}, bearer(tokenFor({ roles: ['admin-agent'] }))).expect(201, { approved: 1 });
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('refuses an unusable key with 400', async () => {
    const res = await post('/orders', 'x'.repeat(300), { customerId: 'c-1' }).expect(400);
    expect(res.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
  });
});
