import { find, Query } from 'mingo';
import { scalarComparator, simpleEqualityPredicate } from '../src/in-memory/native-query';

// The fast paths must answer exactly as mingo (and MongoDB) would, or fall back to it.
const docs = Array.from({ length: 200 }, (_, i) => ({
  id: `d-${String(i).padStart(3, '0')}`,
  status: ['APPLIED', 'ACCEPTED', 'PLACED'][i % 3],
  amount: (i * 37) % 11,
  orderDate: `2026-0${(i % 9) + 1}-1${i % 10}`,
  acceptedOn: i % 4 === 0 ? null : `2026-05-${String((i % 28) + 1).padStart(2, '0')}`,
  ...(i % 5 === 0 ? {} : { note: `n${i % 7}` }),
  nested: { reseller: i % 2 ? 'r-direct' : 'r-indirect' },
}));

describe('native query fast paths agree with mingo', () => {
  it.each([
    [{ status: 'PLACED' }],
    [{ status: 'PLACED', 'nested.reseller': 'r-direct' }],
    [{ acceptedOn: null }],
    [{ note: null }],
    [{ amount: 3 }],
  ])('filter %j', (filter) => {
    const predicate = simpleEqualityPredicate(filter)!;
    expect(predicate).toBeDefined();
    expect(docs.filter(predicate).map((d) => d.id)).toEqual(docs.filter((d) => new Query(filter).test(d)).map((d) => d.id));
  });

  it('leaves operators to mingo', () => {
    expect(simpleEqualityPredicate({ status: { $ne: 'DELETED' } })).toBeUndefined();
    expect(simpleEqualityPredicate({ $or: [{ status: 'A' }] })).toBeUndefined();
  });

  it.each([
    [{ orderDate: -1, id: 1 }],
    [{ amount: 1, orderDate: -1, id: 1 }],
    [{ acceptedOn: 1, id: 1 }],
    [{ note: -1, id: 1 }],
  ] as const)('sort %j', (sort) => {
    const compare = scalarComparator(sort, docs)!;
    expect(compare).toBeDefined();
    const native = [...docs].sort(compare).map((d) => d.id);
    const viaMingo = find(docs, {}).sort(sort).all().map((d) => (d as { id: string }).id);
    expect(native).toEqual(viaMingo);
  });
});
