import { forEachConcurrently } from '../../src/application/bounded-concurrency';

async function* numbers(count: number, read: number[] = []): AsyncGenerator<number> {
  for (let n = 0; n < count; n++) {
    read.push(n);
    yield n;
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachConcurrently', () => {
  it('works at most `limit` items at once, each once, with its place in the source', async () => {
    let running = 0;
    let most = 0;
    const seen: [number, number][] = [];
    await forEachConcurrently(numbers(50), 4, async (item, index) => {
      running++;
      most = Math.max(most, running);
      await tick();
      seen.push([item, index]);
      running--;
    });
    expect(most).toBe(4);
    expect(seen.sort((a, b) => a[0] - b[0])).toEqual(Array.from({ length: 50 }, (_, n) => [n, n]));
  });

  it('after a failure starts nothing more, lets the items under way finish, then throws the first error', async () => {
    const read: number[] = [];
    const finished: number[] = [];
    const failing = forEachConcurrently(numbers(100, read), 3, async (item) => {
      if (item === 4) throw new Error('item 4 failed');
      await tick();
      await tick();
      finished.push(item);
    });
    await expect(failing).rejects.toThrow('item 4 failed');
    // Three at a time: the source was read only as far as the items started before 4 failed.
    expect(Math.max(...read)).toBeLessThan(10);
    expect(finished).toEqual(expect.arrayContaining([0, 1, 2, 3]));
    expect(finished).not.toContain(4);
    // Nothing is still running after the rejection.
    const count = finished.length;
    await tick();
    await tick();
    await tick();
    expect(finished).toHaveLength(count);
  });
});
