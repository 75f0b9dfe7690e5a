// The "four 100%" roll-up for a bureau: figures of a unit and its child units,
// the schools that miss an item, daily snapshots, and the workbooks.
import { http, type Download, type PageQuery, type Paged } from './http';
import type { FourItem } from './ledger';
import type { Locality, OrgLevel } from './org';

/** compliant / applicable; rate is null when nothing applies. */
export interface Figure {
  compliant: number;
  applicable: number;
  rate: number | null;
}

export interface ComplianceFigures {
  schools: number;
  items: Record<FourItem, Figure>;
  all_four: Figure;
}

export interface Compliance extends ComplianceFigures {
  org: { code: string; name: string; level: OrgLevel };
}

export interface ComplianceTree extends Compliance {
  children: Compliance[];
}

/** An item of the roll-up: one of the four, or all four together. */
export type GapItem = FourItem | 'all_four';
export const kGapItems: readonly GapItem[] = ['all_four', 'guards', 'closed_management', 'protection_posts', 'alarm_video'];

export interface Gap {
  code: string;
  name: string;
  county: { code: string; name: string };
  locality: Locality;
  failed: FourItem[];
  /** Per failed item, the reasons in Chinese and English. */
  reasons: Partial<Record<FourItem, { zh: string[]; en: string[] }>>;
  evaluated_at: string;
}

export interface GapQuery extends PageQuery {
  item?: GapItem;
  q?: string;
  locality?: Locality | '';
}

export interface TrendPoint extends ComplianceFigures {
  day: string;
}

/** Live figures of `org` and of each of its child units. */
export function getFour100(org: string): Promise<ComplianceTree> {
  return http.get<ComplianceTree>('/compliance/four-100', { org });
}

/** Schools in `org`'s subtree that miss `item` (default: any item). */
export function listGaps(org: string, query: GapQuery = {}): Promise<Paged<Gap>> {
  return http.get<Paged<Gap>>('/compliance/gaps', { org, ...query });
}

export function downloadGaps(org: string, query: Omit<GapQuery, 'page' | 'page_size'> = {}): Promise<Download> {
  return http.download('/compliance/gaps.xlsx', { org, ...query }, `gaps-${org}.xlsx`);
}

/** Daily snapshots, oldest first, of the last `days` days (1…366). */
export function getTrend(org: string, days = 30): Promise<{ items: TrendPoint[] }> {
  return http.get<{ items: TrendPoint[] }>('/compliance/trend', { org, days });
}

/** The ledger of every school under `org` as one workbook. */
export function downloadLedgerExport(org: string): Promise<Download> {
  return http.download('/ledger/export.xlsx', { org }, `ledger-${org}.xlsx`);
}
