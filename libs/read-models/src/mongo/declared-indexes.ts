import { mongo } from 'mongoose';
import { IndexClaims } from './index-claims';

type Keys = Record<string, 1 | -1>;
type IndexDescription = { name: string; key: Record<string, unknown>; [option: string]: unknown };

/**
 * How the names of the indexes this store makes begin; the collection and the keys follow
 * (`read-store:orders:status+,orderDate-,_id+`). The prefix tells the store's own indexes from an
 * operator's, so only its own are ever dropped. With the collection in it a name is unique in its
 * database, which mongo-java-server (deploy/local) needs: it mixes up same-named indexes of two
 * collections once one of them is dropped.
 */
const INDEX_NAME_PREFIX = 'read-store:';

const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;
/** Options that make an index answer fewer queries than its keys say: such an index never stands in for a declared one. */
const NARROWING_OPTIONS = ['partialFilterExpression', 'sparse', 'collation', 'hidden', 'weights'];

const nameOf = (collection: string, keys: Keys) =>
  `${INDEX_NAME_PREFIX}${collection}:` + Object.entries(keys).map(([path, direction]) => `${path}${direction === -1 ? '-' : '+'}`).join(',');

const sameKeys = (index: IndexDescription, keys: Keys) =>
  JSON.stringify(Object.entries(index.key)) === JSON.stringify(Object.entries(keys)) &&
  NARROWING_OPTIONS.every((option) => index[option] === undefined);

/**
 * Releases before the store named its indexes let MongoDB name them (`status_1__id_1`), and every
 * one ended in `_id`, as find() sorts. An index like that may still be an operator's: it is reported,
 * never dropped.
 */
const madeByAnEarlierRelease = (index: IndexDescription) => {
  const keys = Object.entries(index.key);
  return keys.at(-1)?.[0] === '_id' && keys.length > 1 && index.name === keys.map(([path, direction]) => `${path}_${String(direction)}`).join('_');
};

async function indexesOf<T extends mongo.Document>(docs: mongo.Collection<T>): Promise<IndexDescription[]> {
  try {
    return (await docs.listIndexes().toArray()) as IndexDescription[];
  } catch (error) {
    // A collection never written has no indexes yet; createIndex makes it.
    if (error instanceof mongo.MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
    throw error;
  }
}

export interface EnsureOptions {
  /** What an operator should act on: an index an earlier release left. */
  notice: (message: string) => void;
  /** Which replicas declare which of the store's own indexes: one another running replica declares is kept. */
  claims: IndexClaims;
  /** Leave a collection that does not exist alone (a refresh after it was dropped); else createIndex makes it. */
  onlyIfExists?: boolean;
}

/**
 * Makes the indexes a collection's projections declare, then drops the ones this store made that
 * no running replica declares any more: each would cost every write, and the planner could still
 * pick it. An existing index on the same keys (an earlier release's, an operator's) serves its
 * declaration instead of a second copy, which MongoDB would refuse anyway. Run at every start and
 * again now and then (MongoReadStore's refresh), so replicas of two releases running side by side
 * during a rolling update keep each other's indexes, and once one release's replicas are all gone
 * the other's refresh drops what only they declared.
 */
export async function ensureDeclaredIndexes<T extends mongo.Document>(docs: mongo.Collection<T>, declared: Keys[], options: EnsureOptions): Promise<void> {
  const existing = await indexesOf(docs);
  if (existing.length === 0 && options.onlyIfExists) return;
  const serving = new Set<string>();
  for (const keys of declared) {
    const name = existing.find((index) => sameKeys(index, keys))?.name ?? nameOf(docs.collectionName, keys);
    serving.add(name);
    if (!existing.some((index) => index.name === name)) await docs.createIndex(keys, { name });
  }
  const own = (name: string) => name.startsWith(INDEX_NAME_PREFIX);
  await options.claims.claim(docs.collectionName, [...serving].filter(own));
  const undeclared = existing.filter((index) => !serving.has(index.name));
  const stillDeclared = await options.claims.claimedByOthers(undeclared.map((index) => index.name).filter(own));
  const dropped: string[] = [];
  for (const index of undeclared) {
    if (own(index.name)) {
      if (stillDeclared.has(index.name)) continue;
      await dropIndex(docs, index.name);
      dropped.push(index.name);
    } else if (madeByAnEarlierRelease(index)) {
      options.notice(
        `Index "${index.name}" of ${docs.collectionName} looks made by an earlier release of the read store, and no projection declares it now: ` +
          `each write still pays for it. Drop it (db.getCollection("${docs.collectionName}").dropIndex("${index.name}")) unless something else reads by it.`,
      );
    }
  }
  if (dropped.length > 0) await options.claims.forget(dropped);
}

async function dropIndex<T extends mongo.Document>(docs: mongo.Collection<T>, name: string): Promise<void> {
  try {
    await docs.dropIndex(name);
  } catch (error) {
    // Another replica dropped it first.
    if (!(error instanceof mongo.MongoServerError && error.code === INDEX_NOT_FOUND)) throw error;
  }
}
