/**
 * `npm run -s build && node dist/bench/read-bench.js` — what reading the SQLite event store costs, the
 * part of a rebuild and of every command that no projection changes: BENCH_READ_EVENTS order events
 * (100,000; the ops bench's ~600 bytes each, 10 per stream) appended once, then read BENCH_READ_RUNS
 * times (3) as a subscription reads them (pages of 500, filtered by four type prefixes), and each
 * 10-event stream read once as a command loads it. Prints one JSON line: µs per event of each read
 * run, µs per stream read.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { newId, StreamAppend } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { FORWARDED_TYPES } from './forwarder-bench';
import { benchEvent } from './lib/bench-event';

const EVENTS = Number(process.env.BENCH_READ_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_READ_RUNS ?? 3);
const EVENTS_PER_STREAM = 10;
const PAGE = 500;

const microseconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-read-bench-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  try {
    const streams = EVENTS / EVENTS_PER_STREAM;
    for (let start = 0; start < EVENTS; start += 1_000) {
      const appends: StreamAppend[] = [];
      for (let n = start; n < Math.min(start + 1_000, EVENTS); n++) {
        const type = FORWARDED_TYPES[n % FORWARDED_TYPES.length];
        appends.push({ streamId: `order-${n % streams}`, expectedRevision: 'any' as const, events: [benchEvent(type, `order-${n % streams}`, n, newId())] });
      }
      await store.appendAtomically(() => appends);
    }
    const allPerEventUs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = process.hrtime.bigint();
      for (let position = 0; position < EVENTS; position += PAGE) {
        await store.readAll({ fromPosition: position, maxCount: PAGE, filter: { eventTypePrefixes: FORWARDED_TYPES } });
      }
      allPerEventUs.push(Math.round((microseconds(started) / EVENTS) * 100) / 100);
    }
    const started = process.hrtime.bigint();
    for (let stream = 0; stream < streams; stream++) await store.readStream(`order-${stream}`);
    const perStreamUs = Math.round((microseconds(started) / streams) * 10) / 10;
    console.log(JSON.stringify({ events: EVENTS, readAllPerEventUs: allPerEventUs, readStreamOf10Us: perStreamUs }));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
