import { aggregateStream, CommandContext, CommandHandler, contextCausedBy, EventEnvelope, EventStore } from '@lp/eventsourcing';
import { CancellationConfirmed, ContractConfirmed, ContractLineEnded, ContractLineRenewed, QuantityChanged, TOPICS } from '@lp/integration-events';
import { EventBus } from '@lp/messaging';
import { BusReactor } from '@lp/runtime';
import { billingLineDecider, BillingLineCommand, billingLineStreamId } from '../domain/billing-line.decider';
import { addDays } from '../domain/dates';
import {
  fromCancellationConfirmed,
  fromContractConfirmed,
  fromContractLineEnded,
  fromContractLineRenewed,
  fromQuantityChanged,
  LineCommand,
  ProductSwitch,
  productStreamId,
  productSwitchesOf,
} from '../domain/from-contract-events';

export const CONTRACT_EVENTS_GROUP = 'billing.contract-events';

type BilledContractEvent = ContractConfirmed | QuantityChanged | CancellationConfirmed | ContractLineRenewed | ContractLineEnded;

function lineCommandsOf(event: BilledContractEvent): LineCommand[] {
  switch (event.type) {
    case 'ContractConfirmed':
      return fromContractConfirmed(event);
    case 'QuantityChanged':
      return fromQuantityChanged(event);
    case 'CancellationConfirmed':
      return fromCancellationConfirmed(event);
    case 'ContractLineRenewed':
      return fromContractLineRenewed(event);
    case 'ContractLineEnded':
      return fromContractLineEnded(event);
  }
}

/**
 * The billing schedules, built only from the contract service's events (contract.events): each
 * confirmed line, add, reduction and cancellation lands on its line's `billingLine-<lineId>` stream.
 * The decider ignores what it has seen (by line and change id), so a redelivery never double-charges.
 */
export function contractEventsProcessManager(store: EventStore, bus: EventBus, now: () => Date = () => new Date()): BusReactor {
  const lines = new CommandHandler(store, billingLineDecider);

  /** The stream the line bills on for `sku`: its first product's, or the stream a product change started for it. */
  async function streamFor(lineId: string, sku: string | undefined): Promise<string> {
    const first = billingLineStreamId(lineId);
    if (!sku) return first;
    const { state } = await aggregateStream(store, first, billingLineDecider);
    return state.status === 'NONE' || state.line.sku === sku ? first : productStreamId(lineId, sku);
  }

  /**
   * The old product ends the day before the change takes effect; the new one starts billing from it,
   * on its own stream. Each policy decides what that means on invoices (by days, or from a 1st).
   */
  async function switchProduct(change: ProductSwitch, context: CommandContext): Promise<void> {
    const from = await streamFor(change.lineId, change.fromSku);
    const { state } = await aggregateStream(store, from, billingLineDecider);
    if (state.status === 'NONE') throw new Error(`A product change for line ${change.lineId}, whose billing never started`);
    const ending: BillingLineCommand = {
      type: 'CancelLine',
      cancellation: {
        changeId: change.changeId,
        requestedOn: change.requestedOn,
        endDate: addDays(change.effectiveOn, -1),
        cancelledOn: change.confirmedOn,
        reason: 'PRODUCT_CHANGE',
      },
    };
    await lines.handle(from, ending, context);
    const { changes: _changes, cancellation: _cancellation, ...line } = state.line;
    const starting: BillingLineCommand = {
      type: 'StartLineBilling',
      contract: state.contract,
      line: {
        ...line,
        sku: change.newSku,
        productName: change.newProductName,
        unitPrice: change.newUnitPrice,
        quantity: change.newQuantity,
        startDate: change.effectiveOn,
        productChangedOn: change.effectiveOn,
      },
    };
    const streamId = productStreamId(change.lineId, change.newSku);
    await lines.handle(streamId, { ...starting, scheduleId: streamId.slice('billingLine-'.length) }, context);
  }

  return new BusReactor({
    name: CONTRACT_EVENTS_GROUP,
    bus,
    groupId: CONTRACT_EVENTS_GROUP,
    topics: [TOPICS.contract],
    eventTypes: ['ContractConfirmed', 'QuantityChanged', 'CancellationConfirmed', 'ContractLineRenewed', 'ContractLineEnded'],
    async handle(envelope) {
      const context = contextCausedBy(envelope, CONTRACT_EVENTS_GROUP, now());
      const event = envelope as EventEnvelope<BilledContractEvent>;
      for (const { streamId, command, sku } of lineCommandsOf(event)) {
        const lineId = streamId.slice('billingLine-'.length);
        await lines.handle(sku ? await streamFor(lineId, sku) : streamId, command, context);
      }
      if (event.type === 'QuantityChanged') for (const change of productSwitchesOf(event)) await switchProduct(change, context);
    },
  });
}
