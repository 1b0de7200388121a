/**
 * A diagnosis preload, never part of the product: where the server allocates its memory. It samples
 * every allocation, the ones that garbage collection freed included, where `--heap-prof` keeps only
 * what is still alive at the end. Each sample is written with the function that allocated it. It writes
 * ALLOCATION_PROFILE (default /tmp/allocations.heapprofile, DevTools' Memory tab opens it)
 * ALLOCATION_PROFILE_MS after the server started (default 16,000: the 3,000-flow mix is over by then):
 *
 *   BENCH_SERVER_REQUIRE=dist/bench/whatif/allocation-profile.js \
 *   BENCH_SKIP=edge,peers,bulk,console,restart,store,forwarder,distributed,ops,billing,list,screens \
 *   BENCH_FLOWS=3000 BENCH_CPU_TYPE_ORDERS=0 node dist/bench/run.js
 */
import { writeFileSync } from 'fs';
import { Session } from 'inspector';

const file = process.env.ALLOCATION_PROFILE ?? '/tmp/allocations.heapprofile';
const session = new Session();
session.connect();
session.post('HeapProfiler.enable', () =>
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMinorGC: true,
    includeObjectsCollectedByMajorGC: true,
  }),
);
setTimeout(
  () =>
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error) return console.error(`allocation profile: ${error.message}`);
      writeFileSync(file, JSON.stringify(result.profile));
      console.error(`allocation profile written to ${file}`);
    }),
  Number(process.env.ALLOCATION_PROFILE_MS ?? 16_000),
).unref();
