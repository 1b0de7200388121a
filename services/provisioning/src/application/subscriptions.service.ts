import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, CommandHandler, EventStore, notFound, RecordedEvent } from '@lp/eventsourcing';
import { AuthenticatedUser, canSee } from '@lp/platform';
import { projectEvents, ReadStore } from '@lp/read-models';
import { answerAfterWrite, EVENT_STORE, ListOptions, ListQuery, READ_STORE, SERVICE_RUNTIME, ServiceRuntime, VisibleResource } from '@lp/runtime';
import { SubscriptionCommand, subscriptionDecider, SubscriptionEvent, SubscriptionState, subscriptionStreamId } from '../domain/subscription';
import { subscriptionsProjection } from '../projections/subscriptions.projection';
import { COLLECTIONS, KnownCustomerView, SubscriptionView } from '../projections/views';

export interface SubscriptionQuery extends ListQuery {
  status?: string;
  customerId?: string;
  orderId?: string;
}

/** The subscriptions screen's query: status, customer and order match, newest first. */
export const SUBSCRIPTION_LIST: ListOptions<SubscriptionQuery> = { matched: ['status', 'customerId', 'orderId'], sort: { createdAt: -1 } };

/** A list row: the subscription plus the customer's company name for the screen's customer column. */
export type SubscriptionListItem = SubscriptionView & { customerCompanyName: string | null };

@Injectable()
export class SubscriptionsService {
  private readonly subscriptions: CommandHandler<SubscriptionCommand, SubscriptionEvent, SubscriptionState>;
  private readonly reads: VisibleResource<SubscriptionView>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {
    this.subscriptions = new CommandHandler(store, subscriptionDecider);
    this.reads = new VisibleResource<SubscriptionView>({
      store,
      readStore,
      collection: COLLECTIONS.subscriptions,
      projection: subscriptionsProjection,
      streamId: subscriptionStreamId,
      notFound: (id) => notFound('SUBSCRIPTION_NOT_FOUND', `Subscription ${id} not found`),
    });
  }

  /** Newest first, scoped to the caller's reseller (distributor staff: all). */
  async list(query: SubscriptionQuery, user: AuthenticatedUser) {
    const page = await this.reads.listFor(user, query, SUBSCRIPTION_LIST);
    return { items: await this.withCustomerNames(page.items), total: page.total };
  }

  /** The subscription now, or as it was at `asOf` (its stream's events up to then; the customer's name is today's). */
  async get(subscriptionId: string, user: AuthenticatedUser, asOf?: string): Promise<SubscriptionListItem> {
    const view = await this.reads.get(subscriptionId, user, asOf);
    const [item] = await this.withCustomerNames([view]);
    return item;
  }

  history(subscriptionId: string, user: AuthenticatedUser, asOf?: string): Promise<RecordedEvent[]> {
    return this.reads.history(subscriptionId, user, asOf);
  }

  /** Distributor staff activate a manual subscription (the controller checks the role). */
  activate(subscriptionId: string, user: AuthenticatedUser, context: CommandContext) {
    return this.execute(subscriptionId, { type: 'Activate', activatedAt: context.now.toISOString(), activatedBy: user.id }, user, context);
  }

  /** FAILED → PROVISIONING; the vendor worker picks the new round up. */
  retry(subscriptionId: string, user: AuthenticatedUser, context: CommandContext) {
    return this.execute(subscriptionId, { type: 'RetryProvisioning', retriedAt: context.now.toISOString(), retriedBy: user.id }, user, context);
  }

  private async execute(subscriptionId: string, command: SubscriptionCommand, user: AuthenticatedUser, context: CommandContext) {
    const guard = (state: SubscriptionState) => {
      // Another reseller's subscription is "not found", not a refusal.
      if (state.status === 'NONE' || !canSee(user, state.resellerId)) throw notFound('SUBSCRIPTION_NOT_FOUND', `Subscription ${subscriptionId} not found`);
    };
    await this.subscriptions.handle(subscriptionStreamId(subscriptionId), command, context, { guard });
    return this.answer(subscriptionId);
  }

  /**
   * Company names from the local copy of order's customers, joined at read time: that projection
   * is fed from the bus and may be rebuilt after this one, so copying it into the rows could miss it.
   */
  private async withCustomerNames(items: SubscriptionView[]): Promise<SubscriptionListItem[]> {
    const customers = this.readStore.collection<KnownCustomerView>(COLLECTIONS.customers);
    const ids = [...new Set(items.map((item) => item.customerId))];
    const names = new Map(await Promise.all(ids.map(async (id) => [id, (await customers.get(id))?.companyName ?? null] as const)));
    return items.map((item) => ({ ...item, customerCompanyName: names.get(item.customerId) ?? null }));
  }

  /**
   * Read-your-writes: the answer shows the subscription as the command left it; from its events when
   * the read model is late or down (X-View-Stale), without the customer's name only the read model knows.
   */
  private answer(subscriptionId: string): Promise<SubscriptionListItem | SubscriptionView> {
    return answerAfterWrite<SubscriptionListItem | SubscriptionView>(this.runtime, {
      what: `subscription ${subscriptionId}`,
      view: async () => {
        const view = await this.readStore.collection<SubscriptionView>(COLLECTIONS.subscriptions).get(subscriptionId);
        return view && (await this.withCustomerNames([view]))[0];
      },
      decided: async () => {
        const rows = await projectEvents(await this.store.readStream(subscriptionStreamId(subscriptionId)), [subscriptionsProjection]);
        return (await rows.collection<SubscriptionView>(COLLECTIONS.subscriptions).get(subscriptionId))!;
      },
    });
  }
}
