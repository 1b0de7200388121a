import { holdThread } from '@lp/testing';
import { defineProjection, ensureProjectionIndexes, InMemoryReadStore, ReadStore } from '@lp/read-models';

describe('ensureProjectionIndexes (a start, a first fill or a rebuild once caught up)', () => {
  it('makes every declared index, and lets timers and requests run between them rather than after all of them', async () => {
    const made: string[] = [];
    let madeWhenTimerRan: number | undefined;
    // Each one holds the thread 5 ms, as a CREATE INDEX over a filled collection does (far longer).
    const slowIndexes: ReadStore = Object.assign(Object.create(new InMemoryReadStore()) as ReadStore, {
      ensureIndexes: async (collection: string) => void (holdThread(5), made.push(`index ${collection}`)),
      ensureTextIndex: async (collection: string) => void (holdThread(5), made.push(`text ${collection}`)),
      ensureCount: async (collection: string) => void (holdThread(5), made.push(`count ${collection}`)),
    });
    const projection = defineProjection({
      name: 'p',
      collections: ['a', 'b', 'c'],
      indexes: { a: [{ x: 1 }], b: [{ y: 1 }], c: [{ z: 1 }] },
      textIndexes: { a: ['subject'], b: ['subject'] },
      countedFilters: { a: [{}], c: [{}] },
      on: {},
    });
    setTimeout(() => (madeWhenTimerRan = made.length), 0);
    await ensureProjectionIndexes(projection, slowIndexes);
    expect(made).toEqual(['index a', 'index b', 'index c', 'text a', 'text b', 'count a', 'count c']);
    expect(madeWhenTimerRan).toBeLessThan(made.length);
  });
});
