import { find, Query } from 'mingo';
import { nativePredicate, scalarComparator } from '../src/in-memory/native-query';

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
    [{ status: { $ne: 'DELETED' } }],
    [{ status: { $ne: 'PLACED' }, 'nested.reseller': 'r-direct' }],
    [{ note: { $ne: null } }],
    [{ acceptedOn: { $ne: '2026-05-02' } }],
    [{ status: { $in: ['APPLIED', 'PLACED'] } }],
    [{ note: { $nin: ['n1', null] } }],
    [{ orderDate: { $gte: '2026-03-01', $lte: '2026-06-15' } }],
    [{ orderDate: { $gt: '2026-03-11' } }, ],
    [{ amount: { $lt: 4 } }],
    [{ amount: { $gte: '3' } }],
    [{ acceptedOn: { $lte: '2026-05-10' } }],
    [{ $or: [{ note: { $regex: 'N3', $options: 'i' } }, { id: { $regex: '1[0-9]$' } }] }],
    [{ $or: [{ note: { $regex: '^n\\d$' } }, { status: 'PLACED' }], amount: { $ne: 0 } }],
    [{ $and: [{ status: { $ne: 'APPLIED' } }, { orderDate: { $lt: '2026-05-01' } }] }],
    [{ note: { $regex: 'n[2-4]' }, status: { $in: ['ACCEPTED'] } }],
  ])('filter %j', (filter) => {
    const predicate = nativePredicate(filter)!;
    expect(predicate).toBeDefined();
    expect(docs.filter(predicate).map((d) => d.id)).toEqual(docs.filter((d) => new Query(filter).test(d)).map((d) => d.id));
  });

  it.each([
    [{ status: { $exists: true } }],
    [{ $nor: [{ status: 'A' }] }],
    [{ nested: { reseller: 'r-direct' } }],
    [{ status: { $in: [{ a: 1 }] } }],
    [{ note: { $regex: 'n', $options: 'x' } }],
    [{ $or: [{ status: { $elemMatch: { a: 1 } } }] }],
  ])('leaves %j to mingo', (filter) => {
    expect(nativePredicate(filter as never)).toBeUndefined();
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
