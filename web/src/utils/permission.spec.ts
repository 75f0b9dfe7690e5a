import { describe, expect, it } from 'vitest';
import { kAdminRoles } from '@/api/auth';
import { assignableRoles, canEditUser, canResetUser, hasRole, kSchoolWriters, orgLevelsForRole } from './permission';

describe('permissions', () => {
  it('lets bureau and system admins assign every role but the three administrators', () => {
    for (const creator of ['bureau_admin', 'system_admin'] as const) {
      const roles = assignableRoles(creator);
      expect(roles).toContain('class_teacher');
      expect(roles).toContain('bureau_leader');
      for (const admin of kAdminRoles) expect(roles).not.toContain(admin);
    }
  });

  it('lets no other role create accounts', () => {
    expect(assignableRoles('security_admin')).toEqual([]);
    expect(assignableRoles('bureau_safety_officer')).toEqual([]);
    expect(assignableRoles('audit_admin')).toEqual([]);
  });

  it('lets the security admin reset and unlock but not edit', () => {
    expect(canResetUser('security_admin', 'principal')).toBe(true);
    expect(canEditUser('security_admin', 'principal')).toBe(false);
    expect(canResetUser('bureau_admin', 'audit_admin')).toBe(false);
    expect(canEditUser('system_admin', 'guard')).toBe(true);
  });

  it('knows who writes schools', () => {
    expect(hasRole('bureau_leader', kSchoolWriters)).toBe(false);
    expect(hasRole('bureau_safety_officer', kSchoolWriters)).toBe(true);
    expect(hasRole(undefined, kSchoolWriters)).toBe(false);
    expect(hasRole(undefined, undefined)).toBe(true);
  });

  it('puts school roles in schools and bureau roles above them', () => {
    expect(orgLevelsForRole('class_teacher')).toEqual(['school']);
    expect(orgLevelsForRole('bureau_leader')).not.toContain('school');
  });
});
