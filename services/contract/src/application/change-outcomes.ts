import { CheckpointStore, CommandContext, CommandHandler, contextCausedBy, EventStore, RecordedEvent } from '@lp/eventsourcing';
import { StoreReactor } from '@lp/runtime';
import { ContractChangeOpened, ContractCommand, contractDecider, ContractEvent, ContractState, contractStreamId } from '../domain/contract';
import { contractCommandForOutcome } from '../domain/change-outcome';
import {
  changeStreamId,
  ContractChangeCommand,
  contractChangeDecider,
  ContractChangeEvent,
  ContractChangeState,
  requestChangeFrom,
} from '../domain/contract-change';

export const CHANGE_OUTCOMES_WORKER = 'contract.change-outcomes';

/** The events that must be carried from one of the two streams to the other. */
export const CROSS_STREAM_EVENT_TYPES = ['ContractChangeOpened', 'CancellationConfirmed', 'QuantityChanged', 'RenewalScheduled', 'ContractChangeWithdrawn'];

/** A request and the worker may write the same stream at once: the handler's loser reloads and decides again (then a no-op). */
const MAX_ATTEMPTS = 5;

/**
 * A contract change lives on two streams: the contract holds the line lock and the outcome, the
 * `contractChange-<id>` stream the change's own life. Each event that concerns the other stream is
 * carried over here: ContractChangeOpened creates the change; CancellationConfirmed /
 * QuantityChanged / ContractChangeWithdrawn apply to (or release) the contract. Every step is
 * idempotent in its decider, so the request does it at once (read-your-writes) and the worker
 * (a checkpointed reactor on the store) does it again after a crash between the two appends.
 */
export class ChangeOutcomes {
  private readonly contracts: CommandHandler<ContractCommand, ContractEvent, ContractState>;
  private readonly changes: CommandHandler<ContractChangeCommand, ContractChangeEvent, ContractChangeState>;

  constructor(store: EventStore) {
    this.contracts = new CommandHandler(store, contractDecider, { maxAttempts: MAX_ATTEMPTS });
    this.changes = new CommandHandler(store, contractChangeDecider, { maxAttempts: MAX_ATTEMPTS });
  }

  async carryOver(event: Pick<RecordedEvent, 'type' | 'data'>, context: CommandContext): Promise<void> {
    switch (event.type) {
      case 'ContractChangeOpened': {
        const opened = event as ContractChangeOpened;
        await this.changes.handle(changeStreamId(opened.data.changeId), requestChangeFrom(opened), context);
        return;
      }
      default: {
        const outcome = contractCommandForOutcome(event);
        if (outcome) return this.onContract(outcome.contractId, context, outcome.command);
      }
    }
  }

  /** Carries over every event of a command's outcome that needs it. */
  async carryOverAll(events: readonly RecordedEvent[], context: CommandContext): Promise<void> {
    for (const event of events) await this.carryOver(event, context);
  }

  private async onContract(contractId: string, context: CommandContext, command: ContractCommand): Promise<void> {
    await this.contracts.handle(contractStreamId(contractId), command, context);
  }
}

/** The safety net: replays what a crashed request did not carry over (checkpoint beside the events). */
export function changeOutcomesReactor(store: EventStore, checkpoints: CheckpointStore, now: () => Date = () => new Date()): StoreReactor {
  const outcomes = new ChangeOutcomes(store);
  return new StoreReactor({
    name: CHANGE_OUTCOMES_WORKER,
    store,
    checkpoints,
    filter: { streamPrefixes: ['contract-', 'contractChange-'] },
    eventTypes: CROSS_STREAM_EVENT_TYPES,
    // One change at a time: its opening and its outcome are carried over in order.
    keyOf: (event) => (event.data as { changeId: string }).changeId,
    handle: (event) => outcomes.carryOver(event, contextCausedBy(event, CHANGE_OUTCOMES_WORKER, now())),
  });
}
