/**
 * A what-if for diagnosis only, never part of the product: the upper bound of what moving the
 * services that react to a placed order (provisioning, then contract and billing) off the server's
 * main thread could buy the HTTP mix. Preloaded into the server child:
 *
 *   BENCH_SERVER_REQUIRE=dist/bench/whatif/no-downstream.js \
 *   BENCH_SKIP=peers,edge,bulk,console,restart,store,forwarder,distributed,ops,billing,list,screens \
 *   BENCH_FLOWS=3000 BENCH_CPU_TYPE_ORDERS=0 npm run bench
 *
 * Provisioning's process managers on `order.events` are never started, so a placed order asks no
 * subscription of the vendor and nothing follows it (no provisioning events, contracts or billing
 * lines). The projections of other services' events (names with "known") still run: the bench's
 * set-up needs provisioning to know its customers. Everything the order service does for a command
 * (its store, projections, forwarder and the bus log) is unchanged.
 */
import { BusConsumer } from '../../libs/messaging/src/subscriptions/bus-consumer';

const start = BusConsumer.prototype.start;
BusConsumer.prototype.start = async function startUnlessDownstream(this: BusConsumer): Promise<void> {
  const { name, topics } = this.options;
  if (name.startsWith('provisioning') && !/known/i.test(name) && topics.includes('order.events')) return;
  return start.call(this);
};
