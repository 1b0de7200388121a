/** PENDING 新規契約手続中 → ACTIVE 契約中 → CANCELLED 解約済 (CANCELLED: issue 5, cancellations). */
export type ContractStatus = 'PENDING' | 'ACTIVE' | 'CANCELLED';
export type ContractLineStatus = 'PENDING' | 'ACTIVE' | 'CANCELLED';

export const CONTRACT_STATUS_LABELS: Record<ContractStatus, string> = {
  PENDING: '新規契約手続中',
  ACTIVE: '契約中',
  CANCELLED: '解約済',
};
export const CONTRACT_LINE_STATUS_LABELS: Record<ContractLineStatus, string> = {
  PENDING: '新規契約手続中',
  ACTIVE: '契約中',
  CANCELLED: '解約済',
};

/** The contract is ACTIVE once any line is; CANCELLED when lines were active and none remains (issue 5). */
export function contractStatusOf(lines: readonly { status: ContractLineStatus }[]): ContractStatus {
  if (lines.some((line) => line.status === 'ACTIVE')) return 'ACTIVE';
  if (lines.length > 0 && lines.every((line) => line.status === 'CANCELLED')) return 'CANCELLED';
  return 'PENDING';
}
