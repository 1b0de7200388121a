import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, CommandHandler, EventStore, invalid, notFound, newId } from '@lp/eventsourcing';
import { AuthenticatedUser, ResellerDirectory } from '@lp/platform';
import { Page, projectEvents, ReadStore } from '@lp/read-models';
import { answerAfterWrite, EVENT_STORE, ListOptions, ListQuery, READ_STORE, SERVICE_RUNTIME, ServiceRuntime, VisibleResource } from '@lp/runtime';
import { CustomerDetails, customerDecider, customerStreamId } from '../domain/customer';
import { orderScreensProjection } from '../projections/orders.projection';
import { COLLECTIONS, CustomerView } from '../projections/views';

/** 顧客一覧's query: newest registration first. */
export const CUSTOMER_LIST: ListOptions<ListQuery> = { sort: { registeredAt: -1 } };

@Injectable()
export class CustomersService {
  private readonly customers;
  private readonly reads: VisibleResource<CustomerView>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    private readonly resellers: ResellerDirectory,
  ) {
    this.customers = new CommandHandler(store, customerDecider);
    this.reads = new VisibleResource<CustomerView>({
      store,
      readStore,
      collection: COLLECTIONS.customers,
      projection: orderScreensProjection,
      streamId: customerStreamId,
      notFound: (id) => notFound('CUSTOMER_NOT_FOUND', `Customer ${id} not found`),
    });
  }

  /**
   * Reseller staff register for their own reseller; distributor staff must name an existing one.
   * Reseller staff naming another reseller get the answer an unknown reseller gets (404).
   */
  async register(details: CustomerDetails, resellerId: string | undefined, user: AuthenticatedUser, context: CommandContext): Promise<CustomerView> {
    const owner = user.resellerId ?? resellerId;
    if (!owner) throw invalid([{ path: 'resellerId', message: 'distributor staff must name the reseller' }]);
    if ((resellerId && resellerId !== owner) || !this.resellers.get(owner)) {
      throw notFound('RESELLER_NOT_FOUND', `Reseller ${resellerId ?? owner} not found`);
    }
    const customerId = newId();
    const { events } = await this.customers.handle(customerStreamId(customerId), { type: 'RegisterCustomer', customerId, resellerId: owner, details }, context);
    const customers = (rows: ReadStore) => rows.collection<CustomerView>(COLLECTIONS.customers).get(customerId);
    return answerAfterWrite(this.runtime, {
      what: `customer ${customerId}`,
      view: () => customers(this.readStore),
      // The customer's whole stream is the event just appended.
      decided: async () => (await customers(await projectEvents(events, [orderScreensProjection])))!,
    });
  }

  /** The customer now, or as it was at `asOf` (its stream's events up to then). */
  get(customerId: string, user: AuthenticatedUser, asOf?: string): Promise<CustomerView> {
    return this.reads.get(customerId, user, asOf);
  }

  async list(query: ListQuery, user: AuthenticatedUser): Promise<Page<CustomerView>> {
    return this.reads.listFor(user, query, CUSTOMER_LIST);
  }
}
