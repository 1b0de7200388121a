import { ContractLineStatus } from './statuses';

/** The list's 契約一覧 `billing` flag: a contract is charged while any of its lines is ACTIVE. */
export function isBilling(lines: readonly { status: ContractLineStatus }[]): boolean {
  return lines.some((line) => line.status === 'ACTIVE');
}

/** Billing's charging period of a line (its schedule, one per product the line had). */
export interface ChargingPeriod {
  chargingFrom: string;
  chargingUntil: string | null;
}

/**
 * 契約一覧's `billing` flag as billing's schedule has it: charged on `today` when a period of any line
 * covers it. A line billing has not scheduled yet (its confirmation is on its way there) counts as
 * charged while ACTIVE, so the flag does not flicker between confirmation and billing's answer.
 */
export function isChargedOn(today: string, lines: readonly { status: ContractLineStatus; periods: readonly ChargingPeriod[] }[]): boolean {
  return lines.some((line) =>
    line.periods.length === 0
      ? line.status === 'ACTIVE'
      : line.periods.some((period) => period.chargingFrom <= today && (period.chargingUntil === null || today <= period.chargingUntil)),
  );
}
