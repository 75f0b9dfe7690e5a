// Inspections (隐患排查): checklist templates, a bureau's campaigns (专项检查) with their due
// inspections per school and round, and the inspections themselves, whose failed items become
// hazards in the same transaction (decision 0012).
import { http, seg, type PageQuery, type Paged } from './http';
import type { Locality, OrgLevel, SchoolType } from './org';

export const kHazardCategories = [
  'fire',
  'building',
  'food',
  'school_bus',
  'electricity',
  'heating',
  'snow_ice',
  'lab',
  'surroundings',
  'drowning',
  'security',
  'other',
] as const;
/** What a checklist item and a hazard are about; `security` is the four-100% items. */
export type HazardCategory = (typeof kHazardCategories)[number];

export interface ChecklistSummary {
  id: number;
  key: string;
  version: number;
  name: string;
  /** null for the shipped templates; else the bureau that owns it. */
  owner_code: string | null;
  categories: HazardCategory[];
  item_count: number;
}

export interface ChecklistItem {
  code: string;
  text: string;
  category: HazardCategory;
  /** How to check it. */
  how: string;
  /** A pass or fail needs at least one photo. */
  photo_required: boolean;
}

export interface Checklist extends ChecklistSummary {
  items: ChecklistItem[];
}

/** A bureau's checklist; the same `key` again is the next version of the caller's unit. */
export interface ChecklistInput {
  key: string;
  name: string;
  items: ChecklistItem[];
}

export const kCadences = ['once', 'weekly', 'monthly', 'semester'] as const;
export type Cadence = (typeof kCadences)[number];

export interface DueTotals {
  due: number;
  done: number;
  on_time: number;
  late: number;
  missed: number;
  open: number;
}

export interface Campaign {
  id: number;
  name: string;
  org_code: string;
  org_name: string;
  template_id: number;
  template_name: string;
  cadence: Cadence;
  starts_on: string;
  ends_on: string;
  school_types: SchoolType[];
  locality: Locality[];
  description: string;
  created_by: string;
  created_at: string;
  rounds: number;
  current_round: { round: number; opens_on: string; due_on: string } | null;
  totals: DueTotals;
}

export interface CampaignInput {
  name: string;
  org: string;
  template_id: number;
  cadence: Cadence;
  starts_on: string;
  ends_on: string;
  school_types?: SchoolType[];
  locality?: Locality[];
  description?: string;
}

/** Completeness = done / due, timeliness = on_time / due; null without due rows. */
export interface Progress extends DueTotals {
  code: string;
  name: string;
  level: OrgLevel;
  completeness: number | null;
  timeliness: number | null;
}

export interface MissedSchool {
  code: string;
  name: string;
  county_name: string;
  due_on: string;
  status: DueStatus;
}

export interface CampaignProgress {
  round: number;
  opens_on: string;
  due_on: string;
  unit: Progress;
  children: Progress[];
  missed_schools: MissedSchool[];
}

export const kDueStatuses = ['open', 'done', 'late', 'missed'] as const;
/** done = on time; late = done after the window; missed = the window closed without one. */
export type DueStatus = (typeof kDueStatuses)[number];

export interface Due {
  id: number;
  campaign_id: number;
  campaign_name: string;
  template_id: number;
  template_name: string;
  round: number;
  opens_on: string;
  due_on: string;
  status: DueStatus;
  inspection_id: number | null;
  /** Its window has not opened yet (opens_on is after the server's today): it cannot be inspected before opens_on. */
  upcoming: boolean;
}

export const kInspectionSources = ['campaign', 'self', 'spot_check', 'unannounced'] as const;
/** campaign and self by the school's staff; 督查抽查 and 暗访 by a bureau. */
export type InspectionSource = (typeof kInspectionSources)[number];

export type ItemResult = 'pass' | 'fail' | 'na';
export type HazardGrade = 'ordinary' | 'major';
export const kBuildingGrades = ['A', 'B', 'C', 'D'] as const;
export type BuildingGrade = (typeof kBuildingGrades)[number];

/** What a failed item registers as a hazard. */
export interface FailedItemHazard {
  grade: HazardGrade;
  location: string;
  description: string;
  building_grade?: BuildingGrade;
  fixed_at_once?: boolean;
}

export interface ItemAnswer {
  code: string;
  result: ItemResult;
  note?: string;
  photos?: string[];
  hazard?: FailedItemHazard;
}

export interface InspectionInput {
  school: string;
  template_id: number;
  due_id?: number;
  source: InspectionSource;
  notes?: string;
  results: ItemAnswer[];
}

export interface InspectionResultItem {
  code: string;
  text: string;
  category: HazardCategory;
  result: ItemResult;
  note: string;
  photos: string[];
  hazard_id: number | null;
}

export interface Inspection {
  id: number;
  school_code: string;
  school_name: string;
  template_id: number;
  template_name: string;
  template_version: number;
  campaign_id: number | null;
  due_id: number | null;
  source: InspectionSource;
  inspector: string;
  inspected_at: string;
  notes: string;
  pass: number;
  fail: number;
  na: number;
  /** Only in GET /inspections/{id} and the answer of a submission. */
  results?: InspectionResultItem[];
}

export interface InspectionCreated {
  inspection: Inspection;
  hazard_ids: number[];
}

export interface InspectionQuery extends PageQuery {
  org: string;
  source?: InspectionSource | '';
  from?: string;
  to?: string;
}

// ---- calls ----------------------------------------------------------------

/** The shipped templates and those of the caller's unit and its ancestors, newest version of each. */
export function listChecklists(): Promise<{ items: ChecklistSummary[] }> {
  return http.get<{ items: ChecklistSummary[] }>('/checklists');
}

export function getChecklist(id: number): Promise<Checklist> {
  return http.get<Checklist>(`/checklists/${seg(id)}`);
}

/**
 * Adds a checklist owned by the caller's unit (bureau admins and safety officers); the key of one
 * it owns already makes the next version. 400 names each bad field (`items[2].text`).
 */
export function createChecklist(input: ChecklistInput): Promise<Checklist> {
  return http.post<Checklist>('/checklists', input);
}

/** Launches a campaign to `org`'s subtree; the first round's due rows exist when it answers. */
export function createCampaign(input: CampaignInput): Promise<Campaign> {
  return http.post<Campaign>('/campaigns', input);
}

/** Campaigns that reach `org`: issued by it, its ancestors or units below it. */
export function listCampaigns(org: string, query: PageQuery = {}): Promise<Paged<Campaign>> {
  return http.get<Paged<Campaign>>('/campaigns', { org, ...query });
}

export function getCampaign(id: number): Promise<Campaign> {
  return http.get<Campaign>(`/campaigns/${seg(id)}`);
}

/** Completeness and timeliness of `org` and its child units in one round (default: the current one). */
export function getCampaignProgress(id: number, query: { org?: string; round?: number } = {}): Promise<CampaignProgress> {
  return http.get<CampaignProgress>(`/campaigns/${seg(id)}/progress`, { ...query });
}

/** The school's open dues and those of the last 30 days. */
export function listDues(school: string): Promise<{ items: Due[] }> {
  return http.get<{ items: Due[] }>('/inspection-dues', { school });
}

/**
 * Records an inspection. With `idempotencyKey`, a retry of a lost answer is answered with the
 * first result instead of a second inspection.
 */
export function submitInspection(input: InspectionInput, idempotencyKey?: string): Promise<InspectionCreated> {
  return http.post<InspectionCreated>('/inspections', input, idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : {});
}

export function listInspections(query: InspectionQuery): Promise<Paged<Inspection>> {
  return http.get<Paged<Inspection>>('/inspections', { ...query });
}

export function getInspection(id: number): Promise<Inspection> {
  return http.get<Inspection>(`/inspections/${seg(id)}`);
}
