import { ContractChangeLine, ContractChangeType, ContractReference } from '@lp/integration-events';
import {
  CONTRACT_CHANGE_STATUS_LABELS,
  CONTRACT_CHANGE_TYPE_LABELS,
  ContractChangeStatus,
  ExistingContractChange,
  LINK_STATUS_LABELS,
  LinkStatus,
  VendorStatus,
} from '../domain/contract-change';

/*
 * The 契約変更一覧 row built from the change's decider state: a read-model concern, kept beside its
 * projection (contract-changes.projection.ts) and pure, so it is tested without a store.
 */

/** A line of the row: the requested line with its link and vendor state, nulls instead of absent fields. */
export interface ContractChangeRowLine extends ContractChangeLine {
  linkStatus: LinkStatus;
  linkStatusLabel: string;
  linkedOn: string | null;
  vendorStatus: VendorStatus;
  vendorConfirmedOn: string | null;
  /** Why the vendor refused (e.g. outside the software's refund window). */
  vendorReason: string | null;
}

/** A row of 契約変更一覧 (and GET /contract-changes/:id): the customer's and reseller's company names are joined at read time. */
export interface ContractChangeRow extends ContractReference {
  id: string;
  changeId: string;
  type: ContractChangeType;
  typeLabel: string;
  status: ContractChangeStatus;
  statusLabel: string;
  requestedOn: string;
  acceptedOn: string | null;
  completedOn: string | null;
  withdrawnOn: string | null;
  endDate: string | null;
  effectiveOn: string | null;
  forced: boolean;
  subject: string;
  lines: ContractChangeRowLine[];
}

export function contractChangeRow(state: ExistingContractChange): ContractChangeRow {
  return {
    id: state.changeId,
    changeId: state.changeId,
    ...state.contract,
    type: state.type,
    typeLabel: CONTRACT_CHANGE_TYPE_LABELS[state.type],
    status: state.status,
    statusLabel: CONTRACT_CHANGE_STATUS_LABELS[state.status],
    requestedOn: state.requestedOn,
    acceptedOn: state.acceptedOn ?? null,
    completedOn: state.completedOn ?? null,
    withdrawnOn: state.withdrawnOn ?? null,
    endDate: state.endDate ?? null,
    effectiveOn: state.effectiveOn ?? null,
    forced: state.forced ?? false,
    subject: state.subject,
    lines: state.lines.map(({ linkedOn, vendorConfirmedOn, vendorReason, ...line }) => ({
      ...line,
      linkStatusLabel: LINK_STATUS_LABELS[line.linkStatus],
      linkedOn: linkedOn ?? null,
      vendorConfirmedOn: vendorConfirmedOn ?? null,
      vendorReason: vendorReason ?? null,
    })),
  };
}
