import { execFileSync } from 'child_process';
import { join } from 'path';

const root = join(__dirname, '..');
const loadedBy = (...modules: string[]): string[] =>
  JSON.parse(execFileSync(process.execPath, [join(__dirname, 'support', 'loaded-drivers.js'), ...modules.map((m) => join(root, m))], { encoding: 'utf8' }));

/**
 * Ports apart from adapters: a domain module, or one that needs only the event-sourcing ports, runs
 * (and is tested) without loading a database driver; the adapters are their own entry points.
 */
describe('what importing a module loads', () => {
  it('the event-sourcing ports (@lp/eventsourcing) and every service domain load no database or broker driver', () => {
    expect(
      loadedBy(
        'libs/eventsourcing/src/index.ts',
        'services/order/src/domain/order.ts',
        'services/order/src/domain/customer.ts',
        'services/provisioning/src/domain/subscription/index.ts',
        'services/contract/src/domain/contract/index.ts',
        'services/contract/src/domain/contract-change/index.ts',
        'services/billing/src/domain/index.ts',
      ),
    ).toEqual([]);
  });

  it('the bus port and what works over any bus (@lp/messaging), and the read-store port with projections (@lp/read-models), load no driver', () => {
    expect(loadedBy('libs/messaging/src/index.ts')).toEqual([]);
    expect(loadedBy('libs/read-models/src/index.ts')).toEqual([]);
  });

  it('the runtime and every service module load no driver either: only the composition roots (embedded, standalone) choose adapters', () => {
    expect(
      loadedBy(
        'libs/runtime/src/index.ts',
        'services/order/src/order.module.ts',
        'services/provisioning/src/provisioning.module.ts',
        'services/contract/src/contract.module.ts',
        'services/billing/src/billing.module.ts',
      ),
    ).toEqual([]);
  });

  it('the adapters are where the drivers are: @lp/eventsourcing/sqlite, /eventstoredb, @lp/messaging/in-process, /kafka, @lp/read-models/sqlite, /mongo', () => {
    expect(loadedBy('libs/messaging/src/in-process/index.ts')).toEqual(['better-sqlite3']);
    expect(loadedBy('libs/messaging/src/kafka/index.ts')).toEqual(['kafkajs']);
    expect(loadedBy('libs/read-models/src/sqlite/index.ts')).toEqual(['better-sqlite3']);
    expect(loadedBy('libs/read-models/src/mongo/index.ts')).toEqual(expect.arrayContaining(['mongoose']));
    expect(loadedBy('libs/eventsourcing/src/sqlite/index.ts')).toEqual(['better-sqlite3']);
    expect(loadedBy('libs/eventsourcing/src/eventstoredb/index.ts')).toEqual(expect.arrayContaining(['@eventstore/db-client']));
  });
});
