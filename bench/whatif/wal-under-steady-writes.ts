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

/** The next turn: at once (setImmediate), or by a 10 ms timer when a rate is asked for. */
const nextTurn = () => new Promise((resolve) => (PER_TURN ? setTimeout(resolve, 10) : setImmediate(resolve)));

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
    let turnStarted = Date.now();
    while (Date.now() - started < SECONDS * 1000) {
      const id = `r${written % ROWS}`;
      const n = written;
      await rows.apply(id, { streamId: `s${n}`, revision: 0 }, () => ({ id, text: 'x'.repeat(500), n }));
      written++;
      if (PER_TURN ? written % PER_TURN === 0 : Date.now() - turnStarted > 10) {
        await nextTurn();
        turnStarted = Date.now();
      }
    }
  } finally {
    clearInterval(report);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
