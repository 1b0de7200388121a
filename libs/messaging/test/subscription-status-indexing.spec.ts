import { Logger } from '@nestjs/common';
import { SubscriptionStatus } from '../src';

describe('SubscriptionStatus of a projection making its indexes', () => {
  let now: Date;
  const status = () => new SubscriptionStatus('order-screens', 'projection', undefined, () => now);
  const logged = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  beforeEach(() => {
    now = new Date('2026-12-05T03:00:00.000Z');
    logged.mockClear();
  });
  afterAll(() => logged.mockRestore());

  it('keeps since when the first collection began, and logs indexes that took seconds once made', () => {
    const projection = status();
    projection.indexing('orders');
    now = new Date('2026-12-05T03:00:03.000Z');
    projection.indexing('customers');
    expect(projection.snapshot().indexing).toEqual({ collection: 'customers', since: '2026-12-05T03:00:00.000Z' });
    now = new Date('2026-12-05T03:00:04.500Z');
    projection.indexingEnded(true);
    expect(projection.snapshot().indexing).toBeUndefined();
    expect(projection.lastProgressAt).toEqual(now);
    expect(logged.mock.calls).toEqual([[{ msg: 'indexes made', subscription: 'order-screens', ms: 4500 }]]);
  });

  it('logs neither indexes made at once (every restart checks them) nor indexing that was stopped', () => {
    const quick = status();
    quick.indexing('orders');
    quick.indexingEnded(true);
    const stopped = status();
    stopped.indexing('orders');
    now = new Date('2026-12-05T03:00:09.000Z');
    stopped.indexingEnded(false);
    expect(stopped.snapshot().indexing).toBeUndefined();
    expect(stopped.lastProgressAt).not.toEqual(now);
    expect(logged).not.toHaveBeenCalled();
  });
});
