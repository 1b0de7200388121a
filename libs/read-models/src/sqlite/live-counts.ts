import { Filter } from '../read-store';
import { predicateOf } from '../in-memory/native-query';

type Doc = Record<string, unknown>;

interface Counted {
  matches: (doc: Doc) => boolean;
  total: number;
  /** Whether the store holds this total as it is (see unsaved()). */
  saved: boolean;
}

/**
 * Exact totals of the filters a collection's list screens asked for, kept up to date as its documents
 * change, so that `Page.total` costs a lookup instead of a COUNT over the matching rows (~100 ms for
 * "every order not deleted" at 1M orders, on every page of the default list).
 *
 * The first ask of a filter counts in SQL; afterwards every write tells the entries whether the
 * document matched before and matches now, and moves their totals by the difference. Writes happen
 * only through the same connection (apply, clear, drop), and none of them awaits between reading the
 * document before and writing it after, so the totals never miss a change. The entries are the
 * latest filters asked for, a bounded number of them.
 *
 * The store saves them in the transactions that hold the documents they count (unsaved()), so a
 * restart finds them exact instead of counting again.
 */
export class LiveCounts {
  private readonly entries = new Map<string, Counted>();
  /** Filters forgotten (to make room) since the last unsaved(). */
  private readonly forgotten = new Set<string>();
  /** Filters never forgotten to make room (pin()). */
  private readonly pinned = new Set<string>();
  /** Writes so far (after() and clear() calls). */
  private writes = 0;

  constructor(private readonly capacity = 32) {}

  /**
   * The total kept for `filter`, or count() it now and keep it from then on. A count that awaited (read
   * in the scan worker) is kept only if no document changed meanwhile: the changes were not counted
   * for it. Otherwise it answers this ask only, and the next ask counts again.
   */
  async total(filter: Filter, count: () => number | Promise<number>): Promise<number> {
    const key = JSON.stringify(filter);
    const entry = this.entries.get(key);
    if (entry) {
      // Most recently used last: the first entry is the one to forget when full.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.total;
    }
    const asOf = this.writes;
    const total = await count();
    this.learn(filter, total, asOf);
    return total;
  }

  /** Moves with every write: what learn() is told a total was found as of. */
  get writeCount(): number {
    return this.writes;
  }

  /** The total kept for `filter`, if it is kept (nothing is counted). */
  known(filter: Filter): number | undefined {
    return this.entries.get(JSON.stringify(filter))?.total;
  }

  /**
   * Keeps `total` for `filter` (counted, or found without counting: a last page), unless it is kept
   * already or a document changed since `asOf` (writeCount when the rows were read).
   */
  learn(filter: Filter, total: number, asOf = this.writes): void {
    const key = JSON.stringify(filter);
    if (asOf === this.writes && !this.entries.has(key)) this.keep(key, { matches: predicateOf(filter), total, saved: false });
  }

  /** A total a store saved earlier (key: the filter as total() keys it). */
  restore(key: string, total: number): void {
    this.keep(key, { matches: predicateOf(JSON.parse(key) as Filter), total, saved: true });
  }

  /** Keeps `filter`'s total (already asked for) whatever else is asked: a list's default filter. */
  pin(filter: Filter): void {
    this.pinned.add(JSON.stringify(filter));
  }

  private keep(key: string, entry: Counted): void {
    if (this.entries.size >= this.capacity + this.pinned.size) {
      const oldest = [...this.entries.keys()].find((candidate) => !this.pinned.has(candidate));
      if (oldest !== undefined) {
        this.entries.delete(oldest);
        this.forgotten.add(oldest);
      }
    }
    this.forgotten.delete(key);
    this.entries.set(key, entry);
  }

  /** What changed since the last call (the store saves it and deletes what was forgotten); counts as saved from then on. */
  unsaved(): { changed: [key: string, total: number][]; forgotten: string[] } {
    const changed: [string, number][] = [];
    for (const [key, entry] of this.entries) {
      if (entry.saved) continue;
      entry.saved = true;
      changed.push([key, entry.total]);
    }
    const forgotten = [...this.forgotten];
    this.forgotten.clear();
    return { changed, forgotten };
  }

  get hasUnsaved(): boolean {
    return this.forgotten.size > 0 || [...this.entries.values()].some((entry) => !entry.saved);
  }

  /** Before a write: which entries the document as stored (undefined: none yet) matches. */
  /** Whether any total is kept (before() then needs the document as it was). */
  get keepsAny(): boolean {
    return this.entries.size > 0;
  }

  before(current: Doc | undefined): boolean[] | undefined {
    if (this.entries.size === 0) return undefined;
    return [...this.entries.values()].map((entry) => current !== undefined && entry.matches(current));
  }

  /** After the write of `next`, given what before() said. */
  after(matchedBefore: boolean[] | undefined, next: Doc): void {
    this.writes++;
    if (!matchedBefore) return;
    let index = 0;
    for (const entry of this.entries.values()) {
      const change = Number(entry.matches(next)) - Number(matchedBefore[index++]);
      if (change === 0) continue;
      entry.total += change;
      entry.saved = false;
    }
  }

  /** The documents are gone: forgets every total but the pinned ones, now 0 (the store deletes what it saved itself). */
  clear(): void {
    this.writes++;
    for (const [key, entry] of this.entries) {
      if (this.pinned.has(key)) Object.assign(entry, { total: 0, saved: false });
      else this.entries.delete(key);
    }
    this.forgotten.clear();
  }
}
