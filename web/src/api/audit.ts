import { http, type PageQuery, type Paged } from './http';
import type { Role } from './auth';

export interface AuditRecord {
  id: number;
  at: string;
  username: string;
  role: Role | string;
  org_code: string;
  action: string;
  target: string;
  outcome: string;
  request_id: string;
  summary: string;
}

export interface AuditQuery extends PageQuery {
  from?: string;
  to?: string;
  username?: string;
  action?: string;
  outcome?: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  first_bad_id: number | null;
  reason: string | null;
}

/** Newest first; audit_admin only. */
export function listAudit(query: AuditQuery = {}): Promise<Paged<AuditRecord>> {
  return http.get<Paged<AuditRecord>>('/audit', { ...query });
}

/** Recomputes the hash chain over every record. */
export function verifyAudit(): Promise<AuditVerifyResult> {
  return http.get<AuditVerifyResult>('/audit/verify');
}
