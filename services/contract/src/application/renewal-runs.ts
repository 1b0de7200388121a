import { Logger } from '@nestjs/common';
import { CommandContext, CommandHandler, EventStore, newId } from '@lp/eventsourcing';
import { todayInTokyo } from '@lp/platform';
import { ReadStore } from '@lp/read-models';
import { BackgroundWorker } from '@lp/runtime';
import { ContractCommand, contractDecider, ContractEvent, ContractState, contractStreamId } from '../domain/contract';
import { COLLECTIONS, ContractView } from '../projections/views';

export interface RenewalRunResult {
  date: string;
  /** Line terms renewed (one per line and term). */
  renewed: number;
  /** Lines ended on their term end (auto-renew off). */
  ended: number;
  contracts: { contractId: string; contractNumber: string; renewedLineIds: string[]; endedLineIds: string[] }[];
}

const PAGE = 500;
export const RENEWAL_TIMER = 'contract.renewal-timer';

/**
 * A renewal run: every active contract with a term that ended before `date` is decided on its own
 * stream (RenewTerms). The decider only renews terms still due, and the append carries the revision
 * it decided on, so runs racing each other (two replicas' timers, a timer and an operator) renew
 * each term once: the loser reloads, finds nothing due and appends nothing.
 */
export class RenewalRuns {
  private readonly contracts: CommandHandler<ContractCommand, ContractEvent, ContractState>;

  constructor(
    store: EventStore,
    private readonly readStore: ReadStore,
  ) {
    this.contracts = new CommandHandler(store, contractDecider);
  }

  async run(date: string, context: CommandContext): Promise<RenewalRunResult> {
    const result: RenewalRunResult = { date, renewed: 0, ended: 0, contracts: [] };
    for (const row of await this.dueContracts(date)) {
      const { events } = await this.contracts.handle(contractStreamId(row.id), { type: 'RenewTerms', asOf: date, renewedOn: todayInTokyo(context.now) }, context);
      const lineIds = (type: string) => events.filter((event) => event.type === type).map((event) => (event.data as { lineId: string }).lineId);
      const renewedLineIds = lineIds('ContractLineRenewed');
      const endedLineIds = lineIds('ContractLineEnded');
      if (!events.length) continue;
      result.renewed += renewedLineIds.length;
      result.ended += endedLineIds.length;
      result.contracts.push({ contractId: row.id, contractNumber: row.contractNumber, renewedLineIds, endedLineIds });
    }
    return result;
  }

  /** Ids first, then the writes: a contract that ends moves out of the ACTIVE filter while we page. */
  private async dueContracts(date: string): Promise<ContractView[]> {
    const collection = this.readStore.collection<ContractView>(COLLECTIONS.contracts);
    const due: ContractView[] = [];
    for (let skip = 0; ; skip += PAGE) {
      const page = await collection.find({ filter: { status: 'ACTIVE' }, sort: { createdAt: 1 }, skip, limit: PAGE });
      due.push(...page.items.filter((row) => row.lines.some((line) => line.status === 'ACTIVE' && line.termEndDate !== null && line.termEndDate < date)));
      if (page.items.length < PAGE) return due;
    }
  }
}

const logger = new Logger(RENEWAL_TIMER);

/**
 * The daily renewal run of each running contract service: today's date (Asia/Tokyo), every interval.
 * A failed run (the store or read model down a moment) is logged with its correlation id and tried
 * again at the next tick — renewals are idempotent, and a line due yesterday is still due today.
 */
export function renewalTimer(runs: Pick<RenewalRuns, 'run'>, intervalMs: number, now: () => Date = () => new Date()): BackgroundWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    const at = now();
    const date = todayInTokyo(at);
    const id = newId();
    running = running
      .then(() => runs.run(date, { actor: { id: RENEWAL_TIMER }, correlationId: id, causationId: id, now: at }))
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        logger.error(`Renewal run for ${date} failed (correlation ${id}); it runs again in ${intervalMs} ms: ${failure.message}`, failure.stack);
      });
  };
  return {
    name: RENEWAL_TIMER,
    async start() {
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    caughtUp: () => running.then(() => undefined),
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
