import { isChargedOn } from '../../src/domain/contract';

/** 契約一覧's billing flag from billing's charging periods. */
describe('isChargedOn (the billing flag)', () => {
  const period = (chargingFrom: string, chargingUntil: string | null = null) => ({ chargingFrom, chargingUntil });

  it('charged while a period of any line covers the day (both ends inclusive)', () => {
    expect(isChargedOn('2027-01-01', [{ status: 'ACTIVE', periods: [period('2027-01-01')] }])).toBe(true);
    expect(isChargedOn('2027-01-31', [{ status: 'CANCELLED', periods: [period('2026-07-01', '2027-01-31')] }])).toBe(true);
    expect(isChargedOn('2027-02-01', [{ status: 'CANCELLED', periods: [period('2026-07-01', '2027-01-31')] }])).toBe(false);
  });

  it('not charged before charging starts, whatever the line status (StreamOne before the 1st after delivery)', () => {
    expect(isChargedOn('2026-12-20', [{ status: 'ACTIVE', periods: [period('2027-01-01')] }])).toBe(false);
  });

  it('a product change: the old product’s period ended, the new one’s runs', () => {
    expect(isChargedOn('2026-09-10', [{ status: 'ACTIVE', periods: [period('2026-07-01', '2026-08-31'), period('2026-09-01')] }])).toBe(true);
  });

  it('a line billing has not scheduled yet counts as charged while ACTIVE (no flicker after confirmation)', () => {
    expect(isChargedOn('2026-12-01', [{ status: 'ACTIVE', periods: [] }])).toBe(true);
    expect(isChargedOn('2026-12-01', [{ status: 'PENDING', periods: [] }])).toBe(false);
  });
});
