import { Decider } from '@lp/eventsourcing';
import { ContractChangeCommand } from './commands';
import { decide } from './decide';
import { ContractChangeEvent } from './events';
import { evolve } from './evolve';
import { ContractChangeState, initialState } from './state';

/**
 * 契約変更: one `contractChange-<changeId>` stream per change. The change is opened (and its lines
 * locked) on the contract stream first (ContractChangeOpened, see ../contract/open-change.ts); the
 * application then creates this stream with RequestChange (requestChangeFrom). Its outcome goes
 * back to the contract as ApplyCancellation / ApplyQuantityChange / ApplyRenewalChange / CloseChange.
 *
 *   APPLIED 申請 ──Accept──▶ ACCEPTED 受付済 ──Link (解約連携)──▶ vendor ──Confirm…──▶ COMPLETED 変更済
 *       ▲                       │
 *       └──RevokeAcceptance─────┘  (refused once a line is linked)
 *   APPLIED / ACCEPTED ──Withdraw──▶ WITHDRAWN キャンセル (refused once the vendor may act on a line)
 */
export const contractChangeDecider: Decider<ContractChangeCommand, ContractChangeEvent, ContractChangeState> = { initialState, decide, evolve };

export const changeStreamId = (changeId: string) => `contractChange-${changeId}`;

export * from './statuses';
export * from './events';
export * from './commands';
export type { ContractChangeLineState, ContractChangeState, ExistingContractChange } from './state';
export { ALREADY_LINKED_MESSAGE } from './lifecycle';
export { SUPPLIER_NOT_CONFIRMED_MESSAGE } from './confirmation';
