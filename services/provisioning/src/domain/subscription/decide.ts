import { Decider } from '@lp/eventsourcing';
import { SubscriptionCommand } from './commands';
import { SubscriptionEvent } from './events';
import {
  recordChangeFailed,
  recordVendorCancelled,
  recordVendorChangeAttemptFailed,
  recordVendorQuantityChanged,
  requestCancellation,
  requestQuantityChange,
} from './decide-changes';
import { activate, recordProvisioningFailed, recordVendorAttemptFailed, recordVendorProvisioned, requestProvisioning, retryProvisioning } from './decide-provisioning';
import { evolve, initialState, SubscriptionState } from './state';

/** Each command to the function that decides it; the lifecycle files hold the rules. */
export function decide(command: SubscriptionCommand, state: SubscriptionState): SubscriptionEvent[] {
  switch (command.type) {
    // Provisioning: placed line → vendor subscription.
    case 'RequestProvisioning':
      return requestProvisioning(command, state);
    case 'RecordVendorProvisioned':
      return recordVendorProvisioned(command, state);
    case 'RecordVendorAttemptFailed':
      return recordVendorAttemptFailed(command, state);
    case 'RecordProvisioningFailed':
      return recordProvisioningFailed(command, state);
    case 'RetryProvisioning':
      return retryProvisioning(command, state);
    case 'Activate':
      return activate(command, state);
    // Changes of an ACTIVE subscription: cancellation, reduction, quantity or product change.
    case 'RequestCancellation':
      return requestCancellation(command, state);
    case 'RequestQuantityChange':
      return requestQuantityChange(command, state);
    case 'RecordVendorCancelled':
      return recordVendorCancelled(command, state);
    case 'RecordVendorQuantityChanged':
      return recordVendorQuantityChanged(command, state);
    case 'RecordVendorChangeAttemptFailed':
      return recordVendorChangeAttemptFailed(command, state);
    case 'RecordChangeFailed':
      return recordChangeFailed(command, state);
  }
}

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState> = { initialState, decide, evolve };
