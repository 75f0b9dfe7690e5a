// Hazards (安全隐患): registered from a failed inspection item or reported directly, rectified,
// accepted by someone other than the reporter, closed; an overdue one climbs a level (挂牌督办).
// The ledger with its yearly workbook, one hazard with its events, its actions and the dashboard.
import { http, seg, type Download, type PageQuery, type Paged } from './http';
import type { BuildingGrade, HazardCategory, HazardGrade } from './inspections';
import type { OrgLevel } from './org';

export type { BuildingGrade, HazardCategory, HazardGrade } from './inspections';

export const kHazardStates = ['registered', 'rectifying', 'awaiting_acceptance', 'closed'] as const;
/** registered → rectifying → awaiting_acceptance → closed; overdue and escalated are flags beside it. */
export type HazardState = (typeof kHazardStates)[number];

export const kHazardGrades = ['ordinary', 'major'] as const;

export const kHazardSources = ['inspection', 'direct', 'spot_check', 'unannounced'] as const;
export type HazardSource = (typeof kHazardSources)[number];
/** The sources a hazard may be reported with by hand (not from an inspection). */
export type ReportSource = Exclude<HazardSource, 'inspection'>;

/** The level that supervises the hazard: the school until it runs late, then one level up per climb. */
export type SupervisingLevel = 'school' | 'county' | 'city' | 'province';

export interface Hazard {
  id: number;
  school_code: string;
  school_name: string;
  county_code: string;
  county_name: string;
  category: HazardCategory;
  location: string;
  description: string;
  grade: HazardGrade;
  source: HazardSource;
  inspection_id: number | null;
  item_code: string | null;
  building_grade: BuildingGrade | null;
  /** A D-grade building: out of use at once (立即停用). */
  out_of_use: boolean;
  /** Fixed while found (已当场整改): starts without interim measures and a deadline. */
  fixed_at_once: boolean;
  found_by: string;
  found_at: string;
  /** Photos taken when it was found (file ids). */
  photos: string[];
  state: HazardState;
  responsible: string;
  measures: string;
  funds: string;
  /** YYYY-MM-DD (Shanghai). */
  deadline: string | null;
  contingency_plan: string;
  interim_measures: string;
  /** Responsible person, measures, funds, deadline and contingency plan are all filled in. */
  five_in_place: boolean;
  overdue: boolean;
  overdue_since: string | null;
  supervising_level: SupervisingLevel;
  escalated_at: string | null;
  /** The school owes a written explanation (after an escalation). */
  explanation_required: boolean;
  explanation: string | null;
  accepted_by: string | null;
  accepted_at: string | null;
  closed_at: string | null;
  days_open: number;
  /** Only in GET /hazards/{id} and the answer of an action. */
  events?: HazardEvent[];
}

export interface HazardEvent {
  at: string;
  /** Username, or `system` for the deadline job. */
  by: string;
  action: string;
  from: HazardState | null;
  to: HazardState | null;
  note: string;
  photos: string[];
}

export interface ReportHazardInput {
  school: string;
  category: HazardCategory;
  location: string;
  description: string;
  grade: HazardGrade;
  source: ReportSource;
  building_grade?: BuildingGrade;
  photos?: string[];
  fixed_at_once?: boolean;
  /** When it was found, if earlier than now (RFC 3339 or YYYY-MM-DD; at most a year ago). */
  found_at?: string;
}

/** `open` = every state but closed. */
export type HazardStateFilter = HazardState | 'open';

export interface HazardFilter {
  org: string;
  state?: HazardStateFilter | '';
  grade?: HazardGrade | '';
  category?: HazardCategory | '';
  overdue?: boolean;
  escalated?: boolean;
  year?: number;
}

export interface HazardQuery extends HazardFilter, PageQuery {}

/** The five in place (五到位) plus interim measures; any of them may be sent. */
export interface PlanFields {
  responsible: string;
  measures: string;
  funds: string;
  deadline: string;
  contingency_plan: string;
  interim_measures: string;
}

export const kHazardActions = ['plan', 'start', 'fix_now', 'submit', 'accept', 'reject', 'explain', 'supervise'] as const;
export type HazardActionName = (typeof kHazardActions)[number];

export type HazardAction =
  | ({ action: 'plan' } & Partial<PlanFields>)
  | { action: 'start' }
  | { action: 'fix_now'; note: string; photos: string[] }
  | { action: 'submit'; note: string; photos: string[] }
  | { action: 'accept'; note: string; photos?: string[] }
  | { action: 'reject'; note: string }
  | { action: 'explain'; text: string }
  | { action: 'supervise'; note: string };

export interface HazardFigures {
  code: string;
  name: string;
  level: OrgLevel;
  open: number;
  overdue: number;
  major: number;
  out_of_use: number;
  closed: number;
  found_this_year?: number;
  /** closed / all; null without hazards. */
  closure_rate: number | null;
  median_days_to_close: number | null;
}

export interface HazardDashboard {
  unit: HazardFigures;
  children: HazardFigures[];
  /** Open hazards supervised at this unit's level inside it, oldest first (挂牌督办). */
  escalated: Hazard[];
}

// ---- calls ----------------------------------------------------------------

/** Reports a hazard directly (or from a bureau's spot check); 201 with the registered hazard. */
export function reportHazard(input: ReportHazardInput): Promise<Hazard> {
  return http.post<Hazard>('/hazards', input);
}

/** Hazards in `org`'s subtree; 404 outside the caller's jurisdiction. */
export function listHazards(query: HazardQuery): Promise<Paged<Hazard>> {
  return http.get<Paged<Hazard>>('/hazards', { ...query });
}

/** One hazard with its events. */
export function getHazard(id: number): Promise<Hazard> {
  return http.get<Hazard>(`/hazards/${seg(id)}`);
}

/**
 * Takes one step of the workflow. A refused step answers 409 with a code (`invalid_transition`,
 * `five_not_in_place`, `same_person`, …) and changes nothing.
 */
export function actOnHazard(id: number, action: HazardAction): Promise<Hazard> {
  return http.post<Hazard>(`/hazards/${seg(id)}/actions`, action);
}

export function getHazardDashboard(org: string): Promise<HazardDashboard> {
  return http.get<HazardDashboard>('/hazards/dashboard', { org });
}

/** The yearly 隐患排查整改台账 of `org` as a workbook. */
export function downloadHazards(org: string, year: number): Promise<Download> {
  return http.download('/hazards/export', { org, year }, `hazards-${org}-${year}.xlsx`);
}
