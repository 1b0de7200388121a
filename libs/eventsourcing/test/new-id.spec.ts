import { newId, TimeOrderedIds } from '@lp/eventsourcing';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const timeOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newId', () => {
  it('gives UUIDs that sort in the order they were made, so each lands at the end of the indexes it is a key of', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !UUID_V7.test(id))).toEqual([]);
  });

  it('starts with the time it was made, not with its random part', () => {
    const before = Date.now();
    const id = newId();
    expect(timeOf(id)).toBeGreaterThanOrEqual(before);
    expect(timeOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('keeps the order when the clock steps back', () => {
    let clock = Date.now();
    const source = new TimeOrderedIds(() => clock);
    const first = source.next();
    clock -= 5_000; // the clock set back
    const ids = [first, ...Array.from({ length: 1000 }, () => source.next())];
    expect(ids.every((id, i) => i === 0 || ids[i - 1] < id)).toBe(true);
    expect(ids.map(timeOf)).toEqual(ids.map(() => timeOf(first)));
  });

  it('takes the next millisecond once the count of one has run out, still in order', () => {
    const clock = 1_700_000_000_000;
    // A count started at 1 (the random hex digits 0000008…) that runs out at 4.
    const source = new TimeOrderedIds(() => clock, () => '00000080-0000-4000-8000-0123456789ab', 4);
    const ids = Array.from({ length: 4 }, () => source.next());
    expect(ids.map(timeOf)).toEqual([clock, clock, clock, clock + 1]);
    expect(ids.every((id, i) => i === 0 || ids[i - 1] < id)).toBe(true);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(ids[0]).toBe('018bcfe5-6800-7000-8001-0123456789ab');
  });

  it('ends with 48 random bits, so the ids of two processes in the same millisecond differ even where their counts meet', () => {
    const tails = new Set(Array.from({ length: 1000 }, () => newId().slice(24)));
    expect(tails.size).toBe(1000);
  });
});
