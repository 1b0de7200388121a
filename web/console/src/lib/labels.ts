// The statuses the lists filter by, in the words the API's statusLabel uses (domain.md).
export const ORDER_STATUSES = { APPLIED: '申請', ACCEPTED: '受付済', PARTIALLY_PLACED: '一部発注済', PLACED: '発注済', CANCELLED: 'キャンセル' };
export const CONTRACT_STATUSES = { PENDING: '新規契約手続中', ACTIVE: '契約中', CANCELLED: '解約済' };
export const CHANGE_STATUSES = { APPLIED: '申請', ACCEPTED: '受付済', COMPLETED: '変更済', WITHDRAWN: 'キャンセル' };
export const CHANGE_TYPES = { ADD: '追加', CHANGE: '数量・商品変更', RENEWAL: '更新', CANCELLATION: '解約' };
export const SUBSCRIPTION_STATUSES = {
  PROVISIONING: 'プロビジョニング中',
  MANUAL_PROVISIONING: 'マニュアルプロビジョニング',
  ACTIVE: 'アクティベーション済',
  FAILED: '失敗',
  CANCELLED: '解約済',
};
export const INVOICE_KINDS = { INVOICE: '請求書', CREDIT_NOTE: '返還請求書' };

const STATUS_COLORS: Record<string, string> = {
  APPLIED: 'gray',
  ACCEPTED: 'blue',
  PARTIALLY_PLACED: 'cyan',
  PLACED: 'teal',
  PENDING: 'yellow',
  ACTIVE: 'green',
  COMPLETED: 'green',
  CANCELLED: 'gray',
  WITHDRAWN: 'gray',
  FAILED: 'red',
  PROVISIONING: 'yellow',
  MANUAL_PROVISIONING: 'orange',
};
export const statusColor = (status: string) => STATUS_COLORS[status] ?? 'gray';
