import { CommittedTail } from '../src/sqlite/committed-tail';

const rows = (...positions: number[]) => positions.map((position) => ({ position }));
const positions = (found?: { position: number }[]) => found?.map((row) => row.position);

describe('CommittedTail', () => {
  it('hands out exactly the rows after one position up to another', () => {
    const tail = new CommittedTail(10);
    tail.add(rows(5, 6));
    tail.add(rows(7, 8, 9));
    expect(positions(tail.between(4, 9))).toEqual([5, 6, 7, 8, 9]);
    expect(positions(tail.between(6, 8))).toEqual([7, 8]);
    expect(positions(tail.between(8, 9))).toEqual([9]);
  });

  it('says it does not know a range that starts before its oldest row or ends after its newest', () => {
    const tail = new CommittedTail(10);
    expect(tail.between(0, 1)).toBeUndefined();
    tail.add(rows(5, 6));
    expect(tail.between(3, 6)).toBeUndefined();
    expect(tail.between(5, 7)).toBeUndefined();
  });

  it('forgets what it held when another process committed in between (a gap in positions)', () => {
    const tail = new CommittedTail(10);
    tail.add(rows(1, 2));
    tail.add(rows(4));
    expect(tail.between(2, 4)).toBeUndefined();
    expect(positions(tail.between(3, 4))).toEqual([4]);
  });

  it('takes a commit larger than itself, of any size, keeping its newest rows', () => {
    const tail = new CommittedTail(3);
    tail.add(rows(1));
    const bulk = Array.from({ length: 300_000 }, (_, i) => ({ position: i + 2 }));
    expect(() => tail.add(bulk)).not.toThrow();
    expect(positions(tail.between(299_998, 300_001))).toEqual([299_999, 300_000, 300_001]);
    expect(tail.between(299_997, 300_001)).toBeUndefined();
  });

  it('keeps only the newest rows up to its capacity', () => {
    const tail = new CommittedTail(3);
    tail.add(rows(1, 2, 3, 4));
    tail.add(rows(5));
    expect(tail.between(1, 5)).toBeUndefined();
    expect(positions(tail.between(2, 5))).toEqual([3, 4, 5]);
  });
});
