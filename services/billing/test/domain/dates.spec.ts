import {
  addDays,
  addMonths,
  assertDate,
  assertMonth,
  dayOf,
  daysInMonth,
  firstDayOf,
  firstOfMonthOnOrAfter,
  isLeapYear,
  japaneseMonth,
  lastDayOf,
  monthOf,
  monthsBetween,
} from '../../src/domain';

describe('dates (business dates YYYY-MM-DD, billing months YYYY-MM)', () => {
  describe('leap years', () => {
    it.each([
      [2024, true],
      [2028, true],
      [2000, true],
      [2026, false],
      [2027, false],
      [2100, false],
      [1900, false],
    ])('%i is leap: %s', (year, leap) => {
      expect(isLeapYear(year)).toBe(leap);
    });
  });

  describe('days in a month', () => {
    it.each([
      ['2026-01', 31],
      ['2026-02', 28],
      ['2024-02', 29],
      ['2028-02', 29],
      ['2100-02', 28],
      ['2000-02', 29],
      ['2026-04', 30],
      ['2026-06', 30],
      ['2026-07', 31],
      ['2026-08', 31],
      ['2026-09', 30],
      ['2026-11', 30],
      ['2026-12', 31],
    ])('%s has %i days', (month, days) => {
      expect(daysInMonth(month)).toBe(days);
    });

    it('gives the last day of a month, February included', () => {
      expect(lastDayOf('2026-06')).toBe('2026-06-30');
      expect(lastDayOf('2026-07')).toBe('2026-07-31');
      expect(lastDayOf('2026-02')).toBe('2026-02-28');
      expect(lastDayOf('2028-02')).toBe('2028-02-29');
      expect(lastDayOf('2100-02')).toBe('2100-02-28');
      expect(firstDayOf('2026-06')).toBe('2026-06-01');
    });
  });

  describe('month arithmetic', () => {
    it('rolls December over into January of the next year and back', () => {
      expect(addMonths('2026-12', 1)).toBe('2027-01');
      expect(addMonths('2027-01', -1)).toBe('2026-12');
      expect(addMonths('2026-11', 2)).toBe('2027-01');
    });

    it('moves by years and more', () => {
      expect(addMonths('2026-05', 12)).toBe('2027-05');
      expect(addMonths('2026-05', 11)).toBe('2027-04');
      expect(addMonths('2026-05', 25)).toBe('2028-06');
      expect(addMonths('2026-05', -17)).toBe('2024-12');
      expect(addMonths('2026-05', 0)).toBe('2026-05');
    });

    it('counts the months between two months, negative when backwards', () => {
      expect(monthsBetween('2026-11', '2027-02')).toBe(3);
      expect(monthsBetween('2027-02', '2026-11')).toBe(-3);
      expect(monthsBetween('2026-05', '2026-05')).toBe(0);
      expect(monthsBetween('2024-05', '2026-05')).toBe(24);
    });

    it('names the month of a date and the day in it', () => {
      expect(monthOf('2026-12-31')).toBe('2026-12');
      expect(dayOf('2026-12-31')).toBe(31);
      expect(dayOf('2026-06-01')).toBe(1);
    });

    it('writes months as on Japanese invoices', () => {
      expect(japaneseMonth('2026-06')).toBe('2026年6月');
      expect(japaneseMonth('2027-12')).toBe('2027年12月');
    });
  });

  describe('day arithmetic', () => {
    it('crosses month ends, year ends and leap days', () => {
      expect(addDays('2026-06-10', 30)).toBe('2026-07-10');
      expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
      expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
      expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
      expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
      expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
      expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
      expect(addDays('2026-03-01', 60)).toBe('2026-04-30');
    });

    it('finds the 1st of the month on or after a date', () => {
      expect(firstOfMonthOnOrAfter('2026-07-01')).toBe('2026-07-01');
      expect(firstOfMonthOnOrAfter('2026-07-02')).toBe('2026-08-01');
      expect(firstOfMonthOnOrAfter('2026-12-31')).toBe('2027-01-01');
    });
  });

  describe('validation', () => {
    it.each(['2026-02-29', '2100-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-6-1', '2026/06/01', '', '2026-06-01T00:00:00Z'])(
      'refuses %p as a date',
      (value) => {
        expect(() => assertDate(value)).toThrow(RangeError);
      },
    );

    it('accepts leap days of leap years', () => {
      expect(assertDate('2024-02-29')).toBe('2024-02-29');
      expect(assertDate('2028-02-29')).toBe('2028-02-29');
      expect(assertDate('2000-02-29')).toBe('2000-02-29');
    });

    it.each(['2026-13', '2026-00', '2026-6', '2026-06-01'])('refuses %p as a month', (value) => {
      expect(() => assertMonth(value)).toThrow(RangeError);
    });
  });
});
