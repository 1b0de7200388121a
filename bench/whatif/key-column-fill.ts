/**
 * A what-if for diagnosis only, never part of the product: what the first start after the upgrade to
 * key columns (libs/read-models/src/sqlite/key-columns.ts) costs on a filled orders table, and what an
 * index costs on key columns against one on the document's expressions. Raw better-sqlite3 on a
 * scratch file, KEY_COLUMN_FILL_ROWS (200,000) order-shaped rows, the all-resellers list index of
 * 注文一覧 (seven keys):
 *
 *   npm run -s build && node dist/bench/whatif/key-column-fill.js
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROWS = Number(process.env.KEY_COLUMN_FILL_ROWS ?? 200_000);
const KEYS = ['resellerId', 'orderDate', 'createdAt', 'status', 'orderNumber', 'subject', 'customerId'];
const INDEX: [string, 'ASC' | 'DESC'][] = [['resellerId', 'ASC'], ['orderDate', 'DESC'], ['createdAt', 'DESC'], ['id', 'ASC'], ['status', 'ASC'], ['orderNumber', 'ASC'], ['subject', 'ASC']];

function order(i: number): Record<string, unknown> {
  const id = `o${String(i).padStart(8, '0')}`;
  return {
    id, resellerId: `r${i % 20}`, customerId: `c${i % 5000}`, orderDate: `2026-05-${String(1 + (i % 28)).padStart(2, '0')}`,
    createdAt: new Date(1e12 + i * 1000).toISOString(), status: ['DRAFT', 'PLACED', 'ACCEPTED'][i % 3], orderNumber: `ORD-${i}`,
    subject: `Azure subscription for customer ${i}`, companyName: `株式会社テスト${i}`,
    lines: Array.from({ length: 3 }, (_, j) => ({ sku: `MS-${j}`, productName: `Microsoft 365 E${j}`, quantity: j + 1, unitPrice: 1200 })),
  };
}

const timed = (work: () => void) => {
  const started = performance.now();
  work();
  return Math.round(performance.now() - started);
};

const dir = mkdtempSync(join(tmpdir(), 'lp-key-column-fill-'));
const db = new Database(join(dir, 'read.sqlite'));
try {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -131072');
  db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, doc BLOB NOT NULL, versions TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO docs (id, doc, versions) VALUES (?, jsonb(?), ?)');
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) insert.run(`o${String(i).padStart(8, '0')}`, JSON.stringify(order(i)), '{"order-x":3}');
  })();
  const column = (key: string) => (key === 'id' ? 'id' : `"key:${key}"`);
  const expression = (key: string) => (key === 'id' ? 'id' : `json_extract(doc, '$.${key}')`);
  const fill = timed(() =>
    db.transaction(() => {
      for (const key of KEYS) db.exec(`ALTER TABLE docs ADD COLUMN ${column(key)}`);
      db.exec(`UPDATE docs SET ${KEYS.map((key) => `${column(key)} = ${expression(key)}`).join(', ')}`);
    })(),
  );
  const onColumns = timed(() => db.exec(`CREATE INDEX on_columns ON docs (${INDEX.map(([key, order]) => `${column(key)} ${order}`).join(', ')})`));
  const onExpressions = timed(() => db.exec(`CREATE INDEX on_expressions ON docs (${INDEX.map(([key, order]) => `${expression(key)} ${order}`).join(', ')})`));
  console.log(`${ROWS} rows: key columns filled in ${fill} ms; the index made on key columns ${onColumns} ms, on expressions ${onExpressions} ms`);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
