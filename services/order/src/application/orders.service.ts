import { Inject, Injectable } from '@nestjs/common';
import { aggregateStream, CommandContext, CommandHandler, CommandStep, EventStore, invalid, notFound, RecordedEvent, newId } from '@lp/eventsourcing';
import { AuthenticatedUser, canSee, todayInTokyo } from '@lp/platform';
import { Page, projectEvents, ReadStore } from '@lp/read-models';
import { answerAfterWrite, DatedListQuery, EVENT_STORE, READ_STORE, SERVICE_RUNTIME, ServiceRuntime, VisibleResource } from '@lp/runtime';
import { findProduct, orderLineFor } from '../domain/catalog';
import { customerDecider, customerStreamId } from '../domain/customer';
import { OrderCommand, orderDecider, OrderState, orderStreamId, TenantView } from '../domain/order';
import { OrderEvent, OrderLine } from '../domain/order-events';
import { LISTED_WITHOUT_STATUS, orderScreensProjection } from '../projections/orders.projection';
import { COLLECTIONS, KnownTenantView, OrderView } from '../projections/views';
import { OrderNumbers } from './order-numbers';

export interface CreateOrderInput {
  customerId: string;
  lines: { sku: string; quantity: number }[];
  orderNumber?: string;
  subject?: string;
  subjectForForms?: string;
  orderDate?: string;
  purchaseOrderNumber?: string;
  endUserOrderNumber?: string;
}

export interface OrderQuery extends DatedListQuery {
  status?: string;
  customerId?: string;
}

@Injectable()
export class OrdersService {
  private readonly orders: CommandHandler<OrderCommand, OrderEvent, OrderState>;
  private readonly numbers: OrderNumbers;
  private readonly reads: VisibleResource<OrderView>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {
    this.orders = new CommandHandler(store, orderDecider);
    this.numbers = new OrderNumbers(store);
    this.reads = new VisibleResource({
      store,
      readStore,
      collection: COLLECTIONS.orders,
      projection: orderScreensProjection,
      streamId: orderStreamId,
      // The row copies its customer's names, so the customer's stream is replayed too.
      related: (events) => events.flatMap((event) => (event.type === 'OrderCreated' ? [customerStreamId((event.data as { customerId: string }).customerId)] : [])),
      notFound: (id) => notFound('ORDER_NOT_FOUND', `Order ${id} not found`),
    });
  }

  async create(input: CreateOrderInput, user: AuthenticatedUser, context: CommandContext): Promise<OrderView> {
    const customer = await aggregateStream(this.store, customerStreamId(input.customerId), customerDecider);
    if (!customer.state.exists || !canSee(user, customer.state.resellerId)) {
      throw notFound('CUSTOMER_NOT_FOUND', `Customer ${input.customerId} not found`);
    }
    const orderId = newId();
    const command: OrderCommand = {
      type: 'CreateOrder',
      order: {
        orderId,
        resellerId: customer.state.resellerId,
        customerId: input.customerId,
        orderNumber: input.orderNumber ?? '',
        subject: input.subject,
        subjectForForms: input.subjectForForms,
        orderDate: input.orderDate ?? todayInTokyo(context.now),
        purchaseOrderNumber: input.purchaseOrderNumber,
        endUserOrderNumber: input.endUserOrderNumber,
        lines: resolveLines(input.lines),
      },
    };
    // The number is claimed in the order's own commit where the store can (see Claim): a refused
    // order uses up none, and a create is one commit instead of three.
    const claim = input.orderNumber
      ? this.numbers.claimGiven(input.orderNumber, orderId, context)
      : this.numbers.claimNext(command.order.orderDate, orderId, context);
    await this.orders.handle(orderStreamId(orderId), command, context, { claim });
    return this.answer(orderId, input.customerId);
  }

  async execute(
    orderId: string,
    command: OrderCommand | CommandStep<OrderCommand, OrderEvent, OrderState>,
    user: AuthenticatedUser,
    context: CommandContext,
  ): Promise<OrderView> {
    const { state } = await this.orders.handle(orderStreamId(orderId), command, context, { guard: (loaded) => this.assertVisible(loaded, user, orderId) });
    return this.answer(orderId, state.status === 'NONE' ? undefined : state.customerId);
  }

  /**
   * 発注: the tenants of the order's customer are looked up after the order is loaded (its customer
   * tells whose), inside the handler, so a retry after a concurrent change looks them up again.
   */
  place(orderId: string, input: { lineIds?: string[]; placedOn: string }, user: AuthenticatedUser, context: CommandContext): Promise<OrderView> {
    return this.execute(
      orderId,
      async (state) => ({ type: 'PlaceOrder', ...input, customerTenants: state.status === 'NONE' ? [] : await this.tenantsOf(state.customerId) }),
      user,
      context,
    );
  }

  /** Tenants of a customer as the order service knows them (its local copy of provisioning's events). */
  private async tenantsOf(customerId: string): Promise<TenantView[]> {
    const { items } = await this.readStore.collection<KnownTenantView>(COLLECTIONS.tenants).find({ filter: { customerId } });
    return items.map(({ id, customerId: owner, mcaAccepted }) => ({ tenantId: id, customerId: owner, mcaAccepted }));
  }

  /** A tenant the user may see; another reseller's is as unknown as one that does not exist. */
  async tenant(tenantId: string, user: AuthenticatedUser): Promise<TenantView | undefined> {
    const tenant = await this.readStore.collection<KnownTenantView>(COLLECTIONS.tenants).get(tenantId);
    if (!tenant || !canSee(user, tenant.resellerId)) return undefined;
    return { tenantId: tenant.id, customerId: tenant.customerId, mcaAccepted: tenant.mcaAccepted };
  }

  /** The order now, or as it was at `asOf` (its own events and its customer's up to then). */
  get(orderId: string, user: AuthenticatedUser, asOf?: string): Promise<OrderView> {
    return this.reads.get(orderId, user, asOf);
  }

  history(orderId: string, user: AuthenticatedUser, asOf?: string): Promise<RecordedEvent[]> {
    return this.reads.history(orderId, user, asOf);
  }

  /** 注文一覧: newest first; deleted orders leave the list unless asked for by status. */
  async list(query: OrderQuery, user: AuthenticatedUser): Promise<Page<OrderView>> {
    const filter = query.status === undefined ? LISTED_WITHOUT_STATUS : { status: query.status };
    return this.reads.listFor(user, query, { filter, matched: ['customerId'], dated: 'orderDate', sort: { orderDate: -1, createdAt: -1 } });
  }

  private assertVisible(state: OrderState, user: AuthenticatedUser, orderId: string): void {
    if (state.status === 'NONE' || !canSee(user, state.resellerId)) throw notFound('ORDER_NOT_FOUND', `Order ${orderId} not found`);
  }

  /**
   * Read-your-writes: the answer to a command shows the order as the command left it; from the
   * order's and its customer's events when the read model is late or down (X-View-Stale).
   */
  private answer(orderId: string, customerId: string | undefined): Promise<OrderView> {
    return answerAfterWrite(this.runtime, {
      what: `order ${orderId}`,
      view: () => this.readStore.collection<OrderView>(COLLECTIONS.orders).get(orderId),
      decided: async () => {
        const streams = [orderStreamId(orderId), ...(customerId ? [customerStreamId(customerId)] : [])];
        const events = (await Promise.all(streams.map((id) => this.store.readStream(id)))).flat().sort((a, b) => a.position - b.position);
        const rows = await projectEvents(events, [orderScreensProjection]);
        const view = await rows.collection<OrderView>(COLLECTIONS.orders).get(orderId);
        if (!view) throw new Error(`Order ${orderId} has no events after a write`);
        return view;
      },
    });
  }
}

/** Copies product data from the catalog; every unknown SKU is reported at its own path. */
function resolveLines(lines: { sku: string; quantity: number }[]): OrderLine[] {
  const errors: { path: string; message: string }[] = [];
  const resolved = lines.map((line, index) => {
    const product = findProduct(line.sku);
    if (!product) {
      errors.push({ path: `lines[${index}].sku`, message: `unknown product ${line.sku}` });
      return undefined;
    }
    return orderLineFor(product, newId(), line.quantity);
  });
  if (errors.length) throw invalid(errors);
  return resolved as OrderLine[];
}
