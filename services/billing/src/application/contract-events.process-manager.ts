import { CommandHandler, EventEnvelope, EventStore } from '@lp/eventsourcing';
import { CancellationConfirmed, ContractConfirmed, ContractLineEnded, ContractLineRenewed, QuantityChanged, TOPICS } from '@lp/integration-events';
import { EventBus } from '@lp/messaging';
import { BusReactor } from '@lp/runtime';
import { billingLineDecider } from '../domain/billing-line.decider';
import {
  fromCancellationConfirmed,
  fromContractConfirmed,
  fromContractLineEnded,
  fromContractLineRenewed,
  fromQuantityChanged,
  LineCommand,
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
  return new BusReactor({
    name: CONTRACT_EVENTS_GROUP,
    bus,
    groupId: CONTRACT_EVENTS_GROUP,
    topics: [TOPICS.contract],
    eventTypes: ['ContractConfirmed', 'QuantityChanged', 'CancellationConfirmed', 'ContractLineRenewed', 'ContractLineEnded'],
    async handle(envelope) {
      const context = { actor: { id: CONTRACT_EVENTS_GROUP }, correlationId: envelope.correlationId, causationId: envelope.eventId, now: now() };
      for (const { streamId, command } of lineCommandsOf(envelope as EventEnvelope<BilledContractEvent>)) await lines.handle(streamId, command, context);
    },
  });
}
