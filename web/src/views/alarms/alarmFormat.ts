// How alarms read on the consoles: the order they are listed in, the time since the press,
// which steps a user may take, and how an update from the live feed joins the list.
import { kAlarmStatuses, kOutcomesOf, type Alarm, type AlarmOutcome, type AlarmStepStatus } from '@/api/alarms';
import type { Role } from '@/api/auth';
import { hasRole, isSchoolRole, kAlarmHandlers } from '@/utils/permission';

export function isOpen(alarm: Alarm): boolean {
  return alarm.status !== 'closed';
}

/** Whether an unacknowledged alarm has climbed above the county (县级) it starts at. */
export function isEscalated(alarm: Alarm): boolean {
  return alarm.level !== 'county';
}

/**
 * Who raised the alarm as people know them: an alarm host by its source's name (报警主机1), a
 * GB/T 28181 device by its ledger name, a person by the username.
 */
export function raisedBy(alarm: Pick<Alarm, 'raised_by' | 'raised_by_name'>): string {
  return alarm.raised_by_name || alarm.raised_by;
}

/** Who took a step of the alarm: the one who raised it named as in raisedBy, others as recorded. */
export function stepBy(alarm: Pick<Alarm, 'raised_by' | 'raised_by_name'>, by: string): string {
  return by === alarm.raised_by ? raisedBy(alarm) : by;
}

/** Element Plus tag types. */
export const kKindTag = { real: 'danger', test: 'primary', drill: 'warning' } as const;
export const kStatusTag = { raised: 'danger', acknowledged: 'warning', dispatched: 'warning', on_scene: 'primary', closed: 'info' } as const;
export const kLevelTag = { county: 'info', city: 'warning', province: 'danger' } as const;

/**
 * The console's order: open before closed, raised (nobody has answered) first, then real before
 * tests and drills, then the higher priority (1 before 4), then the newest.
 */
export function consoleOrder(a: Alarm, b: Alarm): number {
  const rank = (x: Alarm) => (x.status === 'closed' ? 2 : x.status === 'raised' ? 0 : 1);
  return rank(a) - rank(b) || Number(a.kind !== 'real') - Number(b.kind !== 'real') || a.priority - b.priority || b.id - a.id;
}

/**
 * `alarm` put into `list` (by id), unless the list already holds a newer state of it: steps only
 * go forward, and escalation only climbs, so the further one wins. Answers a new array.
 */
export function mergeAlarm(list: readonly Alarm[], alarm: Alarm): Alarm[] {
  const i = list.findIndex((a) => a.id === alarm.id);
  if (i < 0) return [alarm, ...list];
  const old = list[i];
  if (progress(old) > progress(alarm)) return [...list];
  const out = [...list];
  // The live feed sends no steps: keep the ones already read.
  out[i] = alarm.steps || !old.steps ? alarm : { ...alarm, steps: old.steps };
  return out;
}

const kLevelRank = { county: 0, city: 1, province: 2 } as const;

function progress(a: Alarm): number {
  return kAlarmStatuses.indexOf(a.status) * 10 + kLevelRank[a.level];
}

/** Seconds from the press to `now` (ms), or to the close for a closed alarm; never negative. */
export function elapsedSeconds(alarm: Alarm, now: number): number {
  const start = Date.parse(alarm.pressed_at);
  const end = alarm.closed_at ? Date.parse(alarm.closed_at) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return 0;
  return Math.max(0, Math.floor((end - start) / 1000));
}

/** 42 → "00:42", 3723 → "1:02:03"; hours keep counting past a day. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The statuses after the alarm's current one (a step may be skipped forward, never taken back). */
export function laterSteps(alarm: Alarm): AlarmStepStatus[] {
  const at = kAlarmStatuses.indexOf(alarm.status);
  return kAlarmStatuses.filter((_, i) => i > at) as AlarmStepStatus[];
}

export interface Actor {
  role: Role;
  org_code: string;
}

/**
 * The steps `actor` may take on `alarm`: a handler (school leader or safety officer, bureau
 * safety officer or admin) any later step; other staff of the alarm's own school only the close
 * of a test or drill. The server checks it again.
 */
export function allowedSteps(alarm: Alarm, actor: Actor | null): AlarmStepStatus[] {
  if (!actor) return [];
  const later = laterSteps(alarm);
  if (hasRole(actor.role, kAlarmHandlers)) return later;
  const ownExercise = alarm.kind !== 'real' && isSchoolRole(actor.role) && actor.org_code === alarm.school.code;
  return ownExercise ? later.filter((s) => s === 'closed') : [];
}

export function outcomesFor(alarm: Alarm): readonly AlarmOutcome[] {
  return kOutcomesOf[alarm.kind];
}
