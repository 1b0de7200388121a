import {
  CancellationConfirmed,
  CancellationLinked,
  ContractChangeAccepted,
  ContractChangeRequested,
  ContractChangeWithdrawn,
  QuantityChanged,
  QuantityChangeLinked,
  RenewalScheduled,
} from '@lp/integration-events';
import { DomainEvent } from '@lp/eventsourcing';

/*
 * The events of a `contractChange-<changeId>` stream. The published ones are declared in
 * @lp/integration-events; the three below stay inside this service. Types and shapes are persisted.
 */

/** 受付取消: back to APPLIED. Not published. */
export type ContractChangeAcceptanceRevoked = DomainEvent<'ContractChangeAcceptanceRevoked', { changeId: string; revokedOn: string }>;
/** The vendor confirmed a linked line (provisioning's SubscriptionCancelled / SubscriptionQuantityChanged). Not published. */
export type VendorConfirmationRecorded = DomainEvent<
  'VendorConfirmationRecorded',
  { changeId: string; lineId: string; subscriptionId: string; confirmedOn: string }
>;
/** The vendor refused a linked line (e.g. software outside its refund window). Not published. */
export type VendorRefusalRecorded = DomainEvent<'VendorRefusalRecorded', { changeId: string; lineId: string; subscriptionId: string; reason: string }>;

export type ContractChangeEvent =
  | ContractChangeRequested
  | ContractChangeAccepted
  | ContractChangeAcceptanceRevoked
  | CancellationLinked
  | QuantityChangeLinked
  | VendorConfirmationRecorded
  | VendorRefusalRecorded
  | CancellationConfirmed
  | QuantityChanged
  | RenewalScheduled
  | ContractChangeWithdrawn;
