import { Filter, ReadStore } from '@lp/read-models';
import { BillingLineView, COLLECTIONS } from '../projections/views';

/** One customer's billing lines, all of them. */
export interface CustomerLines {
  customerId: string;
  lines: BillingLineView[];
}

/** Lines read per query: bounds what a run holds besides the customers it is billing. */
export const LINES_PAGE = 10_000;

/** Lines after `after` in (customerId, id) order; the $gte keeps a store's customerId index usable. */
function pageFilter(after: BillingLineView | undefined): Filter {
  if (!after) return {};
  return { customerId: { $gte: after.customerId }, $or: [{ customerId: { $gt: after.customerId } }, { id: { $gt: after.id } }] };
}

/**
 * Every customer with its lines, in customer id order, from one pass over the billing-lines read
 * model: pages follow on from the last line read (keyset, not skip), so a page costs the same at the
 * end as at the start. A customer whose lines straddle two pages comes out once its last line has
 * been read.
 */
export async function* customersWithLines(readStore: ReadStore, pageSize = LINES_PAGE): AsyncGenerator<CustomerLines> {
  const lines = readStore.collection<BillingLineView>(COLLECTIONS.lines);
  let open: BillingLineView[] = [];
  for (let after: BillingLineView | undefined; ; ) {
    const { items } = await lines.find({ filter: pageFilter(after), sort: { customerId: 1, id: 1 }, limit: pageSize });
    const more = items.length === pageSize;
    const groups = groupByCustomer([...open, ...items]);
    // On a full page the last customer may go on in the next one.
    open = more ? groups.pop()! : [];
    after = items[items.length - 1];
    for (const group of groups) yield { customerId: group[0].customerId, lines: group };
    if (!more) return;
  }
}

/** Rows sorted by customer → one array per customer, in order. */
function groupByCustomer(rows: BillingLineView[]): BillingLineView[][] {
  const groups: BillingLineView[][] = [];
  for (const row of rows) {
    const current = groups[groups.length - 1];
    if (current && current[0].customerId === row.customerId) current.push(row);
    else groups.push([row]);
  }
  return groups;
}
