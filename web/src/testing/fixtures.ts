import type { User } from '@/api/auth';

export const kCountyUser: User = {
  id: 3,
  username: 'demo-county',
  display_name: '金水区安全专干',
  role: 'bureau_safety_officer',
  org_code: '410105',
  org_name: '金水区',
  classes: [],
  must_change_password: false,
  active: true,
  locked_until: null,
  totp_enabled: false,
  created_at: '2026-01-01T08:00:00+08:00',
};

export function userWith(overrides: Partial<User>): User {
  return { ...kCountyUser, ...overrides };
}
