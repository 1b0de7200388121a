import { ReadStore } from '@lp/read-models';
import { COLLECTIONS, KnownCustomerView } from '../projections/views';

/**
 * The customers' company names, from order's CustomerRegistered as this service learned them. Joined
 * at read time rather than copied into rows: a rebuild replays the bus only after this store's events.
 */
export async function companyNames(readStore: ReadStore, customerIds: Iterable<string>): Promise<Map<string, string>> {
  const customers = readStore.collection<KnownCustomerView>(COLLECTIONS.customers);
  const names = new Map<string, string>();
  for (const customerId of new Set(customerIds)) names.set(customerId, (await customers.get(customerId))?.companyName ?? '');
  return names;
}
