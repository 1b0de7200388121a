import {
  ContractChangeLine,
  ContractConfirmed,
  ContractCreated,
  ContractLineEnded,
  ContractLineRenewed,
  ContractReference,
} from '@lp/integration-events';
import { DomainEvent } from '@lp/eventsourcing';
import { ContractLineStatus, ContractStatus } from './statuses';

/*
 * The events of a `contract-<id>` stream. ContractCreated, ContractConfirmed, ContractLineRenewed and
 * ContractLineEnded are published (declared in @lp/integration-events); the change lock's events and
 * ContractLineAutoRenewSet / ContractLineRenewalScheduled stay inside this service. Their types and
 * shapes are persisted: change them only with an upcaster.
 */

export type { ConfirmedLine, ContractLineTerms } from '@lp/integration-events';
export type ContractCreatedData = ContractCreated['data'];
export type ContractConfirmedData = ContractConfirmed['data'];

// -- The change lock (契約変更, issue 5) -----------------------------------------------------------

/** The change types OpenChange handles. */
export type OpenChangeType = 'CANCELLATION' | 'ADD' | 'CHANGE' | 'RENEWAL';

/**
 * A change (契約変更) opened on the contract: its lines are locked until the change is applied or
 * closed, so that two changes can never race for a line. Internal to this service: the application
 * creates the `contractChange-<changeId>` stream from it (see ../contract-change), which publishes.
 */
export type ContractChangeOpened = DomainEvent<
  'ContractChangeOpened',
  ContractReference & {
    changeId: string;
    type: OpenChangeType;
    subject: string;
    requestedOn: string;
    /** Select all (全選択): every active line at its full quantity. */
    all: boolean;
    lines: ContractChangeLine[];
  }
>;

export interface CancelledLineOutcome {
  lineId: string;
  cancelledQuantity: number;
  /** 0 for a line cancelled in full. */
  remainingQuantity: number;
  /** CANCELLED (fully cancelled) or ACTIVE (reduced). */
  status: ContractLineStatus;
}

/** A confirmed cancellation applied: fully cancelled lines end, reduced lines run on; the lock is released. */
export type ContractLinesCancelled = DomainEvent<
  'ContractLinesCancelled',
  {
    contractId: string;
    changeId: string;
    endDate: string;
    cancelledOn: string;
    lines: CancelledLineOutcome[];
    /** The contract's status afterwards (CANCELLED once no line is active). */
    contractStatus: ContractStatus;
  }
>;

/** A confirmed add / reduction applied; the lock is released. */
export type ContractLineQuantitiesChanged = DomainEvent<
  'ContractLineQuantitiesChanged',
  {
    contractId: string;
    changeId: string;
    effectiveOn: string;
    /** cancellationAllowedUntil: a new-commerce line's added seats, their own window (older events: none, from effectiveOn). */
    lines: { lineId: string; previousQuantity: number; newQuantity: number; newSku?: string; newProductName?: string; newUnitPrice?: number; cancellationAllowedUntil?: string }[];
  }
>;

/** The change was withdrawn: its lines are eligible again. */
export type ContractChangeClosed = DomainEvent<'ContractChangeClosed', { contractId: string; changeId: string; lineIds: string[] }>;

export type ContractChangeOutcomeEvent = ContractChangeOpened | ContractLinesCancelled | ContractLineQuantitiesChanged | ContractChangeClosed;

// -- Terms and renewal (契約更新) -----------------------------------------------------------------

/** 自動更新 on or off (PUT /contracts/:id/lines/:lineId/auto-renew). Not published: billing learns the outcome at the term end. */
export type ContractLineAutoRenewSet = DomainEvent<'ContractLineAutoRenewSet', { contractId: string; lineId: string; autoRenew: boolean; changedOn: string }>;

/** A confirmed renewal change (RenewalScheduled) noted on its lines; the lock is released. */
export type ContractLineRenewalScheduled = DomainEvent<
  'ContractLineRenewalScheduled',
  { contractId: string; changeId: string; lines: { lineId: string; quantity: number }[] }
>;

export type ContractTermEvent = ContractLineAutoRenewSet | ContractLineRenewalScheduled | ContractLineRenewed | ContractLineEnded;

export type ContractEvent = ContractCreated | ContractConfirmed | ContractChangeOutcomeEvent | ContractTermEvent;
