// Morning, noon and evening health checks (晨午检), the classes and dormitories
// they are reported for, completeness for a bureau, and outbreak warnings with
// their report tasks.
import { http, seg, type PageQuery, type Paged } from './http';
import type { OrgLevel } from './org';

// ---- classes and dormitories ----------------------------------------------

export interface SchoolClassInput {
  /** 0 for kindergarten, 1–12 for the grades. */
  grade: number;
  /** e.g. 一年级1班; matches the names in a class teacher's `classes`. */
  name: string;
  enrolment: number;
  /** Boarding classes report an evening check too. */
  boarding?: boolean;
}

export interface SchoolClassPatch {
  name?: string;
  enrolment?: number;
  boarding?: boolean;
  active?: boolean;
}

export interface SchoolClass {
  id: number;
  grade: number;
  name: string;
  enrolment: number;
  boarding: boolean;
  active: boolean;
}

export interface DormitoryInput {
  name: string;
  beds?: number;
}

export interface Dormitory {
  id: number;
  name: string;
  beds: number;
}

// ---- checks -----------------------------------------------------------------

export const kSessions = ['morning', 'noon', 'evening'] as const;
export type CheckSession = (typeof kSessions)[number];

/** The fixed symptom list (WS/T 772-2020, plus jaundice from the 2006 rules). */
export const kSymptoms = [
  'fever',
  'cough',
  'headache',
  'sore_throat',
  'swollen_parotid',
  'abdominal_pain',
  'diarrhoea',
  'vomiting',
  'rash',
  'dizziness',
  'fatigue',
  'red_eyes',
  'jaundice',
] as const;
export type Symptom = (typeof kSymptoms)[number];

export const kSexes = ['male', 'female'] as const;
export type Sex = (typeof kSexes)[number];

/** One ill or symptomatic student. */
export interface HealthCaseInput {
  /** School-internal student number. */
  student_no: string;
  /** Optional; shown to the school only. */
  name?: string | null;
  sex: Sex;
  age: number;
  dormitory_id?: number | null;
  symptoms: Symptom[];
  onset_at?: string | null;
  /** Absent through illness (else present with symptoms). */
  absent: boolean;
  doctor_visit?: boolean;
  diagnosis?: string | null;
  suspected_notifiable?: boolean;
}

export interface HealthCase extends HealthCaseInput {
  id: number;
}

/** `enrolled` = `present` + `absent_ill` + `absent_other`. */
export interface HealthCheckInput {
  class_id: number;
  /** Today or yesterday (Asia/Shanghai). */
  date: string;
  session: CheckSession;
  enrolled: number;
  present: number;
  absent_ill: number;
  absent_other: number;
  cases?: HealthCaseInput[];
}

export interface HealthCheck {
  id: number;
  school_code: string;
  class_id: number;
  class_name: string;
  date: string;
  session: CheckSession;
  /** 1 for the first report; a correction is the next version. */
  version: number;
  enrolled: number;
  present: number;
  absent_ill: number;
  absent_other: number;
  cases: HealthCase[];
  submitted_by: string;
  submitted_at: string;
  /** Submitted after the session's deadline. */
  late: boolean;
  /** Ids of the warnings this report opened or joined. */
  warnings: number[];
}

export interface SchoolChecks {
  date: string;
  session: CheckSession;
  deadline: string;
  /** False on weekends, breaks and holidays of the school calendar: no check is required, `missing` is empty. */
  school_day: boolean;
  reports: HealthCheck[];
  missing: SchoolClass[];
}

export interface Completeness {
  org: { code: string; name: string; level: OrgLevel };
  classes: number;
  reported: number;
  /** reported / classes; null when no class is expected. */
  rate: number | null;
  schools: number;
  schools_complete: number;
  absent_ill: number;
  cases: number;
}

export interface CompletenessTree extends Completeness {
  children: Completeness[];
  /** False on a day without school (calendar): classes and schools are 0, rate null; reports made anyway still count in `reported`. */
  school_day: boolean;
}

// ---- warnings ---------------------------------------------------------------

export type TaskStatus = 'pending' | 'submitted' | 'overdue';

export interface ReportTask {
  id: number;
  /** 县疾控中心, 县教育局. */
  recipients: string[];
  due_at: string;
  immediate: boolean;
  status: TaskStatus;
  /** Overdue and shown to the county. */
  escalated: boolean;
  /** Pre-filled facts. */
  draft: string;
  summary: string | null;
  measures: string | null;
  submitted_at: string | null;
  submitted_by: string | null;
}

export type WarningStatus = 'open' | 'closed';
export type UnitKind = 'class' | 'dormitory' | 'school';

export interface HealthWarning {
  id: number;
  school: { code: string; name: string };
  county: { code: string; name: string };
  /** cluster_1d, cluster_3d, notifiable, disease:<name>. */
  rule: string;
  rule_name: string;
  /** Symptom group id or disease name. */
  group: string;
  unit_kind: UnitKind;
  unit_name: string;
  window_start: string;
  window_end: string;
  cases: number;
  status: WarningStatus;
  opened_at: string;
  closed_at: string | null;
  /** Null only if the server has none for the warning. */
  task: ReportTask | null;
}

export interface HealthWarningDetail extends HealthWarning {
  case_list: HealthCase[];
}

export interface WarningQuery extends PageQuery {
  status?: WarningStatus | 'all';
}

export interface TaskSubmission {
  summary: string;
  measures: string;
}

// ---- calls ------------------------------------------------------------------

const school = (code: string) => `/schools/${seg(code)}`;

/** The school's classes, active first. */
export function listClasses(code: string): Promise<{ items: SchoolClass[] }> {
  return http.get<{ items: SchoolClass[] }>(`${school(code)}/classes`);
}

export function createClass(code: string, input: SchoolClassInput): Promise<SchoolClass> {
  return http.post<SchoolClass>(`${school(code)}/classes`, input);
}

export function updateClass(code: string, id: number, patch: SchoolClassPatch): Promise<SchoolClass> {
  return http.patch<SchoolClass>(`${school(code)}/classes/${seg(id)}`, patch);
}

export function listDormitories(code: string): Promise<{ items: Dormitory[] }> {
  return http.get<{ items: Dormitory[] }>(`${school(code)}/dormitories`);
}

export function createDormitory(code: string, input: DormitoryInput): Promise<Dormitory> {
  return http.post<Dormitory>(`${school(code)}/dormitories`, input);
}

/**
 * Reports one class's check. `idempotencyKey` must be the same for every retry
 * of one submission: the server then answers the first result and writes nothing.
 */
export function submitHealthCheck(input: HealthCheckInput, idempotencyKey: string): Promise<HealthCheck> {
  return http.post<HealthCheck>('/health-checks', input, { headers: { 'Idempotency-Key': idempotencyKey } });
}

/** The reports of one day and session (server default: today, by the time of day) and the classes missing. */
export function getSchoolChecks(code: string, query: { date?: string; session?: CheckSession } = {}): Promise<SchoolChecks> {
  return http.get<SchoolChecks>(`${school(code)}/health-checks`, { ...query });
}

/** Classes expected and reported, and ill counts, for `org` and each child unit. */
export function getCompleteness(org: string, query: { date?: string; session?: CheckSession } = {}): Promise<CompletenessTree> {
  return http.get<CompletenessTree>('/health-checks/completeness', { org, ...query });
}

/** Warnings in `org`'s subtree, newest first (default: open ones). */
export function listWarnings(org: string, query: WarningQuery = {}): Promise<Paged<HealthWarning>> {
  return http.get<Paged<HealthWarning>>('/health-warnings', { org, ...query });
}

export function getWarning(id: number): Promise<HealthWarningDetail> {
  return http.get<HealthWarningDetail>(`/health-warnings/${seg(id)}`);
}

/** Closes a warning once its report is submitted (409 otherwise). */
export function closeWarning(id: number, note: string): Promise<HealthWarning> {
  return http.post<HealthWarning>(`/health-warnings/${seg(id)}/close`, { note });
}

/** Submits a warning's report to the CDC and the county bureau. */
export function submitReportTask(id: number, submission: TaskSubmission): Promise<ReportTask> {
  return http.post<ReportTask>(`/health-report-tasks/${seg(id)}/submit`, submission);
}

// ---- illness absences ------------------------------------------------------

export type AbsenceOutcome = 'absent' | 'diagnosed' | 'hospitalised' | 'returned';

export interface AbsenceEntry {
  id: number;
  date: string;
  outcome: AbsenceOutcome;
  diagnosis: string | null;
  clearance: boolean;
  note: string;
  recorded_by: string;
  recorded_at: string;
}

/** A student absent through illness, followed by the school doctor until back. */
export interface IllnessAbsence {
  id: number;
  class_id: number;
  class_name: string;
  student_no: string;
  started_on: string;
  last_seen_on: string;
  status: 'open' | 'returned';
  outcome: AbsenceOutcome;
  diagnosis: string | null;
  updated_at: string;
  entries: AbsenceEntry[];
}

export interface AbsenceEntryInput {
  date: string;
  outcome: AbsenceOutcome;
  diagnosis?: string;
  clearance?: boolean;
  note?: string;
}

export function listAbsences(code: string, query: { status?: 'open' | 'returned' | 'all' } & PageQuery = {}): Promise<Paged<IllnessAbsence>> {
  return http.get<Paged<IllnessAbsence>>(`${school(code)}/illness-absences`, { status: query.status ?? 'open', page: query.page, page_size: query.page_size ?? 200 });
}

export function addAbsenceEntry(id: number, input: AbsenceEntryInput): Promise<IllnessAbsence> {
  return http.post<IllnessAbsence>(`/illness-absences/${id}/entries`, input);
}
