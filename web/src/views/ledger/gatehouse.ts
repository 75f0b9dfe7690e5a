// The gatehouse schedule (门卫值守) as the editor sees it: shifts per weekday,
// overnight shifts split at midnight before they are sent, and which hours of
// each day no shift covers. The server computes `uncovered` again on save.
import type { GatehouseShift, UncoveredSpan } from '@/api/ledger';

export const kWeekdays = [1, 2, 3, 4, 5, 6, 7] as const;
export const kDayMinutes = 24 * 60;

/** Minutes after midnight of "HH:MM" (00:00…23:59, or 24:00 = 1440); null when malformed. */
export function minutesOf(time: string): number | null {
  const m = /^(\d\d):(\d\d)$/.exec(time.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return kDayMinutes;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** "HH:MM" of a minute count (1440 → "24:00"). */
export function timeOf(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Times every `step` minutes from 00:00; with `withMidnight`, "24:00" last. */
export function timeOptions(step = 30, withMidnight = false): string[] {
  const out: string[] = [];
  for (let m = 0; m < kDayMinutes; m += step) out.push(timeOf(m));
  if (withMidnight) out.push('24:00');
  return out;
}

/** The weekday after `weekday` (Sunday → Monday). */
export function nextWeekday(weekday: number): number {
  return (weekday % 7) + 1;
}

/**
 * Whether a shift as typed runs past midnight: it ends at or before its start
 * (08:00–08:00 is 24 hours), except 00:00–00:00, which is the whole day.
 */
export function isOvernight(shift: Pick<GatehouseShift, 'start' | 'end'>): boolean {
  const s = minutesOf(shift.start);
  const e = minutesOf(shift.end);
  return s !== null && e !== null && e !== kDayMinutes && e <= s && !(s === 0 && e === 0);
}

/**
 * The shifts as the API takes them: times checked, staff trimmed, and every
 * overnight shift (22:00–06:00) split into 22:00–24:00 on its day and
 * 00:00–06:00 on the next. `problems` lists the indexes of shifts with a
 * malformed time or weekday; they are left out.
 */
export function normalizeShifts(typed: readonly GatehouseShift[]): { shifts: GatehouseShift[]; problems: number[] } {
  const shifts: GatehouseShift[] = [];
  const problems: number[] = [];
  typed.forEach((shift, index) => {
    const s = minutesOf(shift.start);
    const e = minutesOf(shift.end);
    if (s === null || e === null || s === kDayMinutes || shift.weekday < 1 || shift.weekday > 7) {
      problems.push(index);
      return;
    }
    const staff = shift.staff?.trim() ?? '';
    const withStaff = (x: GatehouseShift): GatehouseShift => (staff ? { ...x, staff } : x);
    if (s === 0 && e === 0) {
      // 00:00–00:00 reads as the whole day.
      shifts.push(withStaff({ weekday: shift.weekday, start: '00:00', end: '24:00' }));
    } else if (isOvernight(shift)) {
      shifts.push(withStaff({ weekday: shift.weekday, start: timeOf(s), end: '24:00' }));
      if (e > 0) shifts.push(withStaff({ weekday: nextWeekday(shift.weekday), start: '00:00', end: timeOf(e) }));
    } else {
      shifts.push(withStaff({ weekday: shift.weekday, start: timeOf(s), end: timeOf(e) }));
    }
  });
  shifts.sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  return { shifts, problems };
}

/** The covered parts of `weekday` as merged [start, end) minute ranges, in order. */
export function coveredRanges(shifts: readonly GatehouseShift[], weekday: number): [number, number][] {
  const ranges = shifts
    .filter((s) => s.weekday === weekday)
    .map((s) => [minutesOf(s.start), minutesOf(s.end)] as const)
    .filter((r): r is readonly [number, number] => r[0] !== null && r[1] !== null && r[1] > r[0])
    .map(([a, b]) => [a, b] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** The hours no shift covers, per weekday, in the shape of the API's `uncovered`. Sent shifts only (see normalizeShifts). */
export function uncoveredSpans(shifts: readonly GatehouseShift[]): UncoveredSpan[] {
  const out: UncoveredSpan[] = [];
  for (const weekday of kWeekdays) {
    let at = 0;
    for (const [a, b] of coveredRanges(shifts, weekday)) {
      if (a > at) out.push({ weekday, start: timeOf(at), end: timeOf(a) });
      at = Math.max(at, b);
    }
    if (at < kDayMinutes) out.push({ weekday, start: timeOf(at), end: '24:00' });
  }
  return out;
}

export type HourCover = 'full' | 'partial' | 'none';

/** For each of the 24 hours of `weekday`: covered in full, in part, or not at all. */
export function hourCoverage(shifts: readonly GatehouseShift[], weekday: number): HourCover[] {
  const ranges = coveredRanges(shifts, weekday);
  return Array.from({ length: 24 }, (_, hour) => {
    const from = hour * 60;
    const to = from + 60;
    let covered = 0;
    for (const [a, b] of ranges) covered += Math.max(0, Math.min(b, to) - Math.max(a, from));
    return covered >= 60 ? 'full' : covered > 0 ? 'partial' : 'none';
  });
}

/** Minutes left uncovered in the week. */
export function uncoveredMinutes(spans: readonly UncoveredSpan[]): number {
  return spans.reduce((sum, s) => sum + ((minutesOf(s.end) ?? 0) - (minutesOf(s.start) ?? 0)), 0);
}

/** Copies the shifts of `from` onto each day in `to`, replacing theirs. */
export function copyDay(shifts: readonly GatehouseShift[], from: number, to: readonly number[]): GatehouseShift[] {
  const source = shifts.filter((s) => s.weekday === from);
  const kept = shifts.filter((s) => s.weekday === from || !to.includes(s.weekday));
  const copies = to.filter((d) => d !== from).flatMap((weekday) => source.map((s) => ({ ...s, weekday })));
  return [...kept, ...copies].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
}
