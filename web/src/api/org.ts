import { http, seg, type PageQuery, type Paged } from './http';

export type OrgLevel = 'province' | 'city' | 'county' | 'school';

export const kSchoolTypes = [
  'kindergarten',
  'primary',
  'junior',
  'senior',
  'nine_year',
  'twelve_year',
  'special',
  'vocational',
] as const;
export type SchoolType = (typeof kSchoolTypes)[number];

export const kLocalities = ['urban', 'town', 'rural'] as const;
export type Locality = (typeof kLocalities)[number];

export interface SchoolAttributes {
  school_type: SchoolType;
  locality: Locality;
  boarding: boolean;
  day_students: number;
  boarding_students: number;
  class_count: number;
}

export interface OrgUnit {
  code: string;
  name: string;
  level: OrgLevel;
  parent_code: string | null;
  active: boolean;
  demo: boolean;
  child_count: number;
  attributes: SchoolAttributes | null;
}

export interface OrgAncestor {
  code: string;
  name: string;
  level: OrgLevel;
}

export interface OrgUnitDetail extends OrgUnit {
  ancestors: OrgAncestor[];
}

export interface OrgStats {
  schools: number;
  students: number;
  by_type: Partial<Record<SchoolType, number>>;
  by_locality: Partial<Record<Locality, number>>;
}

export interface SchoolQuery extends PageQuery {
  q?: string;
  school_type?: SchoolType | '';
  locality?: Locality | '';
  active?: boolean | '';
}

export interface CreateSchoolRequest {
  parent_code: string;
  code: string;
  name: string;
  attributes: SchoolAttributes;
}

export interface UpdateSchoolRequest {
  name?: string;
  attributes?: Partial<SchoolAttributes>;
}

/** One row of a school import, as the server takes it. */
export interface SchoolImportRow {
  code: string;
  name: string;
  school_type: string;
  locality: string;
  boarding: boolean | string;
  day_students: number | string;
  boarding_students: number | string;
  class_count: number | string;
}

export function getOrgUnit(code: string): Promise<OrgUnitDetail> {
  return http.get<OrgUnitDetail>(`/org-units/${seg(code)}`);
}

export function listChildren(code: string, query: PageQuery = {}): Promise<Paged<OrgUnit>> {
  return http.get<Paged<OrgUnit>>(`/org-units/${seg(code)}/children`, { ...query });
}

/** Every child of `code`, fetching page after page (page_size ≤ 500). */
export async function listAllChildren(code: string): Promise<OrgUnit[]> {
  const page_size = 500;
  const items: OrgUnit[] = [];
  for (let page = 1; ; page += 1) {
    const result = await listChildren(code, { page, page_size });
    items.push(...result.items);
    if (result.items.length === 0 || items.length >= result.total) return items;
  }
}

export function listSchools(code: string, query: SchoolQuery = {}): Promise<Paged<OrgUnit>> {
  return http.get<Paged<OrgUnit>>(`/org-units/${seg(code)}/schools`, { ...query });
}

export function getOrgStats(code: string): Promise<OrgStats> {
  return http.get<OrgStats>(`/org-units/${seg(code)}/stats`);
}

/** Search by name within the caller's jurisdiction. */
export function searchOrgUnits(q: string, query: PageQuery = {}): Promise<Paged<OrgUnit>> {
  return http.get<Paged<OrgUnit>>('/org-units', { q, ...query });
}

export function createSchool(req: CreateSchoolRequest): Promise<OrgUnit> {
  return http.post<OrgUnit>('/org-units', req);
}

export function updateSchool(code: string, req: UpdateSchoolRequest): Promise<OrgUnit> {
  return http.patch<OrgUnit>(`/org-units/${seg(code)}`, req);
}

export function deactivateOrgUnit(code: string): Promise<OrgUnit> {
  return http.post<OrgUnit>(`/org-units/${seg(code)}/deactivate`);
}

export interface ImportResult {
  created: number;
}

/** Imports schools under county `code`; all or nothing (422 import_failed lists every bad cell). */
export function importSchools(code: string, rows: SchoolImportRow[]): Promise<ImportResult> {
  return http.post<ImportResult>(`/org-units/${seg(code)}/schools/import`, { rows });
}

/** Same as importSchools, with the rows as CSV text (header: the English column names). */
export function importSchoolsCsv(code: string, csv: string): Promise<ImportResult> {
  return http.post<ImportResult>(`/org-units/${seg(code)}/schools/import`, csv, {
    contentType: 'text/csv; charset=utf-8',
  });
}
