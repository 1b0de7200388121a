import { mongo } from 'mongoose';

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

/**
 * Makes the indexes a collection's projections declare, then drops the ones this store made that
 * they no longer declare: each would cost every write, and the planner could still pick it. An
 * existing index on the same keys (an earlier release's, an operator's) serves its declaration
 * instead of a second copy, which MongoDB would refuse anyway. Replicas of two releases starting
 * during a rolling update each make their own set; the last one to start wins.
 */
export async function ensureDeclaredIndexes<T extends mongo.Document>(
  docs: mongo.Collection<T>,
  declared: Keys[],
  notice: (message: string) => void,
): Promise<void> {
  const existing = await indexesOf(docs);
  const serving = new Set<string>();
  for (const keys of declared) {
    const name = existing.find((index) => sameKeys(index, keys))?.name ?? nameOf(docs.collectionName, keys);
    serving.add(name);
    if (!existing.some((index) => index.name === name)) await docs.createIndex(keys, { name });
  }
  for (const index of existing) {
    if (serving.has(index.name)) continue;
    if (index.name.startsWith(INDEX_NAME_PREFIX)) await dropIndex(docs, index.name);
    else if (madeByAnEarlierRelease(index)) {
      notice(
        `Index "${index.name}" of ${docs.collectionName} looks made by an earlier release of the read store, and no projection declares it now: ` +
          `each write still pays for it. Drop it (db.getCollection("${docs.collectionName}").dropIndex("${index.name}")) unless something else reads by it.`,
      );
    }
  }
}

async function dropIndex<T extends mongo.Document>(docs: mongo.Collection<T>, name: string): Promise<void> {
  try {
    await docs.dropIndex(name);
  } catch (error) {
    // Another replica dropped it first.
    if (!(error instanceof mongo.MongoServerError && error.code === INDEX_NOT_FOUND)) throw error;
  }
}
