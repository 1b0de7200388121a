import { InMemoryReadStore } from '../src/in-memory/in-memory-read-store';
import { ReadDocument } from '../src/read-store';
import { readStoreContract } from './read-store.contract';

readStoreContract('InMemoryReadStore', async () => ({ store: new InMemoryReadStore() }));

describe('InMemoryReadStore at scale', () => {
  it('gets by id and pages a 100k-document collection quickly', async () => {
    const store = new InMemoryReadStore();
    const rows = store.collection<ReadDocument & { n: number; day: string }>('big');
    for (let i = 0; i < 100_000; i++) {
      await rows.apply(`r${i}`, { streamId: `row-${i}`, revision: 0 }, () => ({ id: `r${i}`, n: i % 10, day: `2026-05-${String((i % 28) + 1).padStart(2, '0')}` }));
    }

    const started = Date.now();
    for (let i = 0; i < 10_000; i++) expect((await rows.get(`r${i * 7}`))?.id).toBe(`r${i * 7}`);
    const page = await rows.find({ filter: { n: 3, day: { $gte: '2026-05-10' } }, sort: { day: -1 }, skip: 20, limit: 10 });
    expect(page.items).toHaveLength(10);
    expect(page.items.every((row) => row.n === 3 && row.day >= '2026-05-10')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
