import { describe, expect, it } from 'vitest';
import { addDays, isFutureDay, isoWeekday, pickerDay, shanghaiDateTime, shanghaiDay, shanghaiInstant, shanghaiTime, toShanghaiRfc3339 } from './day';

describe('Shanghai days', () => {
  it('puts an instant on its Shanghai day and clock, whatever the browser zone', () => {
    // 2026-03-01 23:30 UTC is already 2 March, 07:30 in Shanghai.
    const at = new Date('2026-03-01T23:30:00Z');
    expect(shanghaiDay(at)).toBe('2026-03-02');
    expect(shanghaiTime(at)).toBe('07:30');
    expect(toShanghaiRfc3339(at)).toBe('2026-03-02T07:30:00+08:00');
    expect(shanghaiDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(shanghaiDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });

  it('builds RFC 3339 instants from a day and a time', () => {
    expect(shanghaiInstant('2026-03-02', '07:30')).toBe('2026-03-02T07:30:00+08:00');
    expect(shanghaiInstant('2026-03-02', '07:30:15')).toBe('2026-03-02T07:30:15+08:00');
    expect(Date.parse(shanghaiInstant('2026-03-02', '07:30'))).toBe(Date.parse('2026-03-01T23:30:00Z'));
  });

  it('knows future days, weekdays and day arithmetic', () => {
    const now = new Date('2026-03-01T23:30:00Z');
    expect(isFutureDay('2026-03-02', now)).toBe(false);
    expect(isFutureDay('2026-03-03', now)).toBe(true);
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(pickerDay(new Date(2026, 0, 5))).toBe('2026-01-05');
  });

  it('shows an instant on the Shanghai clock, whatever zone it was written in', () => {
    expect(shanghaiDateTime('2026-11-28T16:08:37Z')).toBe('2026-11-29 00:08');
    expect(shanghaiDateTime('2026-11-29T09:30:00+08:00')).toBe('2026-11-29 09:30');
    expect(shanghaiDateTime(null)).toBe('');
    expect(shanghaiDateTime('not a time')).toBe('');
  });
});
