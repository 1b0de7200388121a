import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, CommandHandler, conflict, DomainError, EventStore, notFound, RecordedEvent, newId } from '@lp/eventsourcing';
import { AuthenticatedUser, canSee, todayInTokyo } from '@lp/platform';
import { Page, projectEvents, ReadCollection, ReadStore } from '@lp/read-models';
import { answerAfterWrite, DatedListQuery, EVENT_STORE, ListOptions, READ_STORE, SERVICE_RUNTIME, ServiceRuntime, waitFor, VisibleResource } from '@lp/runtime';
import { ContractCommand, contractDecider, ContractEvent, ContractState, contractStreamId, CreateContract, isChargedOn, KnownOrder } from '../domain/contract';
import { contractScreensProjection } from '../projections/contracts.projection';
import { COLLECTIONS, ContractView, KnownChargingView, KnownOrderView, KnownSubscriptionView } from '../projections/views';
import { companyNames } from './company-names';
import { ContractNumbers } from './contract-numbers';
import { LineReservations } from './line-reservations.store';
import { RenewalRunResult, RenewalRuns } from './renewal-runs';

/**
 * How long to wait for order's OrderPlaced to reach this service before answering 404 / 422: the
 * client may create the contract right after order answered the placement.
 */
const ORDER_ARRIVAL_TIMEOUT_MS = 2000;

export interface CreateContractInput {
  orderId: string;
  lineIds: string[];
  subject: string;
  subjectForForms: string;
  contractDate: string;
  paymentMethod?: string;
  storeNotes?: string;
  contractNumber?: string;
}

export interface ContractQuery extends DatedListQuery {
  status?: string;
  customerId?: string;
}

/** 契約一覧's query: status and customer match, from/to bound the contract date, newest first (contract date, then creation). */
export const CONTRACT_LIST: ListOptions<ContractQuery> = { matched: ['status', 'customerId'], dated: 'contractDate', sort: { contractDate: -1, createdAt: -1 } };

/** A contract as answered: the row plus what is joined at read time (company name, subscriptions not yet confirmed). */
export type ContractAnswer = ContractView & { customerCompanyName: string };

@Injectable()
export class ContractsService {
  private readonly contracts: CommandHandler<ContractCommand, ContractEvent, ContractState>;
  private readonly reads: VisibleResource<ContractView>;
  private readonly numbers: ContractNumbers;
  private readonly reservations: LineReservations;
  private readonly renewals: RenewalRuns;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {
    this.contracts = new CommandHandler(store, contractDecider);
    this.reads = new VisibleResource<ContractView>({
      store,
      readStore,
      collection: COLLECTIONS.contracts,
      projection: contractScreensProjection,
      streamId: contractStreamId,
      firstType: 'ContractCreated',
      notFound: (id) => notFound('CONTRACT_NOT_FOUND', `Contract ${id} not found`),
    });
    this.numbers = new ContractNumbers(store);
    this.reservations = new LineReservations(store);
    this.renewals = new RenewalRuns(store, readStore);
  }

  /** 自動更新 on or off for a line with a term (422 NO_TERM otherwise); the same value again changes nothing. */
  async setAutoRenew(contractId: string, lineId: string, autoRenew: boolean, user: AuthenticatedUser, context: CommandContext): Promise<ContractAnswer> {
    const command: ContractCommand = { type: 'SetAutoRenew', lineId, autoRenew, changedOn: todayInTokyo(context.now) };
    await this.contracts.handle(contractStreamId(contractId), command, context, { guard: (state) => this.assertVisible(state, user, contractId) });
    return this.answer(contractId);
  }

  /** A renewal run for every reseller's contracts: what the daily timer does, on demand (idempotent). */
  async runRenewals(date: string, context: CommandContext): Promise<RenewalRunResult> {
    await this.runtime.projectionsCaughtUp();
    const result = await this.renewals.run(date, context);
    // Committed: a read store that is late or down marks the answer stale instead of failing it.
    return answerAfterWrite(this.runtime, { what: `the renewal run of ${date}`, view: async () => result, decided: () => result });
  }

  /**
   * The handler's check decides with a blank number first (a refused contract burns no number and
   * reserves no line), then the lines are reserved, then the number drawn, then ContractCreated is
   * appended. See line-reservations.ts for a crash between the appends.
   */
  async create(input: CreateContractInput, user: AuthenticatedUser, context: CommandContext): Promise<ContractAnswer> {
    const order = await this.knownOrder(input.orderId, input.lineIds, user);
    const contractId = newId();
    const command: CreateContract = {
      type: 'CreateContract',
      contractId,
      contractNumber: '',
      order,
      lineIds: input.lineIds,
      contractedLineIds: await this.reservations.surelyHeldLineIds(order.orderId, input.lineIds, context.now),
      subject: input.subject,
      subjectForForms: input.subjectForForms,
      contractDate: input.contractDate,
      paymentMethod: input.paymentMethod,
      storeNotes: input.storeNotes,
    };
    // The reservation is the guard once taken; the contract stream is appended with 'no_stream'.
    const reserved: CreateContract = { ...command, contractedLineIds: [] };
    let numbered = false;
    await this.contracts.handle(
      contractStreamId(contractId),
      async (_state, { check }) => {
        if (numbered) return reserved;
        check(command);
        reserved.contractNumber = await this.reserveLinesAndNumber(command, input.contractNumber?.trim(), context);
        numbered = true;
        return reserved;
      },
      context,
    );
    return this.answer(contractId);
  }

  /** The lines, then the contract number (the hand-given one or the next of the contract date); a refused number releases the lines. */
  private async reserveLinesAndNumber(command: CreateContract, handNumber: string | undefined, context: CommandContext): Promise<string> {
    if (handNumber && (await this.numbers.isTaken(handNumber))) {
      // The refusal reserve() would give, before any line is reserved; reserve() below stays the atomic check.
      throw conflict('DUPLICATE_CONTRACT_NUMBER', `Contract number ${handNumber} is already used`);
    }
    const reservation = { contractId: command.contractId, orderId: command.order.orderId, lineIds: command.lineIds };
    await this.reservations.reserve(reservation, context);
    try {
      if (handNumber) await this.numbers.reserve(handNumber, command.contractId, context);
      return handNumber || (await this.numbers.next(command.contractDate.trim(), command.contractId, context));
    } catch (error) {
      if (error instanceof DomainError) await this.reservations.release(reservation, context);
      throw error;
    }
  }

  async confirm(contractId: string, input: { lineIds?: string[]; startDate?: string }, user: AuthenticatedUser, context: CommandContext) {
    const row = await this.row(contractId, user);
    const subscriptions = this.readStore.collection<KnownSubscriptionView>(COLLECTIONS.subscriptions);
    const known = await Promise.all(row.lines.map((line) => subscriptions.get(line.orderLineId)));
    const command: ContractCommand = {
      type: 'ConfirmLines',
      lineIds: input.lineIds,
      startDate: input.startDate,
      confirmedOn: todayInTokyo(context.now),
      subscriptions: known
        .filter((subscription): subscription is KnownSubscriptionView => !!subscription)
        .map(({ id, subscriptionId, status }) => ({ orderLineId: id, subscriptionId, status })),
    };
    await this.contracts.handle(contractStreamId(contractId), command, context, { guard: (state) => this.assertVisible(state, user, contractId) });
    return this.answer(contractId);
  }

  /**
   * The contract now, or as it was at `asOf` (its stream's events up to then). What answers() joins
   * from other services (the company name, a subscription id reported before confirmation) is today's.
   */
  async get(contractId: string, user: AuthenticatedUser, asOf?: string): Promise<ContractAnswer> {
    const [answer] = await this.answers([await this.row(contractId, user, asOf)]);
    return answer;
  }

  /** Only a stream that starts with ContractCreated is a contract (see line-reservations.ts for the others). */
  history(contractId: string, user: AuthenticatedUser, asOf?: string): Promise<RecordedEvent[]> {
    return this.reads.history(contractId, user, asOf);
  }

  /** 契約一覧 (CONTRACT_LIST). */
  async list(query: ContractQuery, user: AuthenticatedUser): Promise<Page<ContractAnswer>> {
    const page = await this.reads.listFor(user, query, CONTRACT_LIST);
    return { items: await this.answers(page.items), total: page.total };
  }

  /**
   * The order as this service knows it, waiting briefly until it (and every asked-for line) has
   * arrived over the bus; another reseller's order is "not found".
   */
  private async knownOrder(orderId: string, lineIds: string[], user: AuthenticatedUser): Promise<KnownOrder> {
    const orders = this.readStore.collection<KnownOrderView>(COLLECTIONS.orders);
    const complete = async () => {
      const order = await orders.get(orderId);
      return order && lineIds.every((id) => order.placedLines.some((line) => line.orderLineId === id)) ? order : undefined;
    };
    const order = (await waitFor(complete, ORDER_ARRIVAL_TIMEOUT_MS)) ?? (await orders.get(orderId));
    if (!order || !canSee(user, order.resellerId)) throw notFound('ORDER_NOT_FOUND', `Order ${orderId} not found`);
    // Subscriptions provisioning already reported go into ContractCreated's lines ("when known").
    const subscriptions = this.readStore.collection<KnownSubscriptionView>(COLLECTIONS.subscriptions);
    const placedLines = await Promise.all(
      order.placedLines.map(async (line) => {
        const subscriptionId = line.subscriptionId ?? (await subscriptions.get(line.orderLineId))?.subscriptionId;
        return subscriptionId ? { ...line, subscriptionId } : line;
      }),
    );
    const { id, resellerId, customerId, orderNumber, purchaseOrderNumber, endUserOrderNumber } = order;
    return { orderId: id, orderNumber, resellerId, customerId, purchaseOrderNumber, endUserOrderNumber, placedLines };
  }

  private row(contractId: string, user: AuthenticatedUser, asOf?: string): Promise<ContractView> {
    return this.reads.get(contractId, user, asOf);
  }

  /**
   * Joins what other services own: the customer's company name, subscription ids provisioning
   * reported before confirmation, and the billing flag from billing's charging periods; from
   * `joined` (a scratch store without them, when the read store is away).
   */
  private async answers(rows: ContractView[], joined: ReadStore = this.readStore): Promise<ContractAnswer[]> {
    const subscriptions = joined.collection<KnownSubscriptionView>(COLLECTIONS.subscriptions);
    const charging = joined.collection<KnownChargingView>(COLLECTIONS.charging);
    const names = await companyNames(joined, rows.map((row) => row.customerId));
    const today = todayInTokyo(new Date());
    return Promise.all(
      rows.map(async (row) => ({
        ...row,
        billing: await this.chargedToday(row, charging, today),
        customerCompanyName: names.get(row.customerId) ?? '',
        lines: await Promise.all(
          row.lines.map(async (line) => (line.subscriptionId ? line : { ...line, subscriptionId: (await subscriptions.get(line.orderLineId))?.subscriptionId ?? null })),
        ),
      })),
    );
  }

  private async chargedToday(row: ContractView, charging: ReadCollection<KnownChargingView>, today: string): Promise<boolean> {
    const { items } = await charging.find({ filter: { contractId: row.id }, limit: 1000 });
    return isChargedOn(
      today,
      row.lines.map((line) => ({ status: line.status, periods: items.filter((period) => period.lineId === line.id) })),
    );
  }

  private assertVisible(state: ContractState, user: AuthenticatedUser, contractId: string): void {
    if (state.status === 'NONE' || !canSee(user, state.resellerId)) throw notFound('CONTRACT_NOT_FOUND', `Contract ${contractId} not found`);
  }

  /**
   * Read-your-writes: the answer to a command shows the contract as the command left it; from the
   * contract's events when the read model is late or down (X-View-Stale), then without what only
   * the read store knows (the company name, subscriptions not yet confirmed, billing's periods).
   */
  private answer(contractId: string): Promise<ContractAnswer> {
    return answerAfterWrite(this.runtime, {
      what: `contract ${contractId}`,
      view: async () => {
        const row = await this.readStore.collection<ContractView>(COLLECTIONS.contracts).get(contractId);
        return row && (await this.answers([row]))[0];
      },
      decided: async () => {
        const rows = await projectEvents(await this.store.readStream(contractStreamId(contractId)), [contractScreensProjection]);
        const row = await rows.collection<ContractView>(COLLECTIONS.contracts).get(contractId);
        if (!row) throw new Error(`Contract ${contractId} has no events after a write`);
        const [answer] = await this.answers([row], rows);
        return answer;
      },
    });
  }
}
