/**
 * The subscription's statuses and the Japanese texts users read about them (the list screen's
 * status column, the reason of a refused cancellation). Persisted events carry the status codes;
 * the labels are derived when shown, so a wording change never touches stored data.
 */

export type SubscriptionStatus = 'PROVISIONING' | 'MANUAL_PROVISIONING' | 'ACTIVE' | 'FAILED' | 'CANCELLED';

export const SUBSCRIPTION_STATUS_LABELS: Record<SubscriptionStatus, string> = {
  PROVISIONING: 'プロビジョニング中',
  MANUAL_PROVISIONING: 'マニュアルプロビジョニング',
  ACTIVE: 'アクティベーション済',
  FAILED: '失敗',
  /** Every seat cancelled, confirmed by the vendor (SubscriptionCancelled with remainingQuantity 0). */
  CANCELLED: '解約済',
};

export const subscriptionStatusLabel = (status: SubscriptionStatus) => SUBSCRIPTION_STATUS_LABELS[status];

/** 返金期間(2021-08-14まで)を過ぎているため解約できません */
export const refundWindowClosedReason = (until: string) => `返金期間(${until}まで)を過ぎているため解約できません`;
