/**
 * Runs `work` for each item of `items`, at most `limit` at a time, taking the next item only when a
 * worker is free (so an item source that reads lazily is read as fast as it is worked, no faster).
 * `index` is the item's place in `items`. After the first failure no further item is started; the
 * ones under way finish (what they write is written whole), then the first error is thrown.
 */
export async function forEachConcurrently<T>(items: AsyncIterable<T>, limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.asyncIterator]();
  let taken = 0;
  let failure: { error: unknown } | undefined;
  let exhausted = false;
  const worker = async () => {
    while (!failure && !exhausted) {
      try {
        // An async generator answers concurrent next() calls one after another, in call order.
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          return;
        }
        await work(next.value, taken++);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failure) {
    await iterator.return?.(undefined);
    throw failure.error;
  }
}
