import { ContractLineTerms, ContractReference } from '@lp/integration-events';
import { conflict } from '@lp/eventsourcing';
import { SeatWindow } from '../nce-windows';
import { OpenChangeType } from './events';
import { ContractLineStatus, ContractStatus } from './statuses';

export interface ContractLineState extends ContractLineTerms {
  status: ContractLineStatus;
  startDate?: string;
  /** Set by cancellations (issue 5). */
  endDate?: string;
  cancelledOn?: string;
  /** The open change that holds this line (no other change may take it meanwhile). */
  openChangeId?: string;
  /** A line with a term (termDuration): its current term, and whether it renews at its end. */
  termStartDate?: string;
  termEndDate?: string;
  autoRenew?: boolean;
  /** When auto-renew was last switched (default: the confirmation date). */
  autoRenewChangedOn?: string;
  /** A confirmed renewal change (更新): the quantity of the next term. */
  scheduledRenewal?: { changeId: string; quantity: number };
  /** New-commerce lines: the cancellation window of the seats bought at the start and of each added batch. */
  seatWindows?: SeatWindow[];
}

/** A change as the contract remembers it: which lines it locked, and whether it is over (for redeliveries). */
export interface ChangeOnContract {
  changeId: string;
  type: OpenChangeType;
  status: 'OPEN' | 'APPLIED' | 'CLOSED';
  lineIds: string[];
}

export type ContractState =
  | { status: 'NONE' }
  | (ContractReference & {
      status: ContractStatus;
      purchaseOrderNumber?: string;
      endUserOrderNumber?: string;
      subject: string;
      contractDate: string;
      lines: ContractLineState[];
      changes: ChangeOnContract[];
    });
export type ExistingContract = Exclude<ContractState, { status: 'NONE' }>;

export const initialState = (): ContractState => ({ status: 'NONE' });

/** Every command but CreateContract needs the contract: 409, as for any command in the wrong state. */
export function existingContract(state: ContractState): ExistingContract {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The contract does not exist');
  return state;
}

/** The lines with the change's lock released, and the change marked over. */
export function release(state: ExistingContract, changeId: string, status: 'APPLIED' | 'CLOSED', lines = state.lines): ExistingContract {
  return {
    ...state,
    lines: lines.map((line) => {
      if (line.openChangeId !== changeId) return line;
      const { openChangeId: _change, ...rest } = line;
      return rest;
    }),
    changes: state.changes.map((change) => (change.changeId === changeId ? { ...change, status } : change)),
  };
}

/** A product change applied: the lines' new sku, product name and unit price. */
export function productsOf(lines: readonly { lineId: string; newSku?: string; newProductName?: string; newUnitPrice?: number }[]) {
  return new Map(
    lines
      .filter((line) => line.newSku)
      .map((line) => [line.lineId, { sku: line.newSku!, productName: line.newProductName!, unitPrice: line.newUnitPrice! }] as const),
  );
}
