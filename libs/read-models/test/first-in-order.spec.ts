import { firstInOrder } from '../src/in-memory/first-in-order';

type Row = { key: number; id: number };
/** A deterministic shuffle with ties, so equal keys and every position are exercised. */
function shuffled(n: number, seed = 7): Row[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: n }, (_, id) => ({ key: next() % Math.max(1, Math.floor(n / 3)), id }));
}
const ascending = (n: number): Row[] => Array.from({ length: n }, (_, id) => ({ key: id, id }));
const newestFirst = (a: Row, b: Row) => b.key - a.key || a.id - b.id;
const oldestFirst = (a: Row, b: Row) => a.key - b.key || a.id - b.id;
const sortThenSlice = (items: Row[], count: number, compare: (a: Row, b: Row) => number) => items.slice().sort(compare).slice(0, count);

describe('firstInOrder gives exactly what a full sort then a slice gives', () => {
  it.each([0, 1, 2, 30, 124, 125, 1000])('the first %i of 1,000 shuffled rows with ties', (count) => {
    const items = shuffled(1000);
    expect(firstInOrder(items, count, newestFirst)).toEqual(sortThenSlice(items, count, newestFirst));
  });

  it.each([
    ['rows oldest first, asked newest first', ascending(2000), newestFirst],
    ['rows oldest first, asked oldest first', ascending(2000), oldestFirst],
    ['rows newest first, asked newest first', ascending(2000).reverse(), newestFirst],
    ['rows newest first, asked oldest first', ascending(2000).reverse(), oldestFirst],
  ] as const)('%s', (_, items, compare) => {
    expect(firstInOrder(items, 30, compare)).toEqual(sortThenSlice([...items], 30, compare));
  });

  it('leaves the input as it was (the rows are the collection itself)', () => {
    const items = shuffled(500);
    const before = items.slice();
    firstInOrder(items, 10, newestFirst);
    expect(items).toEqual(before);
  });
});
