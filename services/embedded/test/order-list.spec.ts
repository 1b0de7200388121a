import { asDistributor, Harness, readyCustomer } from './support/harness';

/**
 * 注文一覧 on the embedded read store, whose text index leaves deleted orders out and whose default
 * total is kept from the start (domain.md: a deleted order "leaves the list, its stream stays").
 */
describe('注文一覧: a deleted order leaves the list', () => {
  it('is gone from the list and its search, totals included, listed when asked for by status, and so after a restart', async () => {
    const h = await new Harness().start();
    try {
      const { customerId } = await readyCustomer(h);
      const created = [];
      for (const quantity of [1, 2, 3]) created.push((await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity }] }).expect(201)).body);
      const [kept, alsoKept, deleted] = created;
      await h.http().delete(`/orders/${deleted.id}`).expect(204);
      await h.settle();

      // pageSize=1: the totals are the kept or counted ones, not the rows of a last page.
      const list = async (query: string) => {
        const { items, total } = (await h.http(asDistributor).get(`/orders?pageSize=1&${query}`).expect(200)).body;
        const all = (await h.http(asDistributor).get(`/orders?pageSize=100&${query}`).expect(200)).body;
        return { total, first: items.length, ids: all.items.map((order: { id: string }) => order.id).sort() };
      };
      const expected = {
        listed: { total: 2, first: 1, ids: [kept.id, alsoKept.id].sort() },
        deleted: { total: 1, first: 1, ids: [deleted.id] },
      };
      const expectLists = async () => {
        expect(await list('')).toEqual(expected.listed);
        expect(await list('q=office')).toEqual(expected.listed);
        expect(await list('status=DELETED')).toEqual(expected.deleted);
        expect(await list('status=DELETED&q=office')).toEqual(expected.deleted);
      };
      await expectLists();

      await h.restart();
      await h.settle();
      await expectLists();
    } finally {
      await h.stop();
    }
  });
});
