import { EventStore, RecordedEvent } from '@lp/eventsourcing';
import { AuthenticatedUser, canSee, resellerScope, visibleHistory } from '@lp/platform';
import { dateRange, eventsUpTo, Filter, Page, pageOf, Projection, projectionSearch, ReadStore, Sort, timeTravel, TimeTravelOptions } from '@lp/read-models';

export interface VisibleResourceOptions {
  store: Pick<EventStore, 'readStream'>;
  readStore: ReadStore;
  /** The collection holding the resource's row, and the projection writing it (replayed for `asOf`). */
  collection: string;
  projection: Projection;
  /** The stream that is the resource. */
  streamId: (id: string) => string;
  /** Streams the row copies fields from (an order copies its customer's names), for `asOf`. */
  related?: TimeTravelOptions['related'];
  /** The type a stream of this resource starts with, when the prefix may also hold bookkeeping streams. */
  firstType?: string;
  /** The 404 of the resource, the same for an unknown id and for another reseller's. */
  notFound: (id: string) => Error;
}

/** What every list screen's query has besides its own filters: the text search (番号・件名…) and the page. */
export interface ListQuery {
  q?: string;
  page: number;
  pageSize: number;
}

/** A list screen's query that also bounds a date column, both ends inclusive ('YYYY-MM-DD'). */
export interface DatedListQuery extends ListQuery {
  from?: string;
  to?: string;
}

/** How a list screen reads its query. */
export interface ListOptions<Q> {
  /** The query's fields that select rows equal to them when set. */
  matched?: (keyof Q & string)[];
  /** The 'YYYY-MM-DD' field the query's from/to bound. */
  dated?: string;
  /** What the list always selects besides (e.g. which statuses it shows by default). */
  filter?: Filter;
  sort: Sort;
}

/**
 * The read side every GET /:resource, /:resource/:id and …/history shares: a list screen's page, the
 * row now or as it was at an instant (`?asOf=`, rebuilt from the stream's events up to then), the
 * stream's events for the history, and one rule for all — a user sees their reseller's resources
 * (distributor staff: all), and another reseller's is "not found", like a missing one.
 */
export class VisibleResource<T extends { resellerId?: string }> {
  constructor(private readonly options: VisibleResourceOptions) {}

  /** A page of the rows `filter` selects among those the user may see, in `sort` order (then id). */
  list(user: AuthenticatedUser, filter: Filter, sort: Sort, page: { page: number; pageSize: number }): Promise<Page<T>> {
    const rows = this.options.readStore.collection<T & { id: string }>(this.options.collection);
    return rows.find(pageOf({ ...resellerScope(user), ...filter }, sort, page.page, page.pageSize));
  }

  /** The page `query` asks for: its set `matched` fields, its from/to over `dated` and its text search, among the rows the user may see. */
  listFor<Q extends DatedListQuery>(user: AuthenticatedUser, query: Q, { matched = [], dated, filter = {}, sort }: ListOptions<Q>): Promise<Page<T>> {
    const matches: Filter = Object.fromEntries(matched.filter((field) => query[field]).map((field) => [field, query[field]]));
    return this.list(user, { ...filter, ...matches, ...(dated && dateRange(dated, query.from, query.to)), ...this.search(query.q) }, sort, query);
  }

  /** The list screen's text search (番号・件名…) over the fields the projection indexes for it. */
  search(q: string | undefined): Filter {
    return projectionSearch(this.options.projection, this.options.collection, q);
  }

  async get(id: string, user: AuthenticatedUser, asOf?: string): Promise<T> {
    const { store, readStore, collection, projection, streamId, related } = this.options;
    const rows = asOf ? await timeTravel(store, { projections: [projection], streamIds: [streamId(id)], related, asOf }) : readStore;
    const row = await rows.collection<T & { id: string }>(collection).get(id);
    if (!row || !canSee(user, row.resellerId)) throw this.options.notFound(id);
    return row;
  }

  /** The stream's events, oldest first (up to `asOf`: none then means it did not exist yet). */
  async history(id: string, user: AuthenticatedUser, asOf?: string): Promise<RecordedEvent[]> {
    const notFoundError = () => this.options.notFound(id);
    const events = await visibleHistory(this.options.store, this.options.streamId(id), user, notFoundError, this.options.firstType);
    if (!asOf) return events;
    const then = eventsUpTo(events, asOf);
    if (!then.length) throw notFoundError();
    return then;
  }
}
