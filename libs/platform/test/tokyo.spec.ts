import {
  addDays,
  daysBetween,
  firstDayOfMonth,
  isRealDate,
  isRealMonth,
  lastDayOfMonth,
  monthKey,
  monthOf,
  startOfTokyoDay,
  todayInTokyo,
} from '../src';

describe('Tokyo business dates', () => {
  it('turns an instant into the Tokyo calendar date', () => {
    expect(todayInTokyo(new Date('2026-05-14T14:59:59.999Z'))).toBe('2026-05-14');
    expect(todayInTokyo(new Date('2026-05-14T15:00:00Z'))).toBe('2026-05-15');
    expect(todayInTokyo(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01');
  });

  it('knows when a Tokyo day starts', () => {
    expect(startOfTokyoDay('2026-05-15').toISOString()).toBe('2026-05-14T15:00:00.000Z');
  });

  it.each(['2026-05-14', '2024-02-29', '2026-12-31'])('accepts %s', (date) => expect(isRealDate(date)).toBe(true));
  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-5-1', '20260514', '', null, 20260514])(
    'rejects %j',
    (date) => expect(isRealDate(date)).toBe(false),
  );

  it('validates months', () => {
    expect(isRealMonth('2026-05')).toBe(true);
    expect(isRealMonth('2026-00')).toBe(false);
    expect(isRealMonth('2026-5')).toBe(false);
  });

  it('derives month keys', () => {
    expect(monthKey('2026-05-14')).toBe('202605');
    expect(monthOf('2026-05-14')).toBe('2026-05');
    expect(() => monthKey('2026-02-30')).toThrow(RangeError);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
  });

  it('finds the first and last day of a month', () => {
    expect(lastDayOfMonth('2026-02-10')).toBe('2026-02-28');
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-04-01')).toBe('2026-04-30');
    expect(firstDayOfMonth('2026-02-10')).toBe('2026-02-01');
    expect(firstDayOfMonth('2026-02')).toBe('2026-02-01');
  });
});
