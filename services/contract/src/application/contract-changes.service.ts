import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, CommandHandler, EventStore, notFound, RecordedEvent, newId } from '@lp/eventsourcing';
import { AuthenticatedUser, canSee, todayInTokyo } from '@lp/platform';
import { Page, projectEvents, ReadStore } from '@lp/read-models';
import { answerAfterWrite, DatedListQuery, EVENT_STORE, ListOptions, READ_STORE, SERVICE_RUNTIME, ServiceRuntime, VisibleResource } from '@lp/runtime';
import { ContractCommand, contractDecider, ContractEvent, ContractState, contractStreamId, OpenChange } from '../domain/contract';
import { changeStreamId, ContractChangeCommand, contractChangeDecider, ContractChangeEvent, ContractChangeState } from '../domain/contract-change';
import { ContractChangeRow } from '../projections/contract-change-row';
import { contractChangesProjection } from '../projections/contract-changes.projection';
import { COLLECTIONS, ContractChangeView } from '../projections/views';
import { ChangeOutcomes } from './change-outcomes';
import { companyNames } from './company-names';

export interface ChangeRequestInput {
  lines?: { lineId: string; quantity?: number; sku?: string }[];
  all?: boolean;
  requestedOn?: string;
}

export interface ContractChangeQuery extends DatedListQuery {
  type?: string;
  status?: string;
  contractId?: string;
  customerId?: string;
}

/** 契約変更一覧's query: type, status, contract and customer match, from/to bound the request date, newest request first. */
export const CONTRACT_CHANGE_LIST: ListOptions<ContractChangeQuery> = {
  matched: ['type', 'status', 'contractId', 'customerId'],
  dated: 'requestedOn',
  sort: { requestedOn: -1, createdAt: -1 },
};

/**
 * A change as answered: the row plus the company names joined at read time. 顧客 and 利用者 are the
 * same company here: the customer is the one who uses the licences (no separate end-user record).
 */
export type ContractChangeAnswer = ContractChangeRow & { customerCompanyName: string; userCompanyName: string };

/** What a change command needs besides the decider: the business date, and the change it acts on. */
type ChangeCommandOf = (today: string) => ContractChangeCommand;

@Injectable()
export class ContractChangesService {
  private readonly contracts: CommandHandler<ContractCommand, ContractEvent, ContractState>;
  private readonly changes: CommandHandler<ContractChangeCommand, ContractChangeEvent, ContractChangeState>;
  private readonly reads: VisibleResource<ContractChangeView>;
  private readonly outcomes: ChangeOutcomes;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {
    this.contracts = new CommandHandler(store, contractDecider);
    this.changes = new CommandHandler(store, contractChangeDecider);
    this.reads = new VisibleResource<ContractChangeView>({
      store,
      readStore,
      collection: COLLECTIONS.changes,
      projection: contractChangesProjection,
      streamId: changeStreamId,
      firstType: 'ContractChangeRequested',
      notFound: (id) => notFound('CONTRACT_CHANGE_NOT_FOUND', `Contract change ${id} not found`),
    });
    this.outcomes = new ChangeOutcomes(store);
  }

  /** 解約手続き / 数量変更: decided on the contract (eligibility and line lock at once), then the change stream is created. */
  async request(
    contractId: string,
    changeType: OpenChange['changeType'],
    input: ChangeRequestInput,
    user: AuthenticatedUser,
    context: CommandContext,
  ): Promise<ContractChangeAnswer> {
    const changeId = newId();
    const command: OpenChange = {
      type: 'OpenChange',
      changeId,
      changeType,
      lines: input.lines,
      all: input.all,
      requestedOn: input.requestedOn,
      today: todayInTokyo(context.now),
    };
    const { events } = await this.contracts.handle(contractStreamId(contractId), command, context, {
      guard: (state) => {
        if (state.status === 'NONE' || !canSee(user, state.resellerId)) throw notFound('CONTRACT_NOT_FOUND', `Contract ${contractId} not found`);
      },
    });
    await this.outcomes.carryOverAll(events, context);
    return this.answer(changeId);
  }

  accept(changeId: string, user: AuthenticatedUser, context: CommandContext) {
    return this.handle(changeId, user, context, (today) => ({ type: 'Accept', acceptedOn: today }));
  }

  revokeAcceptance(changeId: string, user: AuthenticatedUser, context: CommandContext) {
    return this.handle(changeId, user, context, (today) => ({ type: 'RevokeAcceptance', revokedOn: today }));
  }

  link(changeId: string, kind: 'CANCELLATION' | 'QUANTITY_CHANGE' | undefined, lineIds: string[] | undefined, user: AuthenticatedUser, context: CommandContext) {
    return this.handle(changeId, user, context, (today) => ({ type: 'Link', kind, lineIds, linkedOn: today }));
  }

  confirmCancellation(changeId: string, input: { endDate: string; force?: boolean }, user: AuthenticatedUser, context: CommandContext) {
    return this.handle(changeId, user, context, (today) => ({ type: 'ConfirmCancellation', endDate: input.endDate, force: input.force, confirmedOn: today }));
  }

  confirmQuantityChange(changeId: string, input: { effectiveOn?: string; force?: boolean }, user: AuthenticatedUser, context: CommandContext) {
    return this.handle(changeId, user, context, (today) => ({
      type: 'ConfirmQuantityChange',
      effectiveOn: input.effectiveOn,
      force: input.force,
      confirmedOn: today,
    }));
  }

  /** The generic 確定: the confirmation of the change's own type. */
  confirm(changeId: string, input: { endDate?: string; effectiveOn?: string; force?: boolean }, user: AuthenticatedUser, context: CommandContext) {
    return this.handle(changeId, user, context, (today) => ({ type: 'Confirm', ...input, confirmedOn: today }));
  }

  withdraw(changeId: string, user: AuthenticatedUser, context: CommandContext) {
    return this.handle(changeId, user, context, (today) => ({ type: 'Withdraw', withdrawnOn: today }));
  }

  /** The change now, or as it was at `asOf` (its stream's events up to then; company names are today's). */
  async get(changeId: string, user: AuthenticatedUser, asOf?: string): Promise<ContractChangeAnswer> {
    const row = await this.reads.get(changeId, user, asOf);
    const [answer] = await this.answers([row]);
    return answer;
  }

  history(changeId: string, user: AuthenticatedUser, asOf?: string): Promise<RecordedEvent[]> {
    return this.reads.history(changeId, user, asOf);
  }

  /** 契約変更一覧 (CONTRACT_CHANGE_LIST). */
  async list(query: ContractChangeQuery, user: AuthenticatedUser): Promise<Page<ContractChangeAnswer>> {
    const page = await this.reads.listFor(user, query, CONTRACT_CHANGE_LIST);
    return { items: await this.answers(page.items), total: page.total };
  }

  /** A command on the change stream; what it decided that concerns the contract is applied to it at once. */
  private async handle(changeId: string, user: AuthenticatedUser, context: CommandContext, commandOf: ChangeCommandOf): Promise<ContractChangeAnswer> {
    const { events } = await this.changes.handle(changeStreamId(changeId), commandOf(todayInTokyo(context.now)), context, {
      guard: (state) => {
        if (state.status === 'NONE' || !canSee(user, state.contract.resellerId)) {
          throw notFound('CONTRACT_CHANGE_NOT_FOUND', `Contract change ${changeId} not found`);
        }
      },
    });
    await this.outcomes.carryOverAll(events, context);
    return this.answer(changeId);
  }

  /** The rows with the company names from `joined` (a scratch store without them, when the read store is away). */
  private async answers(rows: ContractChangeView[], joined: ReadStore = this.readStore): Promise<ContractChangeAnswer[]> {
    const names = await companyNames(joined, rows.map((row) => row.customerId));
    return rows.map(({ state: _state, createdAt: _created, updatedAt: _updated, ...row }) => {
      const companyName = names.get(row.customerId) ?? '';
      return { ...row, customerCompanyName: companyName, userCompanyName: companyName };
    });
  }

  /**
   * Read-your-writes: the answer shows the change (and its contract) as the command left them; from
   * the change's events when the read model is late or down (X-View-Stale), without the company names.
   */
  private answer(changeId: string): Promise<ContractChangeAnswer> {
    return answerAfterWrite(this.runtime, {
      what: `contract change ${changeId}`,
      view: async () => {
        const row = await this.readStore.collection<ContractChangeView>(COLLECTIONS.changes).get(changeId);
        return row && (await this.answers([row]))[0];
      },
      decided: async () => {
        const rows = await projectEvents(await this.store.readStream(changeStreamId(changeId)), [contractChangesProjection]);
        const row = await rows.collection<ContractChangeView>(COLLECTIONS.changes).get(changeId);
        if (!row) throw new Error(`Contract change ${changeId} has no events after a write`);
        const [answer] = await this.answers([row], rows);
        return answer;
      },
    });
  }
}
