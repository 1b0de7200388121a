import { isNewCommerce, windowFrom } from '../nce-windows';
import { ContractEvent, ContractTermEvent } from './events';
import { optional } from './optional-text';
import { ContractLineState, ContractState, ExistingContract, productsOf, release } from './state';
import { contractStatusOf } from './statuses';

/**
 * The contract as its events left it. An event before ContractCreated changes nothing: a contract
 * stream may hold only ContractCreationAbandoned (see ../line-reservations.ts), which is no contract.
 */
export function evolve(state: ContractState, event: ContractEvent): ContractState {
  if (event.type === 'ContractCreated') return created(event.data);
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'ContractConfirmed': {
      const confirmed = new Map(event.data.lines.map((line) => [line.lineId, line]));
      const lines = state.lines.map((line): ContractLineState => {
        const done = confirmed.get(line.lineId);
        if (!done) return line;
        const { termStartDate, termEndDate, autoRenew } = done;
        const term = termEndDate ? { termStartDate, termEndDate, autoRenew, autoRenewChangedOn: event.data.confirmedOn } : {};
        // The window confirmation counted from the vendor activation (older events: from the start date).
        const until = done.cancellationAllowedUntil ?? windowFrom(done.startDate, line.quantity).until;
        const windows = isNewCommerce(line) ? { seatWindows: [{ seats: line.quantity, until }] } : {};
        return { ...line, status: 'ACTIVE', startDate: done.startDate, subscriptionId: done.subscriptionId, ...term, ...windows };
      });
      return { ...state, status: contractStatusOf(lines), lines };
    }
    case 'ContractChangeOpened': {
      const { changeId, type } = event.data;
      const lineIds = event.data.lines.map((line) => line.lineId);
      return {
        ...state,
        lines: state.lines.map((line) => (lineIds.includes(line.lineId) ? { ...line, openChangeId: changeId } : line)),
        changes: [...state.changes, { changeId, type, status: 'OPEN', lineIds }],
      };
    }
    case 'ContractLinesCancelled': {
      const { endDate, cancelledOn } = event.data;
      const outcomes = new Map(event.data.lines.map((outcome) => [outcome.lineId, outcome]));
      const lines = state.lines.map((line): ContractLineState => {
        const outcome = outcomes.get(line.lineId);
        if (!outcome) return line;
        // A fully cancelled line keeps the quantity it ended with; a reduced one runs on with the rest.
        return outcome.status === 'CANCELLED'
          ? { ...line, status: 'CANCELLED', endDate, cancelledOn }
          : { ...line, status: 'ACTIVE', quantity: outcome.remainingQuantity };
      });
      const released = release(state, event.data.changeId, 'APPLIED', lines);
      return { ...released, status: contractStatusOf(released.lines) };
    }
    case 'ContractLineQuantitiesChanged': {
      const changed = new Map(event.data.lines.map((line) => [line.lineId, line.newQuantity]));
      const windows = new Map(event.data.lines.map((line) => [line.lineId, line.cancellationAllowedUntil]));
      const changedProducts = productsOf(event.data.lines);
      const lines = state.lines.map((line) => {
        if (!changed.has(line.lineId)) return line;
        const quantity = changed.get(line.lineId)!;
        // Added new-commerce seats get a window of their own, as the change recorded it (older events: from the day they take effect).
        const seats = quantity - line.quantity;
        const until = windows.get(line.lineId) ?? windowFrom(event.data.effectiveOn, seats).until;
        const added = isNewCommerce(line) && seats > 0 ? { seatWindows: [...(line.seatWindows ?? []), { seats, until }] } : {};
        const product = changedProducts.get(line.lineId);
        return { ...line, quantity, ...added, ...product };
      });
      return release(state, event.data.changeId, 'APPLIED', lines);
    }
    case 'ContractChangeClosed':
      return release(state, event.data.changeId, 'CLOSED');
    case 'ContractLineAutoRenewSet':
    case 'ContractLineRenewalScheduled':
    case 'ContractLineRenewed':
    case 'ContractLineEnded':
      return evolveTerms(state, event);
    default:
      return state;
  }
}

function created(data: Extract<ContractEvent, { type: 'ContractCreated' }>['data']): ContractState {
  const { contractId, contractNumber, orderId, orderNumber, resellerId, customerId, purchaseOrderNumber, endUserOrderNumber } = data;
  return {
    status: 'PENDING',
    ...{ contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
    ...optional('purchaseOrderNumber', purchaseOrderNumber),
    ...optional('endUserOrderNumber', endUserOrderNumber),
    subject: data.subject,
    contractDate: data.contractDate,
    lines: data.lines.map((line) => ({ ...line, status: 'PENDING' })),
    changes: [],
  };
}

function withLine(state: ExistingContract, lineId: string, update: (line: ContractLineState) => ContractLineState): ExistingContract {
  return { ...state, lines: state.lines.map((line) => (line.lineId === lineId ? update(line) : line)) };
}

function evolveTerms(state: ExistingContract, event: ContractTermEvent): ExistingContract {
  switch (event.type) {
    case 'ContractLineAutoRenewSet':
      return withLine(state, event.data.lineId, (line) => ({ ...line, autoRenew: event.data.autoRenew, autoRenewChangedOn: event.data.changedOn }));
    case 'ContractLineRenewalScheduled': {
      const scheduled = new Map(event.data.lines.map((line) => [line.lineId, line.quantity]));
      const lines = state.lines.map((line) =>
        scheduled.has(line.lineId) ? { ...line, scheduledRenewal: { changeId: event.data.changeId, quantity: scheduled.get(line.lineId)! } } : line,
      );
      return release(state, event.data.changeId, 'APPLIED', lines);
    }
    case 'ContractLineRenewed':
      return withLine(state, event.data.lineId, ({ scheduledRenewal: _done, ...line }) => ({
        ...line,
        quantity: event.data.quantity,
        termStartDate: event.data.termStartDate,
        termEndDate: event.data.termEndDate,
      }));
    case 'ContractLineEnded': {
      const ended = withLine(state, event.data.lineId, (line) => ({ ...line, status: 'CANCELLED', endDate: event.data.endDate }));
      return { ...ended, status: contractStatusOf(ended.lines) };
    }
  }
}
