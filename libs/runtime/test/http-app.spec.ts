import { EventStore } from '@lp/eventsourcing';
import { createHttpApp } from '../src';

describe('createHttpApp', () => {
  afterEach(() => delete process.env.JWT_MAX_LIFETIME);

  it('refuses to start with a JWT_MAX_LIFETIME that is not a lifetime, saying so (before Nest could abort the process)', async () => {
    process.env.JWT_MAX_LIFETIME = 'a fortnight';
    await expect(createHttpApp({ serviceName: 't', title: 't', runtimes: [], modules: [], idempotencyStore: {} as EventStore, logger: false })).rejects.toThrow(
      'JWT_MAX_LIFETIME: invalid value "a fortnight" (e.g. 24h, 90m, 3600)',
    );
  });
});
