import { randomUUID } from 'crypto';

/** Bits of the count that orders the ids made within one millisecond (rand_a, and rand_b's first 14). */
const COUNT_BITS = 26;
/** The variant's hex digit (0b10xx) with two bits of the count in it. */
const VARIANT_DIGITS = ['8', '9', 'a', 'b'];
const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');

/**
 * Makes UUIDs of version 7 (RFC 9562) that sort in the order they were made (newId's).
 *
 * Ids made within one millisecond carry a count after the time (RFC 9562's "fixed bit-length
 * dedicated counter", method 1), started at a random value below half its range each millisecond, so
 * they too sort in the order they were made; so do ids made while the clock steps back. The random
 * bits come from crypto.randomUUID, which draws them from a cache of its own; the `uuid` package's v7
 * drew 256 bytes with randomFillSync every 16 ids. In CPU profiles of `npm run bench`'s command mix
 * the ids took 1.5 % of the server's busy time with that v7, 0.8–1.0 % with this.
 */
export class TimeOrderedIds {
  private lastMs = -Infinity;
  private count = 0;
  /** What ids of lastMs start with (its 12 hex digits, the version), made when it changes: a double's toString(16) takes ~0.4 µs. */
  private prefix = '';

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly random: () => string = randomUUID,
    /** Where the count runs out and the next millisecond is taken (a test makes it small). */
    private readonly countLimit = 2 ** COUNT_BITS,
  ) {}

  next(): string {
    const random = this.random(); // xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx: the first 7 and the last 12 hex digits are random
    const now = this.now();
    if (now > this.lastMs) this.startMillisecond(now, random);
    // Counted out within one millisecond: borrow the next one (RFC 9562, 6.2).
    else if (++this.count >= this.countLimit) this.startMillisecond(this.lastMs + 1, random);
    const count = this.count;
    return `${this.prefix}${hex(count >>> 14, 3)}-${VARIANT_DIGITS[(count >>> 12) & 0b11]}${hex(count & 0xfff, 3)}-${random.slice(24)}`;
  }

  private startMillisecond(ms: number, random: string): void {
    this.lastMs = ms;
    // 25 random bits: at least 2^25 ids of one millisecond before it runs out.
    this.count = parseInt(random.slice(0, 7), 16) >>> 3;
    const time = hex(Math.floor(ms / 2 ** 24), 6) + hex(ms % 2 ** 24, 6);
    this.prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  }
}

const ids = new TimeOrderedIds();

/**
 * A new id for an event, an aggregate (its stream) or a request: a UUID of version 7 (RFC 9562),
 * whose first 48 bits are the time in milliseconds, so it is unique across processes and as hard to
 * guess as a random one (73 random bits per millisecond and process; TimeOrderedIds).
 *
 * Why not a random (version 4) id: each id becomes a key of a B-tree index (the event store's event
 * ids, streams and causations, the bus log's event ids, a read model's primary key), and a random key
 * lands on a random page of it, so every commit wrote back about one 4 KB page per event. Ids in
 * time order land on the index's last pages: the store's batched appends about doubled
 * (docs/benchmarks.md, tenth session).
 */
export function newId(): string {
  return ids.next();
}
