/**
 * A what-if for diagnosis only, never part of the product: what a read-model row's write would cost
 * if each indexed field had a column of its own, set only when it changes (what the SQLite read store
 * has done since, key-columns.ts), instead of the expression indexes (`json_extract(doc, '$.field')`)
 * it made before; and with SQLite's generated columns over the document, which are computed again at
 * every write as the expressions are. Raw better-sqlite3 on a scratch file, with the subscriptions
 * screen's six declared indexes (its row is the mix's costliest write):
 *
 *   npm run -s build && node dist/bench/whatif/key-columns.js
 *
 * Fills KEY_COLUMNS_ROWS rows (50,000) each way, then times 20,000 writes of each kind: a change of
 * no indexed field, a status change, a new row. Prints µs per write, ROUNDS (2) times each way.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { subscriptionsProjection } from '../../services/provisioning/src/projections/subscriptions.projection';
import { COLLECTIONS } from '../../services/provisioning/src/projections/views';

const ROWS = Number(process.env.KEY_COLUMNS_ROWS ?? 50_000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const WRITES = 20_000;
const DECLARED = subscriptionsProjection.indexes![COLLECTIONS.subscriptions];
const FIELDS = [...new Set(DECLARED.flatMap((index) => Object.keys(index)))].filter((field) => field !== 'id');

type Way = 'expression indexes' | 'generated columns (virtual)' | 'key columns set when changed';
type Write = 'unchanged keys' | 'status changed' | 'new row';

const column = (field: string) => `"k_${field}"`;

function row(id: string, n: number): Record<string, unknown> {
  return {
    id, resellerId: `r-${n % 50}`, customerId: `c-${randomUUID()}`, orderId: `o-${randomUUID()}`, orderLineId: randomUUID(),
    sku: 'MS-O365-E1', productName: 'Office 365 E1', vendor: 'microsoft', channel: 'csp', provisioning: 'auto',
    status: 'REQUESTED', statusLabel: '申込中', quantity: 3, createdAt: new Date(1e12 + n * 1000).toISOString(),
    vendorSubscriptionId: null, tenantId: `t-${randomUUID()}`,
  };
}

function table(db: Database.Database, way: Way): (id: string, doc: Record<string, unknown>, write: Write) => void {
  const keyed = way === 'key columns set when changed';
  const generated = way === 'generated columns (virtual)';
  const columns = keyed || generated ? FIELDS.map((f) => `, ${column(f)}${generated ? ` GENERATED ALWAYS AS (json_extract(doc, '$.${f}')) VIRTUAL` : ''}`).join('') : '';
  db.exec(`CREATE TABLE docs (id TEXT PRIMARY KEY, doc BLOB NOT NULL, versions TEXT NOT NULL${columns})`);
  DECLARED.forEach((index, i) => {
    const terms = Object.entries(index).map(([field, direction]) => {
      const term = field === 'id' ? 'id' : keyed || generated ? column(field) : `json_extract(doc, '$.${field}')`;
      return `${term}${direction === -1 ? ' DESC' : ''}`;
    });
    db.exec(`CREATE INDEX i${i} ON docs (${[...terms, ...(index.id === undefined ? ['id'] : [])].join(', ')})`);
  });
  if (!keyed) {
    const upsert = db.prepare('INSERT INTO docs (id, doc, versions) VALUES (?, jsonb(?), ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, versions = excluded.versions');
    return (id, doc) => upsert.run(id, JSON.stringify(doc), '{}');
  }
  const insert = db.prepare(`INSERT INTO docs (id, doc, versions${FIELDS.map((f) => `, ${column(f)}`).join('')}) VALUES (?, jsonb(?), ?${FIELDS.map(() => ', ?').join('')})`);
  const update = db.prepare('UPDATE docs SET doc = jsonb(?), versions = ? WHERE id = ?');
  const updateStatus = db.prepare(`UPDATE docs SET doc = jsonb(?), versions = ?, ${column('status')} = ? WHERE id = ?`);
  return (id, doc, write) => {
    if (write === 'new row') insert.run(id, JSON.stringify(doc), '{}', ...FIELDS.map((f) => doc[f] as string | null));
    else if (write === 'status changed') updateStatus.run(JSON.stringify(doc), '{}', doc.status as string, id);
    else update.run(JSON.stringify(doc), '{}', id);
  };
}

function measure(way: Way): Record<Write, number> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-key-columns-'));
  const db = new Database(join(dir, 'read.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const write = table(db, way);
    const filled = Array.from({ length: ROWS }, (_, n) => row(randomUUID(), n));
    db.transaction(() => filled.forEach((doc) => write(doc.id as string, doc, 'new row')))();
    const timed = (kind: Write, docs: [string, Record<string, unknown>][]) => {
      const started = performance.now();
      db.transaction(() => docs.forEach(([id, doc]) => write(id, doc, kind)))();
      return ((performance.now() - started) * 1000) / docs.length;
    };
    // Changes of rows already there, their other indexed fields as written.
    const some = (from: number, change: Record<string, unknown>) =>
      filled.slice(from, from + WRITES).map((doc): [string, Record<string, unknown>] => [doc.id as string, { ...doc, ...change }]);
    return {
      'unchanged keys': timed('unchanged keys', some(0, { quantity: 5 })),
      'status changed': timed('status changed', some(WRITES, { status: 'ACTIVE', statusLabel: '利用中' })),
      'new row': timed('new row', Array.from({ length: WRITES }, (_, n) => { const id = randomUUID(); return [id, row(id, ROWS + n)]; })),
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let round = 1; round <= ROUNDS; round++) {
  for (const way of ['expression indexes', 'generated columns (virtual)', 'key columns set when changed'] as const) {
    const us = measure(way);
    console.log(`${way.padEnd(30)} µs per write: ${Object.entries(us).map(([kind, value]) => `${kind} ${value.toFixed(1)}`).join(', ')}`);
  }
}
