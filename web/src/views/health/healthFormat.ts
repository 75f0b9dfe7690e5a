// How health figures read on screen: report countdowns, sums over a day's
// reports, the 14 days of the trend and its ECharts option.
import type { Completeness, HealthCheck, ReportTask } from '@/api/health';
import type { EChartsCoreOption } from 'echarts/core';
import { addDays } from '@/utils/day';

export interface Countdown {
  /** The due time has passed. */
  overdue: boolean;
  /** Whole days of the remaining (or overdue) time. */
  days: number;
  /** The rest as HH:MM:SS. */
  clock: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The time from `now` (ms) to `dueAt` (RFC 3339), or since it when overdue,
 * in whole seconds rounded toward the due time's side (never shows 00:00:00
 * while time is left). An unreadable `dueAt` reads as overdue by 0.
 */
export function countdown(dueAt: string, now: number): Countdown {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return { overdue: true, days: 0, clock: '00:00:00' };
  const ms = due - now;
  const overdue = ms <= 0;
  const total = overdue ? Math.floor((now - due) / 1000) : Math.ceil(ms / 1000);
  const days = Math.floor(total / 86_400);
  const rest = total % 86_400;
  return { overdue, days, clock: `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}` };
}

/** A countdown as "1天 02:03:04" (with `dayUnit` "天") or "02:03:04" under a day. */
export function formatCountdown(c: Countdown, dayUnit: string): string {
  return c.days > 0 ? `${c.days}${dayUnit} ${c.clock}` : c.clock;
}

/** How a report task stands for the colour of its tag. */
export type TaskUrgency = 'done' | 'overdue' | 'immediate' | 'soon' | 'later';

/** submitted → done; past due → overdue; "immediate" tasks → immediate; under 2 h left → soon. */
export function taskUrgency(task: ReportTask, now: number): TaskUrgency {
  if (task.status === 'submitted') return 'done';
  const c = countdown(task.due_at, now);
  if (c.overdue || task.status === 'overdue') return 'overdue';
  if (task.immediate) return 'immediate';
  return c.days === 0 && c.clock < '02:00:00' ? 'soon' : 'later';
}

export interface DayTotals {
  classes: number;
  reported: number;
  enrolled: number;
  present: number;
  absent_ill: number;
  absent_other: number;
  cases: number;
  late: number;
}

/**
 * Sums of one day's reports of a school; `missing` is the number of classes not reported. On a day
 * without school (`schoolDay` false) no class is expected: classes is 0, reports made anyway still count.
 */
export function sumReports(reports: readonly HealthCheck[], missing: number, schoolDay = true): DayTotals {
  const t: DayTotals = { classes: schoolDay ? reports.length + missing : 0, reported: reports.length, enrolled: 0, present: 0, absent_ill: 0, absent_other: 0, cases: 0, late: 0 };
  for (const r of reports) {
    t.enrolled += r.enrolled;
    t.present += r.present;
    t.absent_ill += r.absent_ill;
    t.absent_other += r.absent_other;
    t.cases += r.cases.length;
    if (r.late) t.late += 1;
  }
  return t;
}

/** The `n` days ending with `today`, oldest first. */
export function lastDays(today: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addDays(today, i - (n - 1)));
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; resolves to the
 * results in the order of `items` (a failed call gives null).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<(R | null)[]> {
  const results: (R | null)[] = new Array(items.length).fill(null);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch {
        results[i] = null;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One day of the trend; null figures where the day could not be read. */
export interface TrendDay {
  day: string;
  figures: Completeness | null;
}

/** The trend chart: pupils absent through illness and ill or symptomatic cases per day, as bars and a line. */
export function healthTrendOption(days: readonly TrendDay[], names: { absentIll: string; cases: string; rate: string }): EChartsCoreOption {
  return {
    grid: { left: 40, right: 48, top: 40, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: names.absentIll, type: 'bar', barMaxWidth: 18, data: days.map((d) => d.figures?.absent_ill ?? null) },
      { name: names.cases, type: 'bar', barMaxWidth: 18, data: days.map((d) => d.figures?.cases ?? null) },
      {
        name: names.rate,
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        data: days.map((d) => (d.figures?.rate === null || d.figures?.rate === undefined ? null : Math.floor(d.figures.rate * 1000 + 1e-9) / 10)),
      },
    ],
  };
}
