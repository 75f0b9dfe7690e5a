import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import LedgerView from './LedgerView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { useLocaleStore } from '@/stores/locale';
import { fakeServer, json, problem, type Handler } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Guard, LedgerSummary } from '@/api/ledger';

const kCode = '9410105001';

function summary(canEdit: boolean, canRecordDuty = canEdit): LedgerSummary {
  return {
    school: { code: kCode, name: '【演示】金水区第1小学', level: 'school', parent_code: '410105', active: true, demo: true, child_count: 0, attributes: null },
    rule_set: { id: 'gbt29315-2022', name: 'GB/T 29315-2022' },
    required_guards: 3,
    evaluation: {
      items: {
        guards: { state: 'not_met', reasons_zh: ['应配备3名专职保安，现有2名'], reasons_en: ['needs 3 full-time guards, has 2'] },
        closed_management: { state: 'met', reasons_zh: [], reasons_en: [] },
        protection_posts: { state: 'not_applicable', reasons_zh: [], reasons_en: [] },
        alarm_video: { state: 'met', reasons_zh: [], reasons_en: [] },
      },
      all_four: false,
      evaluated_at: '2026-11-28T09:00:00+08:00',
    },
    counts: { guards_active: 2, guards_qualified: 2, devices: 4, patrols_today: 1 },
    can_edit: canEdit,
    can_record_duty: canRecordDuty,
  };
}

const kGuard: Guard = {
  id: 1,
  name: '王建国',
  certificate_no: 'HN123',
  birth_year: 1975,
  employment: 'full_time',
  employed_since: '2021-03-01',
  active: true,
  qualified: true,
  issues: [],
  updated_at: '2026-11-01T08:00:00+08:00',
};

async function render(canEdit: boolean, locale: 'zh-CN' | 'en', extra: Record<string, Handler> = {}, role: 'principal' | 'guard' = 'principal', tab = 'guards') {
  const server = fakeServer({
    [`GET /api/v1/schools/${kCode}/ledger`]: () => json(summary(canEdit, canEdit || role === 'guard')),
    [`GET /api/v1/schools/${kCode}/guards`]: () => json({ items: [kGuard, { ...kGuard, id: 2, name: '李四', employment: 'part_time', qualified: false, issues: ['part_time', 'no_certificate'] }] }),
    ...extra,
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role, org_code: kCode });
  const i18n = createAppI18n(locale);
  useLocaleStore().locale = locale;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/ledger', name: 'my-ledger', component: LedgerView }] });
  await router.push(`/ledger?tab=${tab}`);
  const wrapper = mount(LedgerView, { global: { plugins: [pinia, router, i18n] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="ledger-summary"]').exists()).toBe(true));
  await flushPromises();
  return { wrapper, server };
}

describe('LedgerView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the four items with reasons in Chinese, and no editing for a reader', async () => {
    const { wrapper, server } = await render(false, 'zh-CN');
    await vi.waitFor(() => expect(wrapper.find('[data-test="guard-table"] .el-table__body').text()).toContain('王建国'));
    expect(server.seen[0].path).toBe(`/api/v1/schools/${kCode}/ledger`);
    expect(wrapper.find('[data-test="ledger-all-four"]').text()).toBe('四个100%：未全部达标');
    const guards = wrapper.find('[data-test="ledger-item-guards"]');
    expect(guards.attributes('data-state')).toBe('not_met');
    expect(guards.text()).toContain('应配备3名专职保安，现有2名');
    expect(guards.text()).toContain('合格专职保安 2 名 / 应配 3 名');
    expect(wrapper.find('[data-test="ledger-item-protection_posts"]').text()).toContain('不适用');
    expect(wrapper.find('[data-test="ledger-readonly"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="guard-add"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="ledger-import"]').exists()).toBe(false);
    const table = wrapper.find('[data-test="guard-table"]').text();
    expect(table).toContain('王建国');
    expect(table).toContain('兼职、无保安员证');
  });

  it('shows English reasons and lets an editor add a guard; server field errors appear beside the field', async () => {
    const posted: unknown[] = [];
    const { wrapper } = await render(true, 'en', {
      [`POST /api/v1/schools/${kCode}/guards`]: (req) => {
        posted.push(JSON.parse(req.body ?? '{}'));
        return problem(400, 'validation_failed', { errors: [{ field: 'birth_year', message: 'must be 1940 or later' }] });
      },
    });
    expect(wrapper.find('[data-test="ledger-item-guards"]').text()).toContain('needs 3 full-time guards, has 2');
    await vi.waitFor(() => expect(wrapper.find('[data-test="guard-add"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="ledger-readonly"]').exists()).toBe(false);
    await wrapper.find('[data-test="guard-add"]').trigger('click');
    await flushPromises();
    const form = document.querySelector('[data-test="guard-form"]');
    expect(form).not.toBeNull();
    const set = async (name: string, value: string) => {
      const input = form!.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await flushPromises();
    };
    await set('name', ' 赵六 ');
    await set('certificate_no', 'HN2024000001');
    await set('birth_year', '1930');
    document.querySelector<HTMLButtonElement>('[data-test="guard-save"]')!.click();
    await vi.waitFor(() => expect(document.querySelector('[data-test="guard-form"]')?.textContent).toContain('must be 1940 or later'));
    expect(posted).toEqual([{ name: '赵六', certificate_no: 'HN2024000001', birth_year: 1930, employment: 'full_time', employed_since: null, active: true }]);
  });

  it('lets the school’s guard log patrols, in Shanghai time, but not edit the rest', async () => {
    const posted: { patrolled_at: string; area: string; by_name: string }[] = [];
    const day = { date: '2026-11-28', items: [], count: 0, required_per_day: 5 };
    const { wrapper } = await render(
      false,
      'zh-CN',
      {
        [`GET /api/v1/schools/${kCode}/patrols`]: () => json(day),
        [`POST /api/v1/schools/${kCode}/patrols`]: (req) => {
          posted.push(JSON.parse(req.body ?? '{}'));
          return json({ id: 1, ...posted[0], note: '', recorded_by: 'demo-guard' }, 201);
        },
      },
      'guard',
      'patrols',
    );
    expect(wrapper.find('[data-test="ledger-readonly"]').text()).toContain('您可以记录巡查和护学岗');
    await vi.waitFor(() => expect(wrapper.find('[data-test="patrol-form"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="patrol-count"]').text()).toContain('当日巡查 0 / 5 次');
    expect(wrapper.find('[data-test="ledger-import"]').exists()).toBe(false);
    await wrapper.find('[data-test="patrol-form"] input[name="area"]').setValue('校门口');
    await wrapper.find('[data-test="patrol-form"] input[name="by_name"]').setValue('值班保安');
    await wrapper.find('[data-test="patrol-submit"]').trigger('click');
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ area: '校门口', by_name: '值班保安' });
    expect(posted[0].patrolled_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+08:00$/);
  });

  it('says why the ledger cannot be shown', async () => {
    vi.stubGlobal('fetch', fakeServer({ [`GET /api/v1/schools/${kCode}/ledger`]: () => problem(404, 'not_found') }).fetch);
    const pinia = createPinia();
    setActivePinia(pinia);
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/x', component: LedgerView }] });
    await router.push('/x');
    const wrapper = mount(LedgerView, { props: { code: kCode }, global: { plugins: [pinia, router, createAppI18n('zh-CN')] } });
    await vi.waitFor(() => expect(wrapper.text()).toContain('记录不存在或不在您的管辖范围内'));
    expect(wrapper.find('[data-test="ledger-summary"]').exists()).toBe(false);
  });
});
