import { Decider } from '@lp/eventsourcing';
import { ContractCommand } from './commands';
import { decide } from './decide';
import { ContractEvent } from './events';
import { evolve } from './evolve';
import { ContractState, initialState } from './state';

/**
 * The contract aggregate, one `contract-<contractId>` stream per contract: its lifecycle
 * (lifecycle.ts), the lock its changes hold on lines (open-change.ts, apply-change.ts) and the
 * terms of its lines (terms.ts). Everything outside this folder imports from here.
 */
export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = { initialState, decide, evolve };

export const contractStreamId = (contractId: string) => `contract-${contractId}`;

export * from './statuses';
export * from './known';
export * from './events';
export * from './commands';
export type { ContractLineState, ChangeOnContract, ContractState, ExistingContract } from './state';
export { release, productsOf } from './state';
export * from './billing-flag';
export { duplicates } from '../duplicates';
export { TRIAL_IN_BULK_CANCELLATION_MESSAGE, quantityChangeType } from './open-change';
export { openChangeFor } from './apply-change';
