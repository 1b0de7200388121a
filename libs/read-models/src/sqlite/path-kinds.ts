/**
 * Which JSON kinds each field path of a collection has ever held. SQL on `json_extract` answers as
 * MongoDB/mingo do only for scalar strings, numbers and null: an array field matches an element,
 * booleans extract as 0/1, an object extracts as JSON text. Knowing that a path never held one of
 * those lets find() compare with plain, indexable SQL; a path that did is left to mingo.
 */
export type Kind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

const kindOf = (value: unknown): Kind =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as 'string' | 'number' | 'boolean' | 'object');

export class PathKinds {
  private readonly kinds = new Map<string, Set<Kind>>();

  /**
   * Adds the kinds the document holds per path that it did not know yet, and returns them (for the
   * caller to persist). Objects are walked, arrays are not: their paths are mingo's. Runs on every
   * document a projection writes, so it lists only what is new.
   */
  learn(doc: Record<string, unknown>): Array<[string, Kind]> {
    const learnt: Array<[string, Kind]> = [];
    this.walk(doc, '', learnt);
    return learnt;
  }

  private walk(doc: Record<string, unknown>, prefix: string, learnt: Array<[string, Kind]>): void {
    for (const key in doc) {
      const value = doc[key];
      if (value === undefined) continue;
      const path = prefix + key;
      const kind = kindOf(value);
      if (this.add(path, kind)) learnt.push([path, kind]);
      if (kind === 'object') this.walk(value as Record<string, unknown>, `${path}.`, learnt);
    }
  }

  add(path: string, kind: Kind): boolean {
    let kinds = this.kinds.get(path);
    if (!kinds) this.kinds.set(path, (kinds = new Set()));
    if (kinds.has(kind)) return false;
    kinds.add(kind);
    return true;
  }

  clear(): void {
    this.kinds.clear();
  }

  has(path: string, kind: Kind): boolean {
    return this.kinds.get(path)?.has(kind) ?? false;
  }

  /** SQL compares the path's value as MongoDB would: no array on the way or at the end, no object at the end. */
  comparable(path: string): boolean {
    const parts = path.split('.');
    for (let i = 1; i < parts.length; i++) if (this.has(parts.slice(0, i).join('.'), 'array')) return false;
    return !this.has(path, 'array') && !this.has(path, 'object');
  }

  /** SQL sorts the path as MongoDB would (null/missing < numbers < strings): no booleans either. */
  sortable(path: string): boolean {
    return this.comparable(path) && !this.has(path, 'boolean');
  }
}
