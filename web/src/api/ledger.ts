// The security ledger of one school (安全台账) and its four-100% evaluation:
// guards, gatehouse schedule, patrols, closed-management checks, 护学岗 posts,
// alarm and video devices, alarm tests, the Excel template and photo evidence.
import { http, seg, type Download, type PageQuery, type Paged } from './http';
import type { AuditRecord } from './audit';
import type { OrgUnit } from './org';

export const kFourItems = ['guards', 'closed_management', 'protection_posts', 'alarm_video'] as const;
export type FourItem = (typeof kFourItems)[number];

export type ItemState = 'met' | 'not_met' | 'not_applicable';

export interface ItemEvaluation {
  state: ItemState;
  reasons_zh: string[];
  reasons_en: string[];
}

export interface LedgerSummary {
  school: OrgUnit;
  rule_set: { id: string; name: string };
  required_guards: number;
  evaluation: {
    items: Record<FourItem, ItemEvaluation>;
    all_four: boolean;
    evaluated_at: string;
  };
  counts: {
    guards_active: number;
    /** Full-time, active, certified and at most 60 years old. */
    guards_qualified: number;
    devices: number;
    patrols_today: number;
  };
  /** Whether the caller may change this ledger. */
  can_edit: boolean;
  can_record_duty: boolean;
}

// ---- guards -------------------------------------------------------------

export const kEmployments = ['full_time', 'part_time'] as const;
export type Employment = (typeof kEmployments)[number];

export interface GuardInput {
  name: string;
  /** 保安员证 number. */
  certificate_no: string | null;
  birth_year: number | null;
  employment: Employment;
  employed_since: string | null;
  active?: boolean;
}

export type GuardPatch = Partial<GuardInput>;

/** Why a guard does not count toward the required full-time guards. */
export const kGuardIssues = ['part_time', 'inactive', 'no_certificate', 'over_age'] as const;

export interface Guard extends GuardInput {
  id: number;
  active: boolean;
  qualified: boolean;
  issues: string[];
  updated_at: string;
}

// ---- gatehouse ----------------------------------------------------------

export interface GatehouseShift {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:MM". */
  start: string;
  /** "HH:MM", after start; "24:00" for midnight. */
  end: string;
  staff?: string;
}

export interface UncoveredSpan {
  weekday: number;
  start: string;
  end: string;
}

export interface GatehouseSchedule {
  shifts: GatehouseShift[];
  covers_24h: boolean;
  uncovered: UncoveredSpan[];
}

// ---- patrols ------------------------------------------------------------

export interface Patrol {
  id: number;
  patrolled_at: string;
  area: string;
  by_name: string;
  note: string;
  recorded_by: string;
}

export interface PatrolDay {
  date: string;
  items: Patrol[];
  count: number;
  required_per_day: number;
}

export interface PatrolInput {
  patrolled_at: string;
  area: string;
  by_name: string;
  note?: string;
}

// ---- closed management --------------------------------------------------

export const kClosedMeasures = ['enclosure_anti_climb', 'separate_gates', 'anti_ram_barriers', 'visitor_registration'] as const;
export type ClosedMeasure = (typeof kClosedMeasures)[number];

export const kClosedStatuses = ['in_place', 'not_in_place', 'not_possible'] as const;
export type ClosedStatus = (typeof kClosedStatuses)[number];

export interface ClosedCheck {
  id: number;
  measure: ClosedMeasure;
  status: ClosedStatus;
  checked_on: string;
  note: string;
  /** File ids (GET /files/{id}). */
  photos: string[];
  recorded_by: string;
  recorded_at: string;
}

export interface ClosedChecks {
  /** One key per measure; null when never checked. */
  current: Partial<Record<ClosedMeasure, ClosedCheck | null>>;
  history: ClosedCheck[];
}

export interface ClosedCheckInput {
  measure: ClosedMeasure;
  /** `not_possible` only for separate_gates. */
  status: ClosedStatus;
  checked_on: string;
  note?: string;
  photos?: string[];
}

// ---- 护学岗 ---------------------------------------------------------------

export const kPostSessions = ['arrival', 'dismissal'] as const;
export type PostSession = (typeof kPostSessions)[number];

export interface PostInput {
  police: number;
  staff: number;
  guards: number;
  start: string | null;
  end: string | null;
  note?: string;
}

export interface PostRecord extends PostInput {
  date: string;
  session: PostSession;
  recorded_by: string;
  recorded_at: string;
}

export interface PostDays {
  /** Urban and town schools only. */
  applicable: boolean;
  /** The window the four 100% count: the last 10 school days before today. */
  school_days: string[];
  /** Today (Asia/Shanghai) when it is a school day, else null: listed, counted from tomorrow. */
  today: string | null;
  items: PostRecord[];
}

// ---- devices and alarm tests ---------------------------------------------

export const kDeviceKinds = ['alarm', 'camera', 'nvr'] as const;
export type DeviceKind = (typeof kDeviceKinds)[number];

export interface DeviceInput {
  kind: DeviceKind;
  name: string;
  location?: string;
  /** GB/T 28181 device ID, 20 digits. */
  national_id: string | null;
  police_networked: boolean;
  installed_on: string | null;
  active?: boolean;
}

export type DevicePatch = Partial<DeviceInput>;

export interface Device extends DeviceInput {
  id: number;
  active: boolean;
  updated_at: string;
}

export interface AlarmTestInput {
  tested_at: string;
  device_id: number | null;
  result: 'pass' | 'fail';
  /** Seconds until the 110 centre acknowledged. */
  ack_seconds: number | null;
  note?: string;
}

export interface AlarmTest extends AlarmTestInput {
  id: number;
  recorded_by: string;
}

// ---- import -------------------------------------------------------------

/**
 * A row of the import: the sheet row number, `id` to update an existing guard
 * or device, and the cells. A cell the browser could not read as the field's
 * type is sent as the text it holds, for the server to name in its answer.
 */
export type ImportRow<T> = { [K in keyof T]: T[K] | string } & { row: number; id: number | string | null };
export type GuardImportRow = ImportRow<GuardInput>;
export type DeviceImportRow = ImportRow<DeviceInput>;

export interface LedgerImportRequest {
  guards: GuardImportRow[];
  devices: DeviceImportRow[];
}

export interface LedgerImportResult {
  guards: { created: number; updated: number };
  devices: { created: number; updated: number };
}

export interface StoredFile {
  /** The SHA-256 of the content. */
  id: string;
  content_type: string;
  size: number;
}

// ---- calls ----------------------------------------------------------------

const base = (code: string) => `/schools/${seg(code)}`;

export function getLedger(code: string): Promise<LedgerSummary> {
  return http.get<LedgerSummary>(`${base(code)}/ledger`);
}

/** Changes to the ledger, newest first (from the audit log). */
export function listLedgerHistory(code: string, query: PageQuery = {}): Promise<Paged<AuditRecord>> {
  return http.get<Paged<AuditRecord>>(`${base(code)}/ledger/history`, { ...query });
}

export function listGuards(code: string): Promise<{ items: Guard[] }> {
  return http.get<{ items: Guard[] }>(`${base(code)}/guards`);
}

export function createGuard(code: string, input: GuardInput): Promise<Guard> {
  return http.post<Guard>(`${base(code)}/guards`, input);
}

export function updateGuard(code: string, id: number, patch: GuardPatch): Promise<Guard> {
  return http.patch<Guard>(`${base(code)}/guards/${seg(id)}`, patch);
}

export function getGatehouse(code: string): Promise<GatehouseSchedule> {
  return http.get<GatehouseSchedule>(`${base(code)}/gatehouse-shifts`);
}

export function putGatehouse(code: string, shifts: GatehouseShift[]): Promise<GatehouseSchedule> {
  return http.put<GatehouseSchedule>(`${base(code)}/gatehouse-shifts`, { shifts });
}

/** The patrols of `date` (YYYY-MM-DD, Asia/Shanghai; default today). */
export function listPatrols(code: string, date?: string): Promise<PatrolDay> {
  return http.get<PatrolDay>(`${base(code)}/patrols`, { date });
}

export function createPatrol(code: string, input: PatrolInput): Promise<Patrol> {
  return http.post<Patrol>(`${base(code)}/patrols`, input);
}

export function getClosedChecks(code: string): Promise<ClosedChecks> {
  return http.get<ClosedChecks>(`${base(code)}/closed-checks`);
}

export function createClosedCheck(code: string, input: ClosedCheckInput): Promise<ClosedCheck> {
  return http.post<ClosedCheck>(`${base(code)}/closed-checks`, input);
}

/** 护学岗 records between two days (default: the last 10 school days). */
export function listPosts(code: string, range: { from?: string; to?: string } = {}): Promise<PostDays> {
  return http.get<PostDays>(`${base(code)}/protection-posts`, { ...range });
}

export function putPost(code: string, date: string, session: PostSession, input: PostInput): Promise<PostRecord> {
  return http.put<PostRecord>(`${base(code)}/protection-posts/${seg(date)}/${seg(session)}`, input);
}

export function listDevices(code: string): Promise<{ items: Device[] }> {
  return http.get<{ items: Device[] }>(`${base(code)}/devices`);
}

export function createDevice(code: string, input: DeviceInput): Promise<Device> {
  return http.post<Device>(`${base(code)}/devices`, input);
}

export function updateDevice(code: string, id: number, patch: DevicePatch): Promise<Device> {
  return http.patch<Device>(`${base(code)}/devices/${seg(id)}`, patch);
}

export function listAlarmTests(code: string, query: PageQuery = {}): Promise<Paged<AlarmTest>> {
  return http.get<Paged<AlarmTest>>(`${base(code)}/alarm-tests`, { ...query });
}

export function createAlarmTest(code: string, input: AlarmTestInput): Promise<AlarmTest> {
  return http.post<AlarmTest>(`${base(code)}/alarm-tests`, input);
}

/** The workbook pre-filled with the school's guards and devices. */
export function downloadLedgerTemplate(code: string): Promise<Download> {
  return http.download(`${base(code)}/ledger/template.xlsx`, undefined, `ledger-${code}.xlsx`);
}

/** All rows or none: 422 import_failed names each bad cell as "guards!D7". */
export function importLedger(code: string, req: LedgerImportRequest): Promise<LedgerImportResult> {
  return http.post<LedgerImportResult>(`${base(code)}/ledger/import`, req);
}

/** Uploads a photo (JPEG, PNG or WebP, ≤ 8 MiB) as evidence for `school`'s ledger. */
export function uploadFile(school: string, data: Blob, contentType: string): Promise<StoredFile> {
  return http.post<StoredFile>('/files', data, { query: { school }, contentType });
}

/** Where the browser loads a stored photo from (same origin, session cookie). */
export function fileUrl(id: string): string {
  return `/api/v1/files/${seg(id)}`;
}
