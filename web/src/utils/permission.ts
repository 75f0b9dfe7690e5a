// Who may do what in the UI. The server enforces all of this again; the UI only
// hides what would be refused. Rules from docs/api-contract.md.
import {
  kAdminRoles,
  kAllRoles,
  kBureauRoles,
  kSchoolRoles,
  type AdminRole,
  type Role,
} from '@/api/auth';
import type { OrgLevel } from '@/api/org';

/** May create, edit, deactivate and import schools. */
export const kSchoolWriters: readonly Role[] = ['bureau_admin', 'bureau_safety_officer', 'system_admin'];
/** See the user administration page. */
export const kUserManagers: readonly Role[] = ['bureau_admin', 'system_admin', 'security_admin'];
/** May create and edit accounts (security_admin may only unlock and reset). */
export const kUserEditors: readonly Role[] = ['bureau_admin', 'system_admin'];
/** Everyone but the audit administrator works with org data. */
export const kOrgReaders: readonly Role[] = kAllRoles.filter((r) => r !== 'audit_admin');
export const kAuditReaders: readonly Role[] = ['audit_admin'];
/** See a school's security ledger (the server narrows it to their jurisdiction). */
export const kLedgerReaders: readonly Role[] = kOrgReaders;
/** Have "安全台账" in the menu: the ledger of their own school. */
export const kLedgerMenuRoles: readonly Role[] = kSchoolRoles;
/** See the four-100% dashboard of their unit and the units below it. */
export const kComplianceReaders: readonly Role[] = kBureauRoles;
/** Report a class's morning/noon check (晨午检): the class teacher, or the school doctor and principal for any class. */
export const kHealthReporters: readonly Role[] = ['class_teacher', 'school_doctor', 'principal'];
/** May report for any class of the school, not only their own. */
export const kHealthAnyClass: readonly Role[] = ['school_doctor', 'principal'];
/** Have the school's health board in the menu and act on its warnings. */
export const kHealthBoardRoles: readonly Role[] = ['school_doctor', 'principal'];
/** Submit a warning's report to the CDC and the county bureau. */
export const kHealthTaskSubmitters: readonly Role[] = ['school_doctor', 'principal'];
/** Close a warning once its report is submitted. */
export const kHealthWarningClosers: readonly Role[] = ['school_doctor', 'principal'];
/** See a school's health board: its own health staff, and bureaus read-only. */
export const kHealthBoardReaders: readonly Role[] = [...kHealthBoardRoles, ...kBureauRoles];
/** See the completeness of checks and the warnings of their unit and the units below. */
export const kHealthBureauReaders: readonly Role[] = kBureauRoles;
/** Add and change the school's classes and dormitories. */
export const kClassManagers: readonly Role[] = ['principal', 'school_safety_officer', 'school_doctor'];

/** Watch the live alarm console and the history: the school's leaders and safety officer, and bureaus. */
export const kAlarmConsoleRoles: readonly Role[] = ['principal', 'party_secretary', 'school_safety_officer', ...kBureauRoles];
/** Acknowledge, dispatch, arrive at and close any alarm in their jurisdiction (the bureau leader only watches). */
export const kAlarmHandlers: readonly Role[] = ['principal', 'party_secretary', 'school_safety_officer', 'bureau_safety_officer', 'bureau_admin'];
/** Press the school's alarm button: any of its staff. */
export const kAlarmRaisers: readonly Role[] = kSchoolRoles;
/** Add and revoke the keys of the school's alarm hosts. */
export const kAlarmSourceManagers: readonly Role[] = ['principal', 'party_secretary', 'school_safety_officer', 'bureau_admin'];
/** See the device status and networked rate of their unit: the school's leaders and safety officer, and bureaus. */
export const kDeviceReaders: readonly Role[] = kAlarmConsoleRoles;

/** Inspect their own school (campaign and self-inspection) and report hazards directly: its leaders and safety officer. */
export const kSchoolInspectors: readonly Role[] = ['principal', 'party_secretary', 'school_safety_officer'];
/** Report a hazard directly (上报隐患) for their own school: any of its staff. */
export const kHazardReporters: readonly Role[] = kSchoolRoles;
/** Launch campaigns and record spot checks and unannounced visits (督查抽查, 暗访) in their jurisdiction. */
export const kBureauInspectors: readonly Role[] = ['bureau_admin', 'bureau_safety_officer'];
/** Open an inspection form: school inspectors, and bureau officers for a spot check. */
export const kInspectionRecorders: readonly Role[] = [...kSchoolInspectors, ...kBureauInspectors];
/** See the checklists (检查表管理): the shipped ones and those of their unit and its ancestors. */
export const kChecklistReaders: readonly Role[] = kBureauRoles;
/** Write their unit's own checklists and new versions of any they see. */
export const kChecklistWriters: readonly Role[] = kBureauInspectors;
/** See campaigns, their progress and the missed schools. */
export const kCampaignReaders: readonly Role[] = kBureauRoles;
/** See the hazard ledger (隐患台账) of their unit and act on its hazards as their role allows. */
export const kHazardReaders: readonly Role[] = [...kSchoolInspectors, ...kBureauRoles];
/** Rectify a hazard of their school: plan, start, fix, submit, accept another's work, explain. */
export const kHazardRectifiers: readonly Role[] = kSchoolInspectors;
/** Write the supervising bureau's note on an escalated hazard. */
export const kHazardSupervisors: readonly Role[] = kBureauInspectors;
/** See the hazard dashboard of their unit and the units below. */
export const kHazardDashboardReaders: readonly Role[] = kBureauRoles;

export function isAdminRole(role: Role | string): role is AdminRole {
  return (kAdminRoles as readonly string[]).includes(role);
}

export function isSchoolRole(role: Role): boolean {
  return (kSchoolRoles as readonly string[]).includes(role);
}

export function hasRole(role: Role | undefined, allowed: readonly Role[] | undefined): boolean {
  if (!allowed) return true;
  return role !== undefined && allowed.includes(role);
}

/** The roles `creator` may give to an account; empty when it may create none. */
export function assignableRoles(creator: Role): Role[] {
  if (creator === 'bureau_admin' || creator === 'system_admin') {
    return [...kBureauRoles, ...kSchoolRoles];
  }
  return [];
}

/** Whether `actor` may edit or deactivate an account that has `target` role. */
export function canEditUser(actor: Role, target: Role): boolean {
  return assignableRoles(actor).includes(target);
}

/** Whether `actor` may reset the password of, or unlock, an account with `target` role. */
export function canResetUser(actor: Role, target: Role): boolean {
  if (actor === 'security_admin') return true;
  return canEditUser(actor, target);
}

/** The org levels an account with `role` may belong to. */
export function orgLevelsForRole(role: Role): OrgLevel[] {
  if (isSchoolRole(role)) return ['school'];
  if (isAdminRole(role)) return ['province', 'city', 'county'];
  return ['province', 'city', 'county'];
}
