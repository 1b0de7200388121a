import { CancellationConfirmed, ContractChangeWithdrawn, QuantityChanged, RenewalScheduled } from '@lp/integration-events';
import { ContractCommand } from './contract';

/** A change's outcome as the contract stream must apply it. */
export interface ContractOutcomeCommand {
  contractId: string;
  command: ContractCommand;
}

/**
 * The contract command that applies an event of a change's own stream to its contract (line
 * cancelled, quantity or product changed, renewal scheduled, change closed); undefined for an
 * event that does not concern the contract. The application and the worker both apply outcomes
 * through this one mapping.
 */
export function contractCommandForOutcome(event: { type: string; data: unknown }): ContractOutcomeCommand | undefined {
  switch (event.type) {
    case 'CancellationConfirmed': {
      const { data } = event as CancellationConfirmed;
      return {
        contractId: data.contractId,
        command: {
          type: 'ApplyCancellation',
          changeId: data.changeId,
          lines: data.lines.map((line) => ({ lineId: line.lineId, quantity: line.cancelledQuantity })),
          endDate: data.endDate,
          cancelledOn: data.cancelledOn,
        },
      };
    }
    case 'QuantityChanged': {
      const { data } = event as QuantityChanged;
      return {
        contractId: data.contractId,
        command: {
          type: 'ApplyQuantityChange',
          changeId: data.changeId,
          lines: data.lines.map(({ lineId, newQuantity, newSku, newProductName, newUnitPrice, vendorConfirmedOn }) => ({
            lineId,
            newQuantity,
            ...(newSku ? { newSku, newProductName, newUnitPrice } : {}),
            ...(vendorConfirmedOn ? { vendorConfirmedOn } : {}),
          })),
          effectiveOn: data.effectiveOn,
        },
      };
    }
    case 'RenewalScheduled': {
      const { data } = event as RenewalScheduled;
      return {
        contractId: data.contractId,
        command: { type: 'ApplyRenewalChange', changeId: data.changeId, lines: data.lines.map((line) => ({ lineId: line.lineId, newQuantity: line.newQuantity })) },
      };
    }
    case 'ContractChangeWithdrawn': {
      const { data } = event as ContractChangeWithdrawn;
      return { contractId: data.contractId, command: { type: 'CloseChange', changeId: data.changeId } };
    }
    default:
      return undefined;
  }
}
