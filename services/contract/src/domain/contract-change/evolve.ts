import { ContractChangeEvent } from './events';
import { ContractChangeLineState, ContractChangeState } from './state';

/** The change as its events left it; an event before ContractChangeRequested changes nothing. */
export function evolve(state: ContractChangeState, event: ContractChangeEvent): ContractChangeState {
  switch (event.type) {
    case 'ContractChangeRequested': {
      const { changeId, type, subject, requestedOn, lines, contractId, contractNumber, orderId, orderNumber, resellerId, customerId } = event.data;
      return {
        status: 'APPLIED',
        changeId,
        type,
        contract: { contractId, contractNumber, orderId, orderNumber, resellerId, customerId },
        subject,
        requestedOn,
        lines: lines.map((line) => ({ ...line, linkStatus: 'NOT_LINKED', vendorStatus: 'PENDING' })),
      };
    }
    case 'ContractChangeAccepted':
      return state.status === 'NONE' ? state : { ...state, status: 'ACCEPTED', acceptedOn: event.data.acceptedOn };
    case 'ContractChangeAcceptanceRevoked': {
      if (state.status === 'NONE') return state;
      const { acceptedOn: _accepted, ...rest } = state;
      return { ...rest, status: 'APPLIED' };
    }
    case 'CancellationLinked':
    case 'QuantityChangeLinked':
      return withLines(
        state,
        event.data.lines.map((line) => line.lineId),
        (line) => ({ ...line, linkStatus: 'LINKED', linkedOn: event.data.linkedOn }),
      );
    case 'VendorConfirmationRecorded':
      return withLines(state, [event.data.lineId], ({ vendorReason: _reason, ...line }) => ({
        ...line,
        vendorStatus: 'CONFIRMED',
        vendorConfirmedOn: event.data.confirmedOn,
      }));
    case 'VendorRefusalRecorded':
      return withLines(state, [event.data.lineId], (line) => ({ ...line, vendorStatus: 'REFUSED', vendorReason: event.data.reason }));
    case 'CancellationConfirmed':
      return state.status === 'NONE'
        ? state
        : { ...state, status: 'COMPLETED', endDate: event.data.endDate, completedOn: event.data.cancelledOn, forced: event.data.forced };
    case 'QuantityChanged':
      return state.status === 'NONE'
        ? state
        : { ...state, status: 'COMPLETED', effectiveOn: event.data.effectiveOn, completedOn: event.data.confirmedOn, forced: event.data.forced };
    case 'RenewalScheduled':
      return state.status === 'NONE' ? state : { ...state, status: 'COMPLETED', completedOn: event.data.confirmedOn };
    case 'ContractChangeWithdrawn':
      return state.status === 'NONE' ? state : { ...state, status: 'WITHDRAWN', withdrawnOn: event.data.withdrawnOn };
    default:
      return state;
  }
}

function withLines(
  state: ContractChangeState,
  lineIds: readonly string[],
  update: (line: ContractChangeLineState) => ContractChangeLineState,
): ContractChangeState {
  if (state.status === 'NONE') return state;
  return { ...state, lines: state.lines.map((line) => (lineIds.includes(line.lineId) ? update(line) : line)) };
}
