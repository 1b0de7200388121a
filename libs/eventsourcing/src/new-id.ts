import { v7 } from 'uuid';

/**
 * A new id for an event, an aggregate (its stream) or a request: a UUID of version 7 (RFC 9562),
 * whose first 48 bits are the time in milliseconds and whose last 74 are random, so it is unique
 * across processes and as hard to guess as a random one.
 *
 * Why not a random (version 4) id: each id becomes a key of a B-tree index (the event store's event
 * ids, streams and causations, the bus log's event ids, a read model's primary key), and a random key
 * lands on a random page of it, so every commit wrote back about one 4 KB page per event. Ids in
 * time order land on the index's last pages: the store's batched appends about doubled
 * (docs/benchmarks.md, tenth session).
 */
export function newId(): string {
  return v7();
}
