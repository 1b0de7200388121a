import { ContractChangeLine, ContractChangeType, ContractReference } from '@lp/integration-events';
import { conflict } from '@lp/eventsourcing';
import { CONTRACT_CHANGE_STATUS_LABELS, ContractChangeStatus, LinkStatus, VendorStatus } from './statuses';

export interface ContractChangeLineState extends ContractChangeLine {
  linkStatus: LinkStatus;
  linkedOn?: string;
  vendorStatus: VendorStatus;
  vendorConfirmedOn?: string;
  vendorReason?: string;
}

export type ContractChangeState =
  | { status: 'NONE' }
  | {
      status: ContractChangeStatus;
      changeId: string;
      type: ContractChangeType;
      contract: ContractReference;
      subject: string;
      requestedOn: string;
      acceptedOn?: string;
      /** 契約終了日 of a confirmed cancellation. */
      endDate?: string;
      /** When a quantity change took effect. */
      effectiveOn?: string;
      completedOn?: string;
      withdrawnOn?: string;
      forced?: boolean;
      lines: ContractChangeLineState[];
    };
export type ExistingContractChange = Exclude<ContractChangeState, { status: 'NONE' }>;

export const initialState = (): ContractChangeState => ({ status: 'NONE' });

/** Every command but RequestChange acts on a change that exists. */
export function existingChange(state: ContractChangeState): ExistingContractChange {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The contract change does not exist');
  return state;
}

/** 409 INVALID_STATE naming the status (and its label) when the change is not in one of `allowed`. */
export function inState(state: ExistingContractChange, allowed: readonly ContractChangeStatus[], action: string): void {
  if (!allowed.includes(state.status)) {
    throw conflict(
      'INVALID_STATE',
      `Cannot ${action} a change in ${state.status} (${CONTRACT_CHANGE_STATUS_LABELS[state.status]}); allowed in ${allowed.join(', ')}`,
    );
  }
}
