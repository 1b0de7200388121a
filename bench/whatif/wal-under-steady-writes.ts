/**
 * For diagnosis only, never part of the product: how big a SqliteReadStore's WAL grows while writes
 * never stop, as in a catch-up. It rewrites 200,000 rows of ~500 bytes through ReadCollection.apply,
 * the store opened as embedded-app.ts opens it (NORMAL, commitDelayMs 10), for WAL_WRITE_SECONDS (30),
 * and prints the file's and the WAL's size every 2 s. It hands the event loop over every ~10 ms, as
 * the subscriptions do, or, with WAL_WRITES_PER_TURN=50, writes 50 rows per 10 ms timer (~4,500/s):
 *
 *   npm run -s build && node dist/bench/whatif/wal-under-steady-writes.js
 */
import { mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EventLoopShare } from '@lp/eventsourcing';
import { SqliteReadStore } from '@lp/read-models/sqlite';

const SECONDS = Number(process.env.WAL_WRITE_SECONDS ?? 30);
const PER_TURN = process.env.WAL_WRITES_PER_TURN ? Number(process.env.WAL_WRITES_PER_TURN) : undefined;
const ROWS = 200_000;

const sizeMb = (file: string) => {
  try {
    return Math.round(statSync(file).size / 1e6);
  } catch {
    return 0;
  }
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-wal-steady-'));
  const filename = join(dir, 'order.read-models.sqlite');
  const store = SqliteReadStore.open({ filename, synchronous: 'NORMAL', commitDelayMs: 10 });
  const rows = store.collection<{ id: string; text: string; n: number }>('rows');
  const started = Date.now();
  let written = 0;
  const report = setInterval(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`${seconds} s: ${written} writes, file ${sizeMb(filename)} MB, WAL ${sizeMb(`${filename}-wal`)} MB`);
  }, 2000);
  try {
    const share = new EventLoopShare();
    while (Date.now() - started < SECONDS * 1000) {
      const id = `r${written % ROWS}`;
      const n = written;
      await rows.apply(id, { streamId: `s${n}`, revision: 0 }, () => ({ id, text: 'x'.repeat(500), n }));
      written++;
      // A rate asked for: PER_TURN writes per 10 ms timer; else the loop handed over as a subscription does.
      if (!PER_TURN) await share.handOverIfDue();
      else if (written % PER_TURN === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    clearInterval(report);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
