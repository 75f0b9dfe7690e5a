import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import HealthSchoolView from './HealthSchoolView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Role } from '@/api/auth';
import type { HealthCheck, HealthWarning, ReportTask, SchoolChecks } from '@/api/health';

const kCode = '9410105001';

function report(names: boolean): HealthCheck {
  return {
    id: 1,
    school_code: kCode,
    class_id: 7,
    class_name: '一年级1班',
    date: '2026-11-30',
    session: 'morning',
    version: 2,
    enrolled: 45,
    present: 42,
    absent_ill: 3,
    absent_other: 0,
    cases: [1, 2, 3].map((id) => ({ id, student_no: `00${id}`, ...(names ? { name: `学生${id}` } : {}), sex: 'male' as const, age: 7, symptoms: ['fever' as const], absent: true })),
    submitted_by: 'demo-teacher',
    submitted_at: '2026-11-30T08:05:00+08:00',
    late: false,
    warnings: [31],
  };
}

function day(names: boolean): SchoolChecks {
  return {
    date: '2026-11-30',
    session: 'morning',
    deadline: '2026-11-30T08:30:00+08:00',
    school_day: true,
    reports: [report(names)],
    missing: [{ id: 8, grade: 1, name: '一年级2班', enrolment: 44, boarding: false, active: true }],
  };
}

function task(overrides: Partial<ReportTask> = {}): ReportTask {
  return {
    id: 51,
    recipients: ['县疾控中心', '县教育局'],
    due_at: '2026-12-01T08:05:00+08:00',
    immediate: false,
    status: 'pending',
    escalated: false,
    draft: '一年级1班 2026-11-30 发热 3 例。',
    summary: null,
    measures: null,
    submitted_at: null,
    submitted_by: null,
    ...overrides,
  };
}

function warning(id: number, t: ReportTask, rule = 'cluster_1d'): HealthWarning {
  return {
    id,
    school: { code: kCode, name: '【演示】金水区第1小学' },
    county: { code: '410105', name: '金水区' },
    rule,
    rule_name: rule === 'notifiable' ? '疑似法定传染病' : '同班1日内3例及以上相似症状',
    group: 'fever',
    unit_kind: 'class',
    unit_name: '一年级1班',
    window_start: '2026-11-30',
    window_end: '2026-11-30',
    cases: 3,
    status: 'open',
    opened_at: '2026-11-30T08:05:00+08:00',
    closed_at: null,
    task: t,
  };
}

async function render(role: Role, code: string | undefined, names: boolean, extra: Record<string, () => Response> = {}) {
  let submitted = false;
  const bodies: unknown[] = [];
  const server = fakeServer({
    [`GET /api/v1/schools/${kCode}/health-checks`]: () => json(day(names)),
    'GET /api/v1/health-warnings': () =>
      json({
        items: [
          warning(31, submitted ? task({ status: 'submitted', submitted_at: '2026-11-30T09:10:00+08:00', submitted_by: 'demo-doctor', summary: 's', measures: 'm' }) : task()),
          warning(32, task({ id: 52, immediate: true, due_at: '2026-11-30T08:05:00+08:00' }), 'notifiable'),
        ],
        total: 2,
        page: 1,
        page_size: 100,
      }),
    [`GET /api/v1/org-units/${kCode}`]: () => json({ code: kCode, name: '【演示】金水区第1小学', ancestors: [] }),
    'POST /api/v1/health-report-tasks/51/submit': () => {
      submitted = true;
      return json(task({ status: 'submitted' }));
    },
    ...extra,
  });
  const fetch = server.fetch;
  vi.stubGlobal('fetch', async (input: string, init: RequestInit) => {
    if (init.method === 'POST') bodies.push(JSON.parse(String(init.body)));
    return fetch(input, init);
  });
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith(role.startsWith('bureau') ? { role } : { role, org_code: kCode, org_name: '【演示】金水区第1小学' });
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: HealthSchoolView }, { path: '/c', name: 'health-classes', component: HealthSchoolView }] });
  await router.push('/');
  const wrapper = mount(HealthSchoolView, { props: code ? { code } : {}, global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="board-warnings"]').exists()).toBe(true));
  return { wrapper, server, bodies };
}

describe('HealthSchoolView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T09:00:00+08:00'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the doctor the day, the missing class past its deadline, and the warnings with their countdowns', async () => {
    const { wrapper, server } = await render('school_doctor', undefined, true);
    const query = server.seen.find((r) => r.path.endsWith('/health-warnings'))!;
    expect(new URL(query.url, 'http://x').searchParams.get('org')).toBe(kCode);
    expect(new URL(query.url, 'http://x').searchParams.get('status')).toBe('open');

    expect(wrapper.find('[data-test="stat-reported"]').attributes()).toMatchObject({ 'data-reported': '1', 'data-classes': '2' });
    expect(wrapper.find('[data-test="board-deadline"]').text()).toContain('已过截止时间');
    expect(wrapper.find('[data-test="missing-class"]').text()).toBe('一年级2班');

    const cluster = wrapper.find('[data-test="warning-31"]');
    expect(cluster.find('[data-test="task-countdown"]').text()).toBe('剩余 23:05:00');
    expect(cluster.find('[data-test="task-immediate"]').exists()).toBe(false);
    const notifiable = wrapper.find('[data-test="warning-32"]');
    expect(notifiable.find('[data-test="task-immediate"]').text()).toBe('立即报告');
    // Due when the warning opened: the time since, not "overdue".
    expect(notifiable.find('[data-test="task-countdown"]').text()).toBe('已过 00:55:00');
    expect(notifiable.find('[data-test="task-countdown"]').classes()).toContain('overdue');
    // Names came in the answer, so the school sees them in the unfolded row.
    await wrapper.find('[data-test="report-table"] .el-table__expand-icon').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="case-table"]').exists()).toBe(true));
    expect(wrapper.findAll('[data-test="case-table"] th').map((h) => h.text())).toContain('姓名');
    expect(wrapper.find('[data-test="case-table"]').text()).toContain('学生1');
    expect(wrapper.find('[data-test="board-readonly"]').exists()).toBe(false);
  });

  it('submits the report from the draft, then offers to close the warning', async () => {
    const { wrapper, bodies } = await render('school_doctor', undefined, true);
    expect(wrapper.find('[data-test="warning-31"] [data-test="warning-close"]').exists()).toBe(false);
    await wrapper.find('[data-test="warning-31"] [data-test="warning-submit"]').trigger('click');
    await flushPromises();
    const summary = document.querySelector<HTMLTextAreaElement>('[data-test="task-form"] textarea[name="summary"]')!;
    expect(summary.value).toBe('一年级1班 2026-11-30 发热 3 例。');
    const measures = document.querySelector<HTMLTextAreaElement>('[data-test="task-form"] textarea[name="measures"]')!;
    measures.value = '病例居家隔离，已通知家长，教室已消毒';
    measures.dispatchEvent(new Event('input'));
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="task-send"]')!.click();
    await vi.waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ summary: '一年级1班 2026-11-30 发热 3 例。', measures: '病例居家隔离，已通知家长，教室已消毒' });
    await vi.waitFor(() => expect(wrapper.find('[data-test="warning-31"]').attributes('data-task')).toBe('submitted'));
    expect(wrapper.find('[data-test="warning-31"] [data-test="warning-close"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="warning-31"] [data-test="warning-submit"]').exists()).toBe(false);
  });

  it('gives a bureau the board read-only, and no names it was not sent', async () => {
    const { wrapper } = await render('bureau_safety_officer', kCode, false);
    expect(wrapper.find('[data-test="board-readonly"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="warning-submit"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="warning-close"]').exists()).toBe(false);
    await vi.waitFor(() => expect(wrapper.find('[data-test="board-title"]').text()).toContain('【演示】金水区第1小学'));
    await wrapper.find('[data-test="report-table"] .el-table__expand-icon').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="case-table"]').exists()).toBe(true));
    const headers = wrapper.findAll('[data-test="case-table"] th').map((h) => h.text());
    expect(headers).toContain('学号');
    expect(headers).not.toContain('姓名');
  });

  it('says on a day without school that no check is required, and counts the reports made anyway against no expected class', async () => {
    const { wrapper } = await render('school_doctor', undefined, true, {
      [`GET /api/v1/schools/${kCode}/health-checks`]: () => json({ ...day(true), school_day: false, missing: [] }),
    });
    expect(wrapper.find('[data-test="not-school-day"]').text()).toBe('今天不是上学日（周末或假期），不要求晨午检');
    const stat = wrapper.find('[data-test="stat-reported"]');
    expect(stat.attributes('data-reported')).toBe('1');
    expect(stat.attributes('data-classes')).toBe('0');
    expect(stat.text()).toContain('/ —');
    expect(wrapper.text()).not.toMatch(/NaN|Infinity/);
  });
});
