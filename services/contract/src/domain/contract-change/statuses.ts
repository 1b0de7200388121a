import { ContractChangeType } from '@lp/integration-events';

export type ContractChangeStatus = 'APPLIED' | 'ACCEPTED' | 'COMPLETED' | 'WITHDRAWN';
export type LinkStatus = 'NOT_LINKED' | 'LINKED';
/** What the vendor said about a linked line: provisioning's SubscriptionCancelled / …Refused / SubscriptionQuantityChanged. */
export type VendorStatus = 'PENDING' | 'CONFIRMED' | 'REFUSED';
export type { ContractChangeType } from '@lp/integration-events';

export const CONTRACT_CHANGE_STATUS_LABELS: Record<ContractChangeStatus, string> = {
  APPLIED: '申請',
  ACCEPTED: '受付済',
  COMPLETED: '変更済',
  WITHDRAWN: 'キャンセル',
};
export const CONTRACT_CHANGE_TYPE_LABELS: Record<ContractChangeType, string> = {
  ADD: '追加',
  CHANGE: '数量・商品変更',
  RENEWAL: '更新',
  CANCELLATION: '解約',
};
export const LINK_STATUS_LABELS: Record<LinkStatus, string> = {
  NOT_LINKED: '未連携',
  LINKED: '連携済',
};
