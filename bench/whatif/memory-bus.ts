/**
 * A what-if for diagnosis only, never part of the product (a crash loses the log): the upper bound of
 * an in-process bus without a durable log of its own. The embedded server's InProcessEventBus keeps
 * its topics in an in-memory SQLite database instead of `bus.sqlite`, so publishes and consumer reads
 * write and read no file. Preloaded into the server child:
 *
 *   BENCH_SERVER_REQUIRE=dist/bench/whatif/memory-bus.js \
 *   BENCH_SKIP=edge,peers,bulk,console,restart,store,forwarder,distributed,ops,billing,list,screens \
 *   BENCH_FLOWS=3000 BENCH_CPU_TYPE_ORDERS=0 node dist/bench/run.js
 *
 * Alternate it with the same command without the preload (A B B A): the difference is a few per cent.
 */
import type { InProcessEventBusOptions } from '../../libs/messaging/src/in-process/in-process-event-bus';

// The built module's exports are getters that cannot be replaced: the embedded app is handed a copy
// of the module's exports (its require cache entry) in which the bus is the one below.
const modulePath = require.resolve('../../libs/messaging/src/in-process');
const real = require(modulePath) as typeof import('../../libs/messaging/src/in-process');

class MemoryBus extends real.InProcessEventBus {
  constructor(options: InProcessEventBusOptions) {
    // NORMAL: there is no WAL file for the durable setting's flush to sync.
    super({ ...options, filename: ':memory:', synchronous: 'NORMAL' });
  }
}

require.cache[modulePath]!.exports = { ...real, InProcessEventBus: MemoryBus };
