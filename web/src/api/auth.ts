import { http } from './http';

export const kBureauRoles = ['bureau_admin', 'bureau_safety_officer', 'bureau_leader'] as const;
export const kSchoolRoles = [
  'principal',
  'party_secretary',
  'school_safety_officer',
  'class_teacher',
  'school_doctor',
  'guard',
] as const;
/** The separate administrators; they log in with a TOTP code. */
export const kAdminRoles = ['system_admin', 'security_admin', 'audit_admin'] as const;
export const kAllRoles = [...kBureauRoles, ...kSchoolRoles, ...kAdminRoles] as const;

export type BureauRole = (typeof kBureauRoles)[number];
export type SchoolRole = (typeof kSchoolRoles)[number];
export type AdminRole = (typeof kAdminRoles)[number];
export type Role = (typeof kAllRoles)[number];

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  org_code: string;
  org_name: string;
  classes: string[];
  must_change_password: boolean;
  active: boolean;
  locked_until: string | null;
  totp_enabled: boolean;
  created_at: string;
}

export interface LoginRequest {
  username: string;
  password: string;
  totp?: string;
}

export interface LoginResponse {
  token: string;
  csrf_token: string;
  user: User;
  must_change_password: boolean;
}

export interface MeResponse {
  user: User;
  csrf_token: string;
}

/** POST /auth/login. Rejects with ApiError code invalid_credentials, account_locked, totp_required or totp_invalid. */
export function login(req: LoginRequest): Promise<LoginResponse> {
  return http.post<LoginResponse>('/auth/login', req, { skipAuthHandling: true });
}

/** GET /auth/me. Rejects with a 401 ApiError when there is no live session. */
export function fetchMe(): Promise<MeResponse> {
  return http.request<MeResponse>('/auth/me', { skipAuthHandling: true });
}

/** POST /auth/password. Rejects with validation_failed (errors per field) or invalid_credentials. */
export function changePassword(old_password: string, new_password: string): Promise<void> {
  return http.post<void>('/auth/password', { old_password, new_password });
}

export function logout(): Promise<void> {
  return http.post<void>('/auth/logout', undefined, { skipAuthHandling: true });
}
