// One-click alarms (一键报警): raised from a guard's button, an alarm host (alarm-source key) or a
// GB/T 28181 device; their lifecycle raised → acknowledged → dispatched → on scene → closed, the
// history with its Excel export, the figures per unit, and the alarm sources of a school.
import { http, seg, type Download, type PageQuery, type Paged } from './http';
import type { OrgLevel } from './org';

export const kAlarmKinds = ['real', 'test', 'drill'] as const;
/** 真实报警, 测试 or 演练: tests and drills never escalate and are always labelled as such. */
export type AlarmKind = (typeof kAlarmKinds)[number];

/** The steps of an alarm's life, in order. A step may be skipped forward, never taken back. */
export const kAlarmStatuses = ['raised', 'acknowledged', 'dispatched', 'on_scene', 'closed'] as const;
export type AlarmStatus = (typeof kAlarmStatuses)[number];
/** The statuses a handler may move an alarm to. */
export type AlarmStepStatus = Exclude<AlarmStatus, 'raised'>;

/** Who must answer the alarm now; an unacknowledged real alarm climbs county → city → province. */
export const kAlarmLevels = ['county', 'city', 'province'] as const;
export type AlarmLevel = (typeof kAlarmLevels)[number];

export type AlarmSource = 'button' | 'ingest' | 'gb28181';

/** How an alarm ended; it must fit the kind (see kOutcomesOf). */
export type AlarmOutcome = 'handled' | 'false_alarm' | 'test_passed' | 'test_failed' | 'drill_done';

export const kOutcomesOf: Record<AlarmKind, readonly AlarmOutcome[]> = {
  real: ['handled', 'false_alarm'],
  test: ['test_passed', 'test_failed'],
  drill: ['drill_done'],
};

/** One step of the timeline; `step` is a status or `escalated` (by `system`). */
export interface AlarmStep {
  step: AlarmStatus | 'escalated';
  at: string;
  /** Username, `system`, `source:<id>` or `device:<id>`. */
  by: string;
  note: string;
}

export interface Alarm {
  id: number;
  school: { code: string; name: string };
  county_code: string;
  source: AlarmSource;
  /** GB/T 28181 device ID (20 digits), for device alarms. */
  device_id: string | null;
  kind: AlarmKind;
  /** 1 (highest) to 4. */
  priority: number;
  pressed_at: string;
  received_at: string;
  location: string;
  description: string;
  status: AlarmStatus;
  level: AlarmLevel;
  /** When an unacknowledged real alarm climbs next; null for tests, drills and at the top. */
  escalate_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  dispatched_at: string | null;
  on_scene_at: string | null;
  closed_at: string | null;
  outcome: AlarmOutcome | null;
  raised_by: string;
  /** Who raised it as people know it: the alarm source's name (an alarm host), the device's ledger name (GB/T 28181); null for a person. */
  raised_by_name: string | null;
  /** Only in the answer of GET /alarms/{id} (and of a step). */
  steps?: AlarmStep[];
}

export interface RaiseAlarmInput {
  /** Default: the caller's own school (only its own staff may raise). */
  school?: string;
  kind: AlarmKind;
  priority?: number;
  location?: string;
  description?: string;
}

export interface AlarmStepInput {
  status: AlarmStepStatus;
  note?: string;
  /** Required to close. */
  outcome?: AlarmOutcome;
}

/** `open` is every status but closed. */
export type AlarmStatusFilter = AlarmStatus | 'open';

export interface AlarmFilter {
  org: string;
  status?: AlarmStatusFilter | '';
  kind?: AlarmKind | '';
  /** YYYY-MM-DD (Asia/Shanghai), inclusive. */
  from?: string;
  to?: string;
}

export interface AlarmQuery extends AlarmFilter, PageQuery {}

export interface UnitAlarmFigures {
  org: { code: string; name: string; level: OrgLevel };
  schools: number;
  real: number;
  false_alarms: number;
  /** false_alarms / real; null without real alarms. */
  false_rate: number | null;
  tests: number;
  drills: number;
  /** Schools with a passed test in the period. */
  schools_tested: number;
  /** schools_tested / schools; null without schools. */
  test_coverage: number | null;
  /** Median seconds from press to acknowledgement of real alarms; null without any. */
  ack_p50_seconds: number | null;
}

export interface AlarmStats {
  from: string;
  to: string;
  unit: UnitAlarmFigures;
  children: UnitAlarmFigures[];
}

/** A credential of an alarm host or regional interface posting to /alarm-ingest. */
export interface AlarmSourceKey {
  id: number;
  school_code: string;
  name: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  /** "<id>.<secret>", only in the answer that creates it: shown once, never again. */
  key?: string;
}

// ---- calls ----------------------------------------------------------------

/** Raises an alarm for the caller's school (403 for anyone but its own staff). */
export function raiseAlarm(input: RaiseAlarmInput): Promise<Alarm> {
  return http.post<Alarm>('/alarms', input);
}

/** Alarms in `org`'s subtree, newest first. */
export function listAlarms(query: AlarmQuery): Promise<Paged<Alarm>> {
  return http.get<Paged<Alarm>>('/alarms', { ...query });
}

/** The history as a workbook, with the same filters as listAlarms. */
export function downloadAlarms(filter: AlarmFilter): Promise<Download> {
  return http.download('/alarms.xlsx', { ...filter }, `alarms-${filter.org}.xlsx`);
}

/** One alarm with its steps. */
export function getAlarm(id: number): Promise<Alarm> {
  return http.get<Alarm>(`/alarms/${seg(id)}`);
}

/**
 * Moves the alarm on. Rejects with 409 `alarm_step_out_of_order` when it is already there or
 * further, 403 for a role that may not handle it, 400 for an outcome that does not fit the kind.
 */
export function advanceAlarm(id: number, input: AlarmStepInput): Promise<Alarm> {
  return http.post<Alarm>(`/alarms/${seg(id)}/steps`, input);
}

/** Figures for `org` and each child unit over [from, to] (server default: the last 30 days). */
export function getAlarmStats(org: string, range: { from?: string; to?: string } = {}): Promise<AlarmStats> {
  return http.get<AlarmStats>('/alarm-stats', { org, ...range });
}

const sources = (code: string) => `/schools/${seg(code)}/alarm-sources`;

export function listAlarmSources(school: string): Promise<{ items: AlarmSourceKey[] }> {
  return http.get<{ items: AlarmSourceKey[] }>(sources(school));
}

/** Creates a source; the answer carries its `key`, which the server keeps only as a hash. */
export function createAlarmSource(school: string, name: string): Promise<AlarmSourceKey> {
  return http.post<AlarmSourceKey>(sources(school), { name });
}

/** Revokes a source: its key is refused from now on. */
export function revokeAlarmSource(school: string, id: number): Promise<AlarmSourceKey> {
  return http.request<AlarmSourceKey>(`${sources(school)}/${seg(id)}`, { method: 'DELETE' });
}
