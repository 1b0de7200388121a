import { Body, Controller, Inject, Post } from '@nestjs/common';
import request from 'supertest';
import { CommandContext, EventStore, withMetadata } from '@lp/eventsourcing';
import { CommandCtx, IDEMPOTENCY_EVENT_STORE, IDEMPOTENCY_OPTIONS } from '../src';
import { LedgerOptions } from '../src/idempotency/idempotency-ledger';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

const LEASE_MS = 10_000;
const clock = { now: Date.parse('2025-06-01T09:00:00Z') };
let attempts = 0;
/** Where the first attempt of each test "dies": it never gets past this until the test is over. */
let openDying: () => void = () => undefined;
let dying: Promise<void> = Promise.resolve();

@Controller('customers')
class CustomersController {
  constructor(@Inject(IDEMPOTENCY_EVENT_STORE) private readonly store: EventStore) {}

  @Post()
  async register(@Body() body: { name: string; dieAfterCommit?: boolean }, @CommandCtx() context: CommandContext) {
    const attempt = ++attempts;
    const id = `c-${attempt}`;
    if (attempt === 1 && !body.dieAfterCommit) await dying;
    const registered = withMetadata([{ type: 'CustomerRegistered', data: { id, name: body.name } }], context);
    await this.store.appendToStream(`customer-${id}`, registered, { expectedRevision: 'no_stream' });
    if (attempt === 1) await dying;
    return { id, name: body.name };
  }
}

/**
 * The interceptor with a request that dies while holding its key (its process would be killed; here
 * it just never answers), on a fake lease clock: the retry after the lease gets the committed
 * customer, or runs once if nothing was committed.
 */
describe('idempotency: a key whose request died', () => {
  let t: TestApp;
  const auth = bearer(tokenFor());
  const register = (key: string, body: object) =>
    request(t.server()).post('/customers').set('Authorization', auth).set('Idempotency-Key', key).send(body);
  const customerStreams = () => t.store.streamIds().filter((id) => id.startsWith('customer-'));
  const untilFirstAttemptIsIn = async (streams: number) => {
    while (attempts < 1 || customerStreams().length < streams) await new Promise((resolve) => setImmediate(resolve));
  };

  beforeAll(async () => {
    const options: Partial<LedgerOptions> = {
      leaseMs: LEASE_MS,
      waitMs: 15_000,
      now: () => new Date(clock.now),
      sleep: async (ms) => {
        clock.now += ms;
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
    t = await createTestApp([CustomersController], { providers: [{ provide: IDEMPOTENCY_OPTIONS, useValue: options }] });
  });
  beforeEach(() => {
    attempts = 0;
    dying = new Promise((resolve) => (openDying = resolve));
  });
  afterEach(() => openDying());
  afterAll(() => t.app.close());

  it('answers the retry after the lease with the customer the dead request committed, not a second one', async () => {
    const dead = register('k-after-commit', { name: 'ACME', dieAfterCommit: true }).then((res) => res);
    await untilFirstAttemptIsIn(1);
    clock.now += LEASE_MS;

    const retry = await register('k-after-commit', { name: 'ACME', dieAfterCommit: true }).expect(201);
    const again = await register('k-after-commit', { name: 'ACME', dieAfterCommit: true }).expect(201);

    expect(retry.body).toEqual({ id: 'c-1' });
    expect(retry.headers['idempotent-recovered']).toBe('true');
    expect(again.body).toEqual({ id: 'c-1' });
    expect(attempts).toBe(1);
    expect(customerStreams()).toEqual(['customer-c-1']);
    openDying();
    await dead;
  });

  it('runs the retry after the lease once when the dead request committed nothing', async () => {
    const before = customerStreams().length;
    const dead = register('k-before-commit', { name: 'Globex' }).then((res) => res);
    await untilFirstAttemptIsIn(before);
    clock.now += LEASE_MS;

    const retry = await register('k-before-commit', { name: 'Globex' }).expect(201);
    const again = await register('k-before-commit', { name: 'Globex' }).expect(201);

    expect(retry.body).toEqual({ id: 'c-2', name: 'Globex' });
    expect(retry.headers['idempotent-recovered']).toBeUndefined();
    expect(again.body).toEqual(retry.body);
    expect(attempts).toBe(2);
    expect(customerStreams()).toHaveLength(before + 1);
    openDying();
    await dead;
  });
});
