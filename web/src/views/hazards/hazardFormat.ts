// How hazards read on screen: tag colours of states, grades and levels, the order of a list
// (D-grade buildings out of use first), the five in place, which actions a user may take in
// which state (the server decides again), days to the deadline and the dashboard's chart.
import type { EChartsCoreOption } from 'echarts/core';
import type { Role } from '@/api/auth';
import type { Hazard, HazardActionName, HazardFigures, HazardState, PlanFields, SupervisingLevel } from '@/api/hazards';
import { hasRole, kHazardRectifiers, kHazardSupervisors } from '@/utils/permission';
import { addDays, pickerDay, shanghaiDay } from '@/utils/day';

/** Element Plus tag types. */
export const kStateTag: Record<HazardState, 'danger' | 'warning' | 'primary' | 'info' | 'success'> = {
  registered: 'danger',
  rectifying: 'warning',
  awaiting_acceptance: 'primary',
  closed: 'success',
};
export const kGradeTag = { ordinary: 'info', major: 'danger' } as const;
export const kLevelTag: Record<SupervisingLevel, 'info' | 'warning' | 'danger'> = { school: 'info', county: 'warning', city: 'danger', province: 'danger' };

/** The five that must be in place (五到位) before a major hazard's rectification starts. */
export const kFiveFields = ['responsible', 'measures', 'funds', 'deadline', 'contingency_plan'] as const;
export type FiveField = (typeof kFiveFields)[number];

/** Which of the five are filled in, in order. */
export function fiveInPlace(h: Pick<Hazard, FiveField>): Record<FiveField, boolean> {
  return Object.fromEntries(kFiveFields.map((f) => [f, Boolean(h[f] && String(h[f]).trim())])) as Record<FiveField, boolean>;
}

/** Whether the hazard is supervised above the school (挂牌督办). */
export function isEscalated(h: Pick<Hazard, 'supervising_level'>): boolean {
  return h.supervising_level !== 'school';
}

/**
 * The order of every hazard list, the server's own: D-grade buildings out of use first, then
 * overdue, then the newest. Answers a new array.
 */
export function sortHazards(list: readonly Hazard[]): Hazard[] {
  return [...list].sort((a, b) => Number(b.out_of_use) - Number(a.out_of_use) || Number(b.overdue) - Number(a.overdue) || b.id - a.id);
}

/** Days from `today` to the deadline: negative when past, null without a deadline. */
export function daysLeft(deadline: string | null, today: string = shanghaiDay()): number | null {
  if (!deadline) return null;
  const toUtc = (d: string) => {
    const [y, m, day] = d.split('-').map(Number);
    return Date.UTC(y, m - 1, day);
  };
  return Math.round((toUtc(deadline) - toUtc(today)) / 86_400_000);
}

/** For el-date-picker: a deadline is not before the day the hazard was found (the server's rule). */
export function deadlineDisabler(foundAt: string): (d: Date) => boolean {
  const found = shanghaiDay(new Date(foundAt));
  return (d: Date) => pickerDay(d) < found;
}

/** The level of a unit from its code: 10 digits a school, ..0000 a province, ..00 (and 济源 419001) a city, else a county. */
export function levelOfCode(code: string): SupervisingLevel {
  if (code.length > 6) return 'school';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00') || code === '419001') return 'city';
  return 'county';
}

/** A default deadline for a plan: 30 days from today. */
export function defaultDeadline(today: string = shanghaiDay()): string {
  return addDays(today, 30);
}

export interface HazardActor {
  role: Role;
  org_code: string;
  username: string;
}

/**
 * The actions `actor` may take on `h` now, in the order the buttons show (the backend's
 * hazard_rules; the server checks it again). The school's leaders (principal, Party secretary,
 * safety officer) plan, start, fix, submit and explain; its principal or safety officer, or a
 * bureau officer with jurisdiction, accept or reject, never the one who found it; the bureau
 * officer at the supervising level writes a supervision note. Nothing is done to a closed hazard.
 */
export function allowedActions(h: Hazard, actor: HazardActor | null): HazardActionName[] {
  if (!actor || h.state === 'closed') return [];
  const out: HazardActionName[] = [];
  if (isSchoolLeader(h, actor)) {
    if (h.state === 'registered' || h.state === 'rectifying') out.push('plan');
    if (h.state === 'registered') {
      out.push('start');
      if (h.grade === 'ordinary') out.push('fix_now');
    }
    if (h.state === 'rectifying') out.push('submit');
  }
  if (h.state === 'awaiting_acceptance' && isAcceptor(h, actor) && actor.username !== h.found_by) out.push('accept', 'reject');
  if (h.explanation_required && isSchoolLeader(h, actor)) out.push('explain');
  if (hasRole(actor.role, kHazardSupervisors) && isEscalated(h) && levelOfCode(actor.org_code) === h.supervising_level) out.push('supervise');
  return out;
}

/** Whether acceptance waits for someone else: the actor may accept but found the hazard. */
export function acceptanceNeedsOther(h: Hazard, actor: HazardActor | null): boolean {
  return !!actor && h.state === 'awaiting_acceptance' && actor.username === h.found_by && isAcceptor(h, actor);
}

function isSchoolLeader(h: Hazard, actor: HazardActor): boolean {
  return hasRole(actor.role, kHazardRectifiers) && actor.org_code === h.school_code;
}

function isAcceptor(h: Hazard, actor: HazardActor): boolean {
  if (actor.org_code === h.school_code) return actor.role === 'principal' || actor.role === 'school_safety_officer';
  return hasRole(actor.role, kHazardSupervisors) && levelOfCode(actor.org_code) !== 'school';
}

/**
 * Why `start` would be refused, before asking: a major hazard without the five in place, or an
 * hazard not fixed at once without interim measures and a deadline. Empty when it may start.
 */
export function startBlockers(h: Hazard): Array<FiveField | 'interim_measures'> {
  const missing: Array<FiveField | 'interim_measures'> = [];
  if (h.grade === 'major') {
    const five = fiveInPlace(h);
    missing.push(...kFiveFields.filter((f) => !five[f]));
  }
  if (!h.fixed_at_once) {
    if (!h.interim_measures.trim()) missing.push('interim_measures');
    if (!h.deadline && !missing.includes('deadline')) missing.push('deadline');
  }
  return missing;
}

/** The plan form's starting values: what the hazard already holds. */
export function planFrom(h: Hazard): PlanFields {
  return {
    responsible: h.responsible ?? '',
    measures: h.measures ?? '',
    funds: h.funds ?? '',
    deadline: h.deadline ?? '',
    contingency_plan: h.contingency_plan ?? '',
    interim_measures: h.interim_measures ?? '',
  };
}

/** Only the fields that changed, trimmed; a plan action sends nothing else. */
export function planChanges(before: PlanFields, after: PlanFields): Partial<PlanFields> {
  const out: Partial<PlanFields> = {};
  for (const key of Object.keys(after) as (keyof PlanFields)[]) {
    const v = after[key].trim();
    if (v !== before[key].trim()) out[key] = v;
  }
  return out;
}

/** Median days to close: "3.5 天"-ready number with at most one decimal; "—" for null. */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined || Number.isNaN(days)) return '—';
  return Number.isInteger(days) ? String(days) : days.toFixed(1);
}

/** Children with the most open hazards first (then overdue, then by code). */
export function sortFigures(children: readonly HazardFigures[]): HazardFigures[] {
  return [...children].sort((a, b) => b.open - a.open || b.overdue - a.overdue || a.code.localeCompare(b.code));
}

/**
 * The dashboard's bar chart: open, overdue, major and out-of-use hazards per child unit, one
 * series each; the unit code travels in each bar's data for clicks.
 */
export function figuresBarOption(children: readonly HazardFigures[], labels: Record<'open' | 'overdue' | 'major' | 'out_of_use', string>): EChartsCoreOption {
  const keys = ['open', 'overdue', 'major', 'out_of_use'] as const;
  const colors = { open: '#409eff', overdue: '#e6a23c', major: '#f56c6c', out_of_use: '#8b0000' };
  const horizontal = children.length > 10;
  const categoryAxis = { type: 'category', data: children.map((c) => c.name), axisLabel: { interval: 0, rotate: !horizontal && children.length > 6 ? 30 : 0 } };
  const valueAxis = { type: 'value', minInterval: 1 };
  return {
    grid: { left: horizontal ? 120 : 40, right: 24, top: 40, bottom: 40, containLabel: !horizontal },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: keys.map((k) => ({
      name: labels[k],
      type: 'bar',
      itemStyle: { color: colors[k] },
      barMaxWidth: 18,
      data: children.map((c) => ({ value: c[k], code: c.code })),
    })),
  };
}
