import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, CommandHandler, EventStore, notFound, RecordedEvent } from '@lp/eventsourcing';
import { AuthenticatedUser, canSee, resellerScope } from '@lp/platform';
import { eventsUpTo, Filter, FindOptions, Page, pageOf, projectionSearch, ReadStore, timeTravel } from '@lp/read-models';
import { answerAfterWrite, EVENT_STORE, READ_STORE, SERVICE_RUNTIME, ServiceRuntime } from '@lp/runtime';
import { BillingOptions } from '../billing-options';
import { billingAccountStreamId } from '../domain/billing-account';
import { BillingLineCommand, billingLineDecider, BillingLineEvent, BillingLineState, billingLineStreamId } from '../domain/billing-line.decider';
import { UsageRecord } from '../domain/billing-line';
import { invoicesProjection } from '../projections/invoices.projection';
import { COLLECTIONS, InvoiceView } from '../projections/views';
import { BillingRunResult, BillingRuns } from './billing-runs';

export const BILLING_OPTIONS = Symbol('BILLING_OPTIONS');

export interface InvoiceQuery {
  customerId?: string;
  month?: string;
  kind?: string;
  q?: string;
  page: number;
  pageSize: number;
}

/** 請求書一覧's page: the user's reseller's documents, customer, month and kind matched, newest month first, then number. */
export function invoiceList(query: InvoiceQuery, user: AuthenticatedUser): FindOptions {
  const filter: Filter = {
    ...resellerScope(user),
    ...(query.customerId && { customerId: query.customerId }),
    ...(query.month && { month: query.month }),
    ...(query.kind && { kind: query.kind }),
    ...projectionSearch(invoicesProjection, COLLECTIONS.invoices, query.q),
  };
  return pageOf(filter, { month: -1, number: -1 }, query.page, query.pageSize);
}

@Injectable()
export class BillingService {
  private readonly runs: BillingRuns;
  private readonly lines: CommandHandler<BillingLineCommand, BillingLineEvent, BillingLineState>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(BILLING_OPTIONS) options: BillingOptions,
  ) {
    this.runs = new BillingRuns(store, readStore, options.issuer);
    this.lines = new CommandHandler(store, billingLineDecider);
  }

  /**
   * First everything published before the run is read — contract events into the schedules, the
   * customers' names from order.events (a qualified invoice needs its recipient) — then the run;
   * the invoices list shows the run's documents when it answers.
   */
  async run(month: string, context: CommandContext): Promise<BillingRunResult> {
    await this.runtime.caughtUp();
    const result = await this.runs.run(month, context);
    // Committed: a read store that is late or down marks the answer stale instead of failing it.
    return answerAfterWrite(this.runtime, { what: `the billing run of ${month}`, view: async () => result, decided: () => result });
  }

  /** 利用実績の取込: usage of a usage-billed line, charged on the next month's invoice; a re-import is a no-op. */
  async recordUsage(usage: UsageRecord, user: AuthenticatedUser, context: CommandContext): Promise<{ recorded: boolean }> {
    const { events } = await this.lines.handle(billingLineStreamId(usage.lineId), { type: 'RecordUsage', usage }, context, {
      guard: (state) => {
        if (state.status !== 'NONE' && !canSee(user, state.line.resellerId)) throw notFound('LINE_NOT_FOUND', `Line ${usage.lineId} not found`);
      },
    });
    const recorded = { recorded: events.length > 0 };
    return answerAfterWrite(this.runtime, { what: `the usage of billing line ${usage.lineId}`, view: async () => recorded, decided: () => recorded });
  }

  /** 請求書一覧 (invoiceList). */
  async list(query: InvoiceQuery, user: AuthenticatedUser): Promise<Page<InvoiceView>> {
    return this.readStore.collection<InvoiceView>(COLLECTIONS.invoices).find(invoiceList(query, user));
  }

  /**
   * The document now, or as it was at `asOf`: rebuilt from its customer's billing stream up to then
   * (the live row names that customer, who never changes), so one not yet issued is "not found".
   */
  async get(id: string, user: AuthenticatedUser, asOf?: string): Promise<InvoiceView> {
    const notFoundError = () => notFound('INVOICE_NOT_FOUND', `Invoice ${id} not found`);
    const row = await this.readStore.collection<InvoiceView>(COLLECTIONS.invoices).get(id);
    if (!row || !canSee(user, row.resellerId)) throw notFoundError();
    if (!asOf) return row;
    const then = await timeTravel(this.store, { projections: [invoicesProjection], streamIds: [billingAccountStreamId(row.customerId)], asOf });
    const issued = await then.collection<InvoiceView>(COLLECTIONS.invoices).get(id);
    if (!issued) throw notFoundError();
    return issued;
  }

  /** The document's own events on its customer's billing stream (an invoice never changes: one event). */
  async history(id: string, user: AuthenticatedUser, asOf?: string): Promise<RecordedEvent[]> {
    const row = await this.get(id, user, asOf);
    const all = await this.store.readStream(billingAccountStreamId(row.customerId));
    const events = asOf ? eventsUpTo(all, asOf) : all;
    return events.filter((event) => {
      const data = event.data as { invoiceId?: string; creditNoteId?: string };
      return data.invoiceId === id || data.creditNoteId === id;
    });
  }
}
