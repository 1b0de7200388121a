import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, CommandHandler, conflict, EventStore, notFound, RecordedEvent, withMetadata, WrongExpectedVersionError, newId } from '@lp/eventsourcing';
import { AuthenticatedUser, canSee, ResellerDirectory, todayInTokyo } from '@lp/platform';
import { projectEvents, ReadStore } from '@lp/read-models';
import { answerAfterWrite, EVENT_STORE, READ_STORE, SERVICE_RUNTIME, ServiceRuntime, waitFor, VisibleResource } from '@lp/runtime';
import { AgreementContact, Attester, TenantCommand, tenantDecider, TenantState, tenantStreamId } from '../domain/tenant';
import { tenantsProjection } from '../projections/tenants.projection';
import { COLLECTIONS, KnownCustomerView, TenantView } from '../projections/views';

/** How long to wait for order's CustomerRegistered to reach this service before saying "not found". */
const CUSTOMER_ARRIVAL_TIMEOUT_MS = 3000;

@Injectable()
export class TenantsService {
  private readonly tenants;
  private readonly reads: VisibleResource<TenantView>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    private readonly resellers: ResellerDirectory,
  ) {
    this.tenants = new CommandHandler(store, tenantDecider);
    this.reads = new VisibleResource<TenantView>({
      store,
      readStore,
      collection: COLLECTIONS.tenants,
      projection: tenantsProjection,
      streamId: tenantStreamId,
      notFound: (id) => notFound('TENANT_NOT_FOUND', `Tenant ${id} not found`),
    });
  }

  async register(customerId: string, input: { tenantId: string; primaryDomain: string }, user: AuthenticatedUser, context: CommandContext) {
    const customers = this.readStore.collection<KnownCustomerView>(COLLECTIONS.customers);
    const customer = await waitFor(() => customers.get(customerId), CUSTOMER_ARRIVAL_TIMEOUT_MS);
    if (!customer || !canSee(user, customer.resellerId)) throw notFound('CUSTOMER_NOT_FOUND', `Customer ${customerId} not found`);
    const id = newId();
    await this.claimMicrosoftTenant(customer.resellerId, input.tenantId, id, context);
    await this.tenants.handle(
      tenantStreamId(id),
      { type: 'RegisterTenant', tenantId: id, resellerId: customer.resellerId, customerId, microsoftTenantId: input.tenantId.toLowerCase(), primaryDomain: input.primaryDomain },
      context,
    );
    return this.answer(id);
  }

  async attest(tenantId: string, input: AgreementContact & { acceptedOn: string }, user: AuthenticatedUser, context: CommandContext) {
    const { acceptedOn, ...contact } = input;
    return this.execute(tenantId, { type: 'AttestCustomerAgreement', contact, acceptedOn, today: todayInTokyo(context.now), attester: this.attesterOf(user) }, user, context);
  }

  async recordDirectAcceptance(tenantId: string, acceptedOn: string, user: AuthenticatedUser, context: CommandContext) {
    return this.execute(tenantId, { type: 'RecordDirectAcceptance', acceptedOn, today: todayInTokyo(context.now) }, user, context);
  }

  async listForCustomer(customerId: string, user: AuthenticatedUser) {
    const customer = await this.readStore.collection<KnownCustomerView>(COLLECTIONS.customers).get(customerId);
    if (!customer || !canSee(user, customer.resellerId)) throw notFound('CUSTOMER_NOT_FOUND', `Customer ${customerId} not found`);
    const page = await this.readStore.collection<TenantView>(COLLECTIONS.tenants).find({ filter: { customerId }, sort: { registeredAt: 1 } });
    return { items: page.items, page: 1, pageSize: page.total, total: page.total };
  }

  /** The tenant now, or as it was at `asOf` (its stream's events up to then). */
  get(tenantId: string, user: AuthenticatedUser, asOf?: string): Promise<TenantView> {
    return this.reads.get(tenantId, user, asOf);
  }

  history(tenantId: string, user: AuthenticatedUser, asOf?: string): Promise<RecordedEvent[]> {
    return this.reads.history(tenantId, user, asOf);
  }

  private async execute(tenantId: string, command: TenantCommand, user: AuthenticatedUser, context: CommandContext) {
    const guard = (state: TenantState) => {
      if (!state.exists || !canSee(user, state.resellerId)) throw notFound('TENANT_NOT_FOUND', `Tenant ${tenantId} not found`);
    };
    await this.tenants.handle(tenantStreamId(tenantId), command, context, { guard });
    return this.answer(tenantId);
  }

  private attesterOf(user: AuthenticatedUser): Attester {
    if (!user.resellerId) return { kind: 'distributor' };
    const reseller = this.resellers.get(user.resellerId);
    // An unknown reseller is treated as indirect: the safe side of "who may attest".
    return { kind: 'reseller', resellerType: reseller?.billingModel ?? 'INDIRECT_RESELLER' };
  }

  /**
   * One record per Microsoft tenant and reseller, claimed atomically: a Microsoft tenant may have
   * several partners, so another reseller's registration of the same GUID is no conflict (and
   * telling it would reveal their customer).
   */
  private async claimMicrosoftTenant(resellerId: string, microsoftTenantId: string, id: string, context: CommandContext) {
    const guid = microsoftTenantId.toLowerCase();
    const duplicate = () => conflict('DUPLICATE_TENANT', `Microsoft tenant ${microsoftTenantId} is already registered`);
    if (await this.claimedBeforePerReseller(resellerId, guid)) throw duplicate();
    try {
      await this.store.appendToStream(
        microsoftTenantClaimStream(resellerId, guid),
        withMetadata([{ type: 'MicrosoftTenantClaimed', data: { microsoftTenantId, tenantId: id, resellerId } }], context),
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw duplicate();
      throw error;
    }
  }

  /** Claims made before they were per reseller (stream keyed by the GUID alone) still count for their own reseller. */
  private async claimedBeforePerReseller(resellerId: string, guid: string): Promise<boolean> {
    const [claim] = await this.store.readStream(`microsoftTenant-${guid}`);
    const tenantId = (claim?.data as { tenantId?: string } | undefined)?.tenantId;
    if (!tenantId) return false;
    const tenant = await this.readStore.collection<TenantView>(COLLECTIONS.tenants).get(tenantId);
    return tenant?.resellerId === resellerId;
  }

  /** Read-your-writes; from the tenant's events when the read model is late or down (X-View-Stale). */
  private answer(tenantId: string): Promise<TenantView> {
    const tenant = (rows: ReadStore) => rows.collection<TenantView>(COLLECTIONS.tenants).get(tenantId);
    return answerAfterWrite(this.runtime, {
      what: `tenant ${tenantId}`,
      view: () => tenant(this.readStore),
      decided: async () => (await tenant(await projectEvents(await this.store.readStream(tenantStreamId(tenantId)), [tenantsProjection])))!,
    });
  }
}

/** `microsoftTenant-<reseller>:<guid>`: the reservation of a Microsoft tenant GUID within one reseller. */
export function microsoftTenantClaimStream(resellerId: string, microsoftTenantId: string): string {
  return `microsoftTenant-${resellerId}:${microsoftTenantId.toLowerCase()}`;
}
