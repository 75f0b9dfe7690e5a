import { describe, expect, it } from 'vitest';
import type { HealthCheck, ReportTask } from '@/api/health';
import { countdown, formatCountdown, lastDays, mapLimit, sumReports, taskUrgency } from './healthFormat';

const kDue = '2026-11-30T12:00:00+08:00';
const due = Date.parse(kDue);

function task(overrides: Partial<ReportTask> = {}): ReportTask {
  return {
    id: 1,
    recipients: ['县疾控中心', '县教育局'],
    due_at: kDue,
    immediate: false,
    status: 'pending',
    escalated: false,
    draft: '',
    summary: null,
    measures: null,
    submitted_at: null,
    submitted_by: null,
    ...overrides,
  };
}

describe('countdown', () => {
  it('counts down to the due time in HH:MM:SS', () => {
    expect(countdown(kDue, due - (2 * 3600 + 5 * 60 + 9) * 1000)).toEqual({ overdue: false, days: 0, clock: '02:05:09' });
    expect(countdown(kDue, due - 59_000)).toEqual({ overdue: false, days: 0, clock: '00:00:59' });
  });

  it('never shows zero while time is left, and rounds overdue time down', () => {
    expect(countdown(kDue, due - 1)).toEqual({ overdue: false, days: 0, clock: '00:00:01' });
    expect(countdown(kDue, due)).toEqual({ overdue: true, days: 0, clock: '00:00:00' });
    expect(countdown(kDue, due + 1999)).toEqual({ overdue: true, days: 0, clock: '00:00:01' });
  });

  it('splits off whole days', () => {
    expect(countdown(kDue, due - 86_400_000)).toEqual({ overdue: false, days: 1, clock: '00:00:00' });
    expect(countdown(kDue, due - (86_400 + 3 * 3600 + 1) * 1000)).toEqual({ overdue: false, days: 1, clock: '03:00:01' });
    expect(countdown(kDue, due + (2 * 86_400 + 60) * 1000)).toEqual({ overdue: true, days: 2, clock: '00:01:00' });
  });

  it('reads an unreadable due time as overdue', () => {
    expect(countdown('soon', due).overdue).toBe(true);
  });

  it('formats with the day unit only when there are days', () => {
    expect(formatCountdown({ overdue: false, days: 0, clock: '23:59:59' }, '天')).toBe('23:59:59');
    expect(formatCountdown({ overdue: false, days: 1, clock: '02:03:04' }, '天')).toBe('1天 02:03:04');
    expect(formatCountdown({ overdue: true, days: 3, clock: '00:00:00' }, 'd')).toBe('3d 00:00:00');
  });
});

describe('taskUrgency', () => {
  it('orders submitted, overdue, immediate, under two hours, later', () => {
    expect(taskUrgency(task({ status: 'submitted' }), due + 1e7)).toBe('done');
    expect(taskUrgency(task(), due + 1000)).toBe('overdue');
    expect(taskUrgency(task({ status: 'overdue' }), due - 3_600_000)).toBe('overdue');
    expect(taskUrgency(task({ immediate: true }), due - 86_400_000 * 2)).toBe('immediate');
    expect(taskUrgency(task(), due - 7_199_000)).toBe('soon');
    expect(taskUrgency(task(), due - 7_200_000)).toBe('later');
    expect(taskUrgency(task(), due - 86_400_000 - 60_000)).toBe('later');
  });
});

describe('sumReports', () => {
  it('adds the day of a school, with the missing classes in the total', () => {
    const base = { id: 1, school_code: 's', class_id: 1, class_name: 'a', date: '2026-11-30', session: 'morning', version: 1, submitted_by: 'x', submitted_at: '', warnings: [] } as const;
    const reports: HealthCheck[] = [
      { ...base, enrolled: 45, present: 43, absent_ill: 1, absent_other: 1, cases: [{ id: 1, student_no: '1', sex: 'male', age: 7, symptoms: ['fever'], absent: true }], late: false, warnings: [] },
      { ...base, enrolled: 40, present: 40, absent_ill: 0, absent_other: 0, cases: [], late: true, warnings: [] },
    ];
    expect(sumReports(reports, 3)).toEqual({ classes: 5, reported: 2, enrolled: 85, present: 83, absent_ill: 1, absent_other: 1, cases: 1, late: 1 });
    // A day without school expects no class; the reports made anyway still count.
    expect(sumReports(reports, 0, false)).toMatchObject({ classes: 0, reported: 2, absent_ill: 1, cases: 1 });
  });
});

describe('trend helpers', () => {
  it('lists the 14 days up to a day, oldest first, across a month end', () => {
    const days = lastDays('2026-12-03', 14);
    expect(days).toHaveLength(14);
    expect(days[0]).toBe('2026-11-20');
    expect(days[13]).toBe('2026-12-03');
    expect(days).toContain('2026-11-30');
  });

  it('keeps at most `limit` calls in flight and the results in order; a failure gives null', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5 * (8 - n)));
      inFlight -= 1;
      if (n === 4) throw new Error('boom');
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results).toEqual([10, 20, 30, null, 50, 60, 70]);
  });
});
