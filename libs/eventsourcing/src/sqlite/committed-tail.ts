/**
 * The rows this store committed most recently, in position order and without gaps. Every live
 * subscription of the store reads what was just appended; with the tail each one takes it from
 * memory instead of querying the file once per subscriber and append.
 *
 * Rows another process appended to the same file are not here: when its rows land between two of
 * ours the tail starts again after them, and a range the tail does not hold wholly is read from the
 * file.
 */
export class CommittedTail<Row extends { position: number }> {
  private rows: Row[] = [];

  constructor(private readonly capacity: number) {}

  /** Rows of one commit, in position order. */
  add(committed: Row[]): void {
    if (committed.length === 0) return;
    // One commit as large as the tail replaces it. (No push(...committed): a bulk append of a few
    // hundred thousand events would overflow the call stack after its commit.)
    if (committed.length >= this.capacity) {
      this.rows = committed.slice(committed.length - this.capacity);
      return;
    }
    const newest = this.rows.at(-1);
    // A gap: another process committed in between, so what we hold no longer runs up to these rows.
    if (newest && committed[0].position !== newest.position + 1) this.rows = [];
    for (const row of committed) this.rows.push(row);
    if (this.rows.length > this.capacity) this.rows.splice(0, this.rows.length - this.capacity);
  }

  /** Every row with after < position <= upTo, or undefined when the tail does not hold all of them. */
  between(after: number, upTo: number): Row[] | undefined {
    const oldest = this.rows[0];
    const newest = this.rows.at(-1);
    if (!oldest || !newest || after < oldest.position - 1 || upTo > newest.position || after >= upTo) return undefined;
    return this.rows.slice(after + 1 - oldest.position, upTo + 1 - oldest.position);
  }
}
