import { describe, expect, it } from 'vitest';
import {
  copyDay,
  coveredRanges,
  hourCoverage,
  isOvernight,
  minutesOf,
  normalizeShifts,
  timeOf,
  timeOptions,
  uncoveredMinutes,
  uncoveredSpans,
} from './gatehouse';
import type { GatehouseShift } from '@/api/ledger';

const day = (weekday: number, start: string, end: string, staff?: string): GatehouseShift => ({ weekday, start, end, ...(staff ? { staff } : {}) });

describe('gatehouse times', () => {
  it.each([
    ['00:00', 0],
    ['07:30', 450],
    ['23:59', 1439],
    ['24:00', 1440],
    ['24:01', null],
    ['25:00', null],
    ['7:30', null],
    ['07:60', null],
  ])('%s is minute %s', (text, minutes) => {
    expect(minutesOf(text)).toBe(minutes);
  });

  it('formats minutes back and lists the choices', () => {
    expect(timeOf(0)).toBe('00:00');
    expect(timeOf(1440)).toBe('24:00');
    expect(timeOptions(60)).toHaveLength(24);
    expect(timeOptions(30, true).at(-1)).toBe('24:00');
    expect(timeOptions(30)[1]).toBe('00:30');
  });

  it('knows which typed shifts run past midnight', () => {
    expect(isOvernight({ start: '22:00', end: '06:00' })).toBe(true);
    expect(isOvernight({ start: '08:00', end: '08:00' })).toBe(true);
    expect(isOvernight({ start: '20:00', end: '24:00' })).toBe(false);
    expect(isOvernight({ start: '00:00', end: '00:00' })).toBe(false);
    expect(isOvernight({ start: '08:00', end: '17:00' })).toBe(false);
  });
});

describe('normalizeShifts', () => {
  it('splits an overnight shift at midnight, Sunday night running into Monday', () => {
    const { shifts, problems } = normalizeShifts([day(7, '22:00', '06:00', ' 张三 '), day(1, '06:00', '22:00')]);
    expect(problems).toEqual([]);
    expect(shifts).toEqual([
      { weekday: 1, start: '00:00', end: '06:00', staff: '张三' },
      { weekday: 1, start: '06:00', end: '22:00' },
      { weekday: 7, start: '22:00', end: '24:00', staff: '张三' },
    ]);
  });

  it('reads 08:00–08:00 as 24 hours and 00:00–00:00 as the whole day', () => {
    expect(normalizeShifts([day(3, '08:00', '08:00')]).shifts).toEqual([
      { weekday: 3, start: '08:00', end: '24:00' },
      { weekday: 4, start: '00:00', end: '08:00' },
    ]);
    expect(normalizeShifts([day(5, '00:00', '00:00')]).shifts).toEqual([{ weekday: 5, start: '00:00', end: '24:00' }]);
    // Ending exactly at midnight adds nothing on the next day.
    expect(normalizeShifts([day(2, '18:00', '00:00')]).shifts).toEqual([{ weekday: 2, start: '18:00', end: '24:00' }]);
  });

  it('leaves out and reports shifts with bad times or weekdays', () => {
    const { shifts, problems } = normalizeShifts([day(1, '8:00', '12:00'), day(8, '08:00', '12:00'), day(1, '24:00', '06:00'), day(2, '08:00', '12:00')]);
    expect(problems).toEqual([0, 1, 2]);
    expect(shifts).toEqual([{ weekday: 2, start: '08:00', end: '12:00' }]);
  });
});

describe('coverage', () => {
  const week: GatehouseShift[] = [
    day(1, '00:00', '08:00'),
    day(1, '07:00', '20:00'),
    day(1, '20:00', '24:00'),
    day(2, '08:00', '17:30'),
  ];

  it('merges overlapping and touching shifts', () => {
    expect(coveredRanges(week, 1)).toEqual([[0, 1440]]);
    expect(coveredRanges(week, 2)).toEqual([[480, 1050]]);
    expect(coveredRanges(week, 3)).toEqual([]);
  });

  it('lists the uncovered hours per day like the server does', () => {
    const spans = uncoveredSpans(week);
    expect(spans.filter((s) => s.weekday <= 3)).toEqual([
      { weekday: 2, start: '00:00', end: '08:00' },
      { weekday: 2, start: '17:30', end: '24:00' },
      { weekday: 3, start: '00:00', end: '24:00' },
    ]);
    expect(spans).toHaveLength(2 + 5);
    expect(uncoveredMinutes(spans)).toBe(480 + 390 + 5 * 1440);
    const all = [1, 2, 3, 4, 5, 6, 7].map((d) => day(d, '00:00', '24:00'));
    expect(uncoveredSpans(all)).toEqual([]);
  });

  it('marks each hour full, partial or empty', () => {
    const hours = hourCoverage(week, 2);
    expect(hours[7]).toBe('none');
    expect(hours[8]).toBe('full');
    expect(hours[16]).toBe('full');
    expect(hours[17]).toBe('partial');
    expect(hours[18]).toBe('none');
    expect(hourCoverage(week, 1).every((h) => h === 'full')).toBe(true);
  });

  it('copies one day onto others, replacing what they had', () => {
    const copied = copyDay(week, 2, [2, 3, 4]);
    expect(copied.filter((s) => s.weekday === 1)).toHaveLength(3);
    expect(copied.filter((s) => s.weekday === 3)).toEqual([day(3, '08:00', '17:30')]);
    expect(copied.filter((s) => s.weekday === 4)).toEqual([day(4, '08:00', '17:30')]);
    expect(copyDay(week, 2, [1]).filter((s) => s.weekday === 1)).toEqual([day(1, '08:00', '17:30')]);
  });
});
