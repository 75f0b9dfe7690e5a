import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory } from 'vue-router';
import { layoutChildren } from './routes';
import { buildMenu } from './access';
import { createAppRouter } from './index';
import { fakeServer, json, problem } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Role, User } from '@/api/auth';

const menuOf = (role: Role | undefined) => buildMenu(layoutChildren, role).map((m) => m.path);

describe('menu by role', () => {
  it('shows an audit administrator only Home and Audit', () => {
    expect(menuOf('audit_admin')).toEqual(['/', '/audit']);
  });

  it('shows user administration to the three user managers only', () => {
    expect(menuOf('bureau_admin')).toEqual(['/', '/alarms', '/compliance', '/health', '/devices', '/campaigns', '/checklists', '/hazards', '/hazards/dashboard', '/alarms/history', '/org', '/schools', '/users']);
    expect(menuOf('system_admin')).toContain('/users');
    expect(menuOf('security_admin')).toContain('/users');
    expect(menuOf('bureau_leader')).toEqual(['/', '/alarms', '/compliance', '/health', '/devices', '/campaigns', '/checklists', '/hazards', '/hazards/dashboard', '/alarms/history', '/org', '/schools']);
    expect(menuOf('class_teacher')).not.toContain('/users');
  });

  it('shows the four-100% dashboard to bureaus and the own ledger to schools', () => {
    expect(menuOf('bureau_safety_officer')).toContain('/compliance');
    expect(menuOf('principal')).toEqual(['/', '/alarm-button', '/alarms', '/health/report', '/health/school', '/ledger', '/inspections', '/health/classes', '/devices', '/hazards', '/alarms/history', '/org', '/schools']);
    expect(menuOf('guard')).toContain('/ledger');
    for (const role of ['principal', 'guard', 'system_admin', 'security_admin', 'audit_admin'] as const) {
      expect(menuOf(role)).not.toContain('/compliance');
    }
    for (const role of ['bureau_admin', 'system_admin', 'audit_admin'] as const) {
      expect(menuOf(role)).not.toContain('/ledger');
    }
  });

  it('gives the class teacher the check form, the doctor and principal the school board, bureaus the monitoring', () => {
    expect(menuOf('class_teacher')).toEqual(['/', '/alarm-button', '/health/report', '/ledger', '/org', '/schools']);
    expect(menuOf('school_doctor')).toEqual(['/', '/alarm-button', '/health/report', '/health/school', '/ledger', '/health/classes', '/org', '/schools']);
    expect(menuOf('school_safety_officer')).toContain('/health/classes');
    expect(menuOf('school_safety_officer')).not.toContain('/health/report');
    for (const role of ['bureau_admin', 'bureau_safety_officer', 'bureau_leader'] as const) {
      expect(menuOf(role)).toContain('/health');
      expect(menuOf(role)).not.toContain('/health/report');
      expect(menuOf(role)).not.toContain('/health/school');
    }
    for (const role of ['guard', 'class_teacher', 'principal', 'system_admin', 'audit_admin'] as const) {
      expect(menuOf(role)).not.toContain('/health');
    }
    for (const role of ['guard', 'party_secretary', 'system_admin', 'security_admin', 'audit_admin'] as const) {
      expect(menuOf(role).filter((p) => p.startsWith('/health'))).toEqual([]);
    }
  });

  it('gives every school staff the alarm button, and school leaders and bureaus the console and history', () => {
    for (const role of ['guard', 'class_teacher', 'school_doctor', 'principal', 'party_secretary', 'school_safety_officer'] as const) {
      expect(menuOf(role)[1]).toBe('/alarm-button');
    }
    for (const role of ['principal', 'party_secretary', 'school_safety_officer', 'bureau_admin', 'bureau_safety_officer', 'bureau_leader'] as const) {
      expect(menuOf(role)).toContain('/alarms');
      expect(menuOf(role)).toContain('/alarms/history');
    }
    for (const role of ['guard', 'class_teacher', 'school_doctor', 'system_admin', 'security_admin', 'audit_admin'] as const) {
      expect(menuOf(role)).not.toContain('/alarms');
    }
    for (const role of ['bureau_admin', 'bureau_safety_officer', 'bureau_leader', 'system_admin', 'audit_admin'] as const) {
      expect(menuOf(role)).not.toContain('/alarm-button');
    }
  });

  it('shows device status to bureaus and the school’s leaders and safety officer only', () => {
    for (const role of ['bureau_safety_officer', 'bureau_leader', 'principal', 'party_secretary', 'school_safety_officer'] as const) {
      expect(menuOf(role)).toContain('/devices');
    }
    for (const role of ['class_teacher', 'school_doctor', 'guard', 'audit_admin'] as const) {
      expect(menuOf(role)).not.toContain('/devices');
    }
  });

  it('gives school leaders the inspection page and the ledger, bureaus the campaigns, the ledger and the dashboard', () => {
    for (const role of ['principal', 'party_secretary', 'school_safety_officer'] as const) {
      expect(menuOf(role)).toContain('/inspections');
      expect(menuOf(role)).toContain('/hazards');
      expect(menuOf(role)).not.toContain('/campaigns');
      expect(menuOf(role)).not.toContain('/checklists');
      expect(menuOf(role)).not.toContain('/hazards/dashboard');
    }
    for (const role of ['guard', 'class_teacher', 'school_doctor', 'system_admin', 'security_admin', 'audit_admin'] as const) {
      expect(menuOf(role).filter((p) => p === '/inspections' || p.startsWith('/hazards') || p === '/campaigns' || p === '/checklists')).toEqual([]);
    }
    for (const role of ['bureau_admin', 'bureau_safety_officer', 'bureau_leader'] as const) {
      expect(menuOf(role)).toEqual(expect.arrayContaining(['/campaigns', '/checklists', '/hazards', '/hazards/dashboard']));
      expect(menuOf(role)).not.toContain('/inspections');
    }
  });

  it('shows audit to nobody else', () => {
    for (const role of ['bureau_admin', 'system_admin', 'security_admin', 'principal'] as const) {
      expect(menuOf(role)).not.toContain('/audit');
    }
  });
});

describe('route guard', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
  });

  function serve(user: User | null) {
    vi.stubGlobal(
      'fetch',
      fakeServer({
        'GET /api/v1/auth/me': () => (user ? json({ user, csrf_token: 'c' }) : problem(401, 'unauthenticated')),
      }).fetch,
    );
  }

  it('sends a visitor without a session to login, remembering the page', async () => {
    serve(null);
    const router = createAppRouter(createMemoryHistory());
    await router.push('/schools');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/schools');
  });

  it('keeps an audit administrator out of the school pages', async () => {
    serve(userWith({ role: 'audit_admin' }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/schools');
    expect(router.currentRoute.value.name).toBe('home');
    await router.push('/audit');
    expect(router.currentRoute.value.name).toBe('audit');
  });

  it('keeps a bureau officer out of the audit and user pages', async () => {
    serve(userWith({ role: 'bureau_safety_officer' }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/audit');
    expect(router.currentRoute.value.name).toBe('home');
    await router.push('/users');
    expect(router.currentRoute.value.name).toBe('home');
    await router.push('/org');
    expect(router.currentRoute.value.name).toBe('org');
    await router.push('/compliance');
    expect(router.currentRoute.value.name).toBe('compliance');
  });

  it('keeps school staff out of the dashboard and lets them open their own ledger', async () => {
    serve(userWith({ role: 'principal', org_code: '9410105001' }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/compliance');
    expect(router.currentRoute.value.name).toBe('home');
    await router.push('/ledger');
    expect(router.currentRoute.value.name).toBe('my-ledger');
  });

  it('lets a class teacher open the check form only, and a bureau the monitoring and a school’s board', async () => {
    serve(userWith({ role: 'class_teacher', org_code: '9410105001', classes: ['一年级1班'] }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/health/report');
    expect(router.currentRoute.value.name).toBe('health-report');
    for (const path of ['/health/school', '/health', '/health/classes', '/schools/9410105001/health']) {
      await router.push(path);
      expect(router.currentRoute.value.name, path).toBe('home');
    }

    setActivePinia(createPinia());
    serve(userWith({ role: 'bureau_leader' }));
    const bureau = createAppRouter(createMemoryHistory());
    await bureau.push('/health');
    expect(bureau.currentRoute.value.name).toBe('health');
    await bureau.push('/schools/9410105001/health');
    expect(bureau.currentRoute.value.name).toBe('school-health');
    await bureau.push('/health/report');
    expect(bureau.currentRoute.value.name).toBe('home');
  });

  it('lets a guard open the alarm button but not the console, and a county officer the console', async () => {
    serve(userWith({ role: 'guard', org_code: '9410105001' }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/alarm-button');
    expect(router.currentRoute.value.name).toBe('alarm-button');
    for (const path of ['/alarms', '/alarms/history']) {
      await router.push(path);
      expect(router.currentRoute.value.name, path).toBe('home');
    }

    setActivePinia(createPinia());
    serve(userWith({ role: 'bureau_safety_officer' }));
    const bureau = createAppRouter(createMemoryHistory());
    await bureau.push('/alarms');
    expect(bureau.currentRoute.value.name).toBe('alarms');
    await bureau.push('/alarms/history');
    expect(bureau.currentRoute.value.name).toBe('alarm-history');
    await bureau.push('/alarm-button');
    expect(bureau.currentRoute.value.name).toBe('home');
  });

  it('lets bureaus open the checklists and keeps school staff out', async () => {
    serve(userWith({ role: 'bureau_leader' }));
    const bureau = createAppRouter(createMemoryHistory());
    await bureau.push('/checklists');
    expect(bureau.currentRoute.value.name).toBe('checklists');

    setActivePinia(createPinia());
    serve(userWith({ role: 'principal', org_code: '9410105001' }));
    const school = createAppRouter(createMemoryHistory());
    await school.push('/checklists');
    expect(school.currentRoute.value.name).toBe('home');
  });

  it('holds a user who must change the password on the password page', async () => {
    serve(userWith({ must_change_password: true }));
    const router = createAppRouter(createMemoryHistory());
    await router.push('/schools');
    expect(router.currentRoute.value.name).toBe('change-password');
  });
});
