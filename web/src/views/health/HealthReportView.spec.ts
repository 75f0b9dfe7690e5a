import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import HealthReportView from './HealthReportView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem, type Handler, type SeenRequest } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { HealthCheck, HealthCheckInput, SchoolClass } from '@/api/health';

const kCode = '9410105001';
const kClasses: SchoolClass[] = [
  { id: 7, grade: 1, name: '一年级1班', enrolment: 45, boarding: false, active: true },
  { id: 8, grade: 1, name: '一年级2班', enrolment: 44, boarding: false, active: true },
  { id: 9, grade: 6, name: '六年级1班', enrolment: 40, boarding: false, active: false },
];

function stored(body: HealthCheckInput, extra: Partial<HealthCheck> = {}): HealthCheck {
  return {
    id: 100,
    school_code: kCode,
    class_id: body.class_id,
    class_name: '一年级1班',
    date: body.date,
    session: body.session,
    version: 1,
    enrolled: body.enrolled,
    present: body.present,
    absent_ill: body.absent_ill,
    absent_other: body.absent_other,
    cases: (body.cases ?? []).map((c, i) => ({ ...c, id: i + 1 })),
    submitted_by: 'demo-teacher',
    submitted_at: '2026-11-30T08:01:00+08:00',
    late: false,
    warnings: [],
    ...extra,
  };
}

async function render(post: Handler, role: 'class_teacher' | 'school_doctor' = 'class_teacher', schoolDay = true, reports: HealthCheck[] = []) {
  const server = fakeServer({
    [`GET /api/v1/schools/${kCode}/classes`]: () => json({ items: kClasses }),
    [`GET /api/v1/schools/${kCode}/health-checks`]: () => json({ date: '2026-11-30', session: 'morning', deadline: '2026-11-30T08:30:00+08:00', school_day: schoolDay, reports, missing: schoolDay ? kClasses : [] }),
    'POST /api/v1/health-checks': post,
    'GET /api/v1/health-warnings/31': () => json({ id: 31, rule_name: '同班1日内3例及以上相似症状', unit_name: '一年级1班', cases: 3 }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role, org_code: kCode, org_name: '【演示】金水区第1小学', classes: ['一年级1班'] });
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/health/report', name: 'health-report', component: HealthReportView }, { path: '/c', name: 'health-classes', component: HealthReportView }] });
  await router.push('/health/report');
  const wrapper = mount(HealthReportView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, server };
}

const posts = (seen: SeenRequest[]) => seen.filter((r) => r.method === 'POST');

async function confirmBox(): Promise<void> {
  await vi.waitFor(() => expect(document.querySelector('.zero-confirm .el-button--primary')).not.toBeNull());
  document.querySelector<HTMLButtonElement>('.zero-confirm .el-button--primary')!.click();
  await flushPromises();
}

async function setNumber(name: string, value: number): Promise<void> {
  const input = document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  input.value = String(value);
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('change'));
  await flushPromises();
}

describe('HealthReportView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    sessionStorage.clear();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T08:00:00+08:00'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the zero report in two taps, and retries a lost answer with the same Idempotency-Key', async () => {
    let calls = 0;
    const { wrapper, server } = await render(async (req) => {
      calls += 1;
      if (calls === 1) throw new TypeError('Failed to fetch');
      return json(stored(JSON.parse(req.body!)), 201);
    });
    // A class teacher sees only her own class, with its enrolment.
    expect(wrapper.find('[data-test="report-class-name"]').text()).toBe('一年级1班');
    expect(wrapper.find('[data-test="report-enrolment"]').attributes('data-enrolled')).toBe('45');

    await wrapper.find('[data-test="report-zero"]').trigger('click');
    await confirmBox();
    await vi.waitFor(() => expect(wrapper.find('[data-test="report-retry"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="report-failure"]').text()).toContain('不会重复记录');

    await wrapper.find('[data-test="report-retry"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="report-result"]').exists()).toBe(true));
    const [first, second] = posts(server.seen);
    expect(JSON.parse(first.body!)).toEqual({ class_id: 7, date: '2026-11-30', session: 'morning', enrolled: 45, present: 45, absent_ill: 0, absent_other: 0, cases: [] });
    expect(second.body).toBe(first.body);
    const key = first.headers.get('Idempotency-Key');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get('Idempotency-Key')).toBe(key);
    expect(wrapper.find('[data-test="report-result"]').text()).toContain('上报成功');

    // The next submission is a new one with a new key.
    await wrapper.find('[data-test="report-again"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test="report-zero"]').trigger('click');
    await confirmBox();
    await vi.waitFor(() => expect(posts(server.seen)).toHaveLength(3));
    expect(posts(server.seen)[2].headers.get('Idempotency-Key')).not.toBe(key);
  });

  it('fills a card per ill pupil, checks the counts before sending, and shows the warnings the report raised', async () => {
    const { wrapper, server } = await render((req) => json(stored(JSON.parse(req.body!), { warnings: [31] }), 201), 'school_doctor');
    // The doctor may pick any active class.
    expect(wrapper.find('[data-test="report-class"]').exists()).toBe(true);
    await wrapper.find('[data-test="report-detail"]').trigger('click');
    await flushPromises();

    await setNumber('absent_ill', 1);
    expect(wrapper.findAll('[data-test^="case-"][data-test$="-symptoms"]')).toHaveLength(1);
    expect((document.querySelector('input[name="present"]') as HTMLInputElement).value).toBe('44');

    // Nothing filled in on the card: refused in the browser, nothing sent.
    await wrapper.find('[data-test="report-submit"]').trigger('click');
    await flushPromises();
    expect(posts(server.seen)).toHaveLength(0);
    await vi.waitFor(() => expect(wrapper.find('[data-test="case-0"]').text()).toContain('请填写学号'));
    expect(wrapper.find('[data-test="case-0"]').text()).toContain('请选择性别');

    const no = document.querySelector<HTMLInputElement>('input[name="case-0-student_no"]')!;
    no.value = '2026001';
    no.dispatchEvent(new Event('input'));
    await wrapper.find('[data-test="case-0-sex"] label').trigger('click');
    await wrapper.find('[data-test="case-0-symptoms"] [data-symptom="fever"]').trigger('click');
    await wrapper.find('[data-test="case-0-symptoms"] [data-symptom="cough"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-symptom="fever"]').attributes('aria-pressed')).toBe('true');

    await wrapper.find('[data-test="report-submit"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="report-result"]').exists()).toBe(true));
    const body = JSON.parse(posts(server.seen)[0].body!) as HealthCheckInput;
    expect(body).toMatchObject({ class_id: 7, enrolled: 45, present: 44, absent_ill: 1, absent_other: 0 });
    expect(body.cases).toEqual([
      { student_no: '2026001', name: null, sex: 'male', age: 7, symptoms: ['fever', 'cough'], absent: true, doctor_visit: false, diagnosis: null, suspected_notifiable: false },
    ]);
    const warnings = wrapper.find('[data-test="report-warnings"]');
    expect(warnings.text()).toContain('本次上报触发了 1 条疫情预警');
    await vi.waitFor(() => expect(warnings.text()).toContain('同班1日内3例及以上相似症状'));
  });

  it('shows the server’s field errors on the counts and on the card they name', async () => {
    const { wrapper, server } = await render(() =>
      problem(400, 'validation_failed', {
        errors: [
          { field: 'cases[0].age', message: '年龄与年级不符' },
          { field: 'absent_other', message: '超过在籍人数' },
        ],
      }),
    );
    await wrapper.find('[data-test="report-detail"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test="case-add-present"]').trigger('click');
    await flushPromises();
    const no = document.querySelector<HTMLInputElement>('input[name="case-0-student_no"]')!;
    no.value = '7';
    no.dispatchEvent(new Event('input'));
    await wrapper.find('[data-test="case-0-sex"] label:nth-child(2)').trigger('click');
    await wrapper.find('[data-test="case-0-symptoms"] [data-symptom="rash"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test="report-submit"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="case-0"]').text()).toContain('年龄与年级不符'));
    expect(wrapper.find('[data-test="report-counts"]').text()).toContain('超过在籍人数');
    expect(wrapper.find('[data-test="report-retry"]').exists()).toBe(false);
    expect(JSON.parse(posts(server.seen)[0].body!).cases[0]).toMatchObject({ sex: 'female', absent: false, symptoms: ['rash'] });
  });

  // Reported this morning: one pupil absent with fever, one absent for another reason.
  const kInForce = stored(
    {
      class_id: 7,
      date: '2026-11-30',
      session: 'morning',
      enrolled: 45,
      present: 43,
      absent_ill: 1,
      absent_other: 1,
      cases: [{ student_no: '2026001', name: '张小明', sex: 'male', age: 7, symptoms: ['fever'], onset_at: '2026-11-29T20:15:00+08:00', absent: true, doctor_visit: true, diagnosis: '流感', suspected_notifiable: false }],
    },
    { version: 2 },
  );

  it('starts a correction from the report in force, and sends it back whole', async () => {
    const { wrapper, server } = await render(async (req) => json(stored(JSON.parse(req.body!), { version: 3 }), 201), 'class_teacher', true, [kInForce]);
    await vi.waitFor(() => expect(wrapper.find('[data-test="report-existing"]').exists()).toBe(true));
    await wrapper.find('[data-test="report-detail"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="report-existing"]').text()).toContain('已载入其内容');
    expect(wrapper.findAll('[data-test^="case-"][data-test$="-remove"]')).toHaveLength(1);
    expect(document.querySelector<HTMLInputElement>('input[name="absent_ill"]')!.value).toBe('1');
    expect(document.querySelector<HTMLInputElement>('input[name="absent_other"]')!.value).toBe('1');
    await wrapper.find('[data-test="report-submit"]').trigger('click');
    await vi.waitFor(() => expect(posts(server.seen)).toHaveLength(1));
    const { cases, ...counts } = JSON.parse(posts(server.seen)[0].body!);
    expect(counts).toEqual({ class_id: 7, date: '2026-11-30', session: 'morning', enrolled: 45, present: 43, absent_ill: 1, absent_other: 1 });
    const { id: _id, ...inForce } = kInForce.cases[0];
    expect(cases).toEqual([inForce]);
  });

  it('asks before a zero report takes back the pupils of the report in force', async () => {
    const { wrapper, server } = await render(async (req) => json(stored(JSON.parse(req.body!), { version: 3 }), 201), 'class_teacher', true, [kInForce]);
    await vi.waitFor(() => expect(wrapper.find('[data-test="report-existing"]').exists()).toBe(true));
    await wrapper.find('[data-test="report-zero"]').trigger('click');
    await vi.waitFor(() => expect(document.querySelector('.zero-replaces')).not.toBeNull());
    expect(document.querySelector('.zero-replaces')!.textContent).toContain('撤回其中 1 名因病缺勤、1 名其他原因缺勤和 1 名学生的记录');
    await confirmBox();
    await vi.waitFor(() => expect(posts(server.seen)).toHaveLength(1));
    expect(JSON.parse(posts(server.seen)[0].body!)).toMatchObject({ present: 45, absent_ill: 0, cases: [] });
  });

  it('tells the teacher on a day without school that no check is required, and still takes a report', async () => {
    const { wrapper } = await render(async (req) => json(stored(JSON.parse(req.body!)), 201), 'class_teacher', false);
    await vi.waitFor(() => expect(wrapper.find('[data-test="not-school-day"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="not-school-day"]').text()).toBe('今天不是上学日（周末或假期），不要求晨午检');
    expect(wrapper.find('[data-test="report-zero"]').exists()).toBe(true);
  });

  it('shows no such notice on a school day', async () => {
    const { wrapper, server } = await render(async (req) => json(stored(JSON.parse(req.body!)), 201));
    await vi.waitFor(() => expect(server.seen.some((r) => r.path.endsWith('/health-checks'))).toBe(true));
    await flushPromises();
    expect(wrapper.find('[data-test="not-school-day"]').exists()).toBe(false);
  });
});
