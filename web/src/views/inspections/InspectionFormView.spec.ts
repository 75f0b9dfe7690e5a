import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import InspectionFormView from './InspectionFormView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem, type Handler } from '@/testing/fakeServer';
import { kCountyUser, userWith } from '@/testing/fixtures';
import { kFireChecklist, kSchoolCode, kSchoolName } from '@/views/hazards/hazardFixtures';
import type { Due, InspectionCreated, InspectionInput } from '@/api/inspections';

const kDue: Due = { id: 7, campaign_id: 2, campaign_name: '冬季消防专项检查', template_id: 3, template_name: '消防安全检查表', round: 1, opens_on: '2026-11-25', due_on: '2026-12-05', status: 'open', inspection_id: null, upcoming: false };

function created(body: InspectionInput): InspectionCreated {
  return {
    inspection: {
      id: 5,
      school_code: kSchoolCode,
      school_name: kSchoolName,
      template_id: 3,
      template_name: '消防安全检查表',
      template_version: 1,
      campaign_id: 2,
      due_id: 7,
      source: body.source,
      inspector: 'demo-principal',
      inspected_at: '2026-11-28T10:00:00+08:00',
      notes: '',
      pass: 1,
      fail: 1,
      na: 1,
      results: kFireChecklist.items.map((item, i) => ({ code: item.code, text: item.text, category: item.category, result: body.results[i].result, note: '', photos: [], hazard_id: body.results[i].result === 'fail' ? 41 : null })),
    },
    hazard_ids: [41],
  };
}

async function render(post: Handler, query = '?due=7', user = userWith({ role: 'principal', username: 'demo-principal', org_code: kSchoolCode, org_name: kSchoolName })) {
  const server = fakeServer({
    'GET /api/v1/inspection-dues': () => json({ items: [kDue] }),
    'GET /api/v1/checklists/3': () => json(kFireChecklist),
    'POST /api/v1/inspections': post,
    [`GET /api/v1/org-units/${kSchoolCode}`]: () => json({ code: kSchoolCode, name: kSchoolName, level: 'school', ancestors: [] }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = user;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/inspections/new', name: 'inspection-new', component: InspectionFormView },
      { path: '/inspections', name: 'inspections', component: { render: () => null } },
      { path: '/campaigns', name: 'campaigns', component: InspectionFormView },
      { path: '/hazards', name: 'hazards', component: InspectionFormView },
      { path: '/hazards/:id', name: 'hazard-detail', component: InspectionFormView },
    ],
  });
  await router.push(`/inspections/new${query}`);
  // Inside a RouterView, as in the app, so that the leave guard is the route's.
  const wrapper = mount(RouterView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="item-F01"]').exists()).toBe(true));
  return { wrapper, server, router };
}

async function click(wrapper: VueWrapper, selector: string): Promise<void> {
  await wrapper.find(selector).trigger('click');
  await flushPromises();
}

describe('InspectionFormView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    sessionStorage.clear();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('walks the items one per screen, registers a failed item as a hazard and submits with an Idempotency-Key', async () => {
    const { wrapper, server } = await render((req) => json(created(JSON.parse(req.body!)), 201));
    expect(wrapper.find('[data-test="inspect-title"]').text()).toBe('冬季消防专项检查');
    expect(wrapper.find('[data-test="inspect-source"]').text()).toBe('专项检查');
    expect(wrapper.find('[data-test="inspect-progress"]').text()).toBe('已完成 0/3 项');

    await click(wrapper, '[data-test="answer-fail"]');
    expect(wrapper.find('[data-test="item-F01"]').attributes('data-result')).toBe('fail');
    // The description starts from the item's text.
    expect((wrapper.find('textarea[name="description"]').element as HTMLTextAreaElement).value).toBe('灭火器在有效期内且压力正常');
    await wrapper.findAll('[data-test="hazard-grade"] .el-radio-button')[0].trigger('click');
    await wrapper.find('input[name="location"]').setValue('二楼走廊');
    await click(wrapper, '[data-test="item-next"]');

    // A photo is required here: 不适用 needs none and moves on by itself.
    expect(wrapper.find('[data-test="item-F02"] [data-test="photo-required"]').text()).toBe('须拍照');
    await click(wrapper, '[data-test="answer-na"]');
    expect(wrapper.find('[data-test="item-B01"]').exists()).toBe(true);
    await click(wrapper, '[data-test="answer-pass"]');

    expect(wrapper.find('[data-test="inspect-tally"]').text()).toBe('合格 1 · 不合格 1 · 不适用 1');
    expect(wrapper.find('[data-test="inspect-progress"]').text()).toBe('已完成 3/3 项');
    await click(wrapper, '[data-test="inspect-submit"]');
    await vi.waitFor(() => expect(wrapper.find('[data-test="inspect-result"]').exists()).toBe(true));

    const post = server.seen.find((r) => r.method === 'POST')!;
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(post.body!)).toEqual({
      school: kSchoolCode,
      template_id: 3,
      source: 'campaign',
      due_id: 7,
      results: [
        { code: 'F01', result: 'fail', hazard: { grade: 'ordinary', location: '二楼走廊', description: '灭火器在有效期内且压力正常' } },
        { code: 'F02', result: 'na' },
        { code: 'B01', result: 'pass' },
      ],
    });
    const link = wrapper.find('[data-test="result-hazard-41"]');
    expect(link.text()).toContain('#41');
    expect(link.text()).toContain('灭火器在有效期内且压力正常');
    expect(link.attributes('href')).toBe('/hazards/41');
  });

  it('in the fast list, names what is missing before sending, marks a D-grade building, and sends nothing', async () => {
    const { wrapper, server } = await render(() => json({}, 500), '?template=3');
    expect(wrapper.find('[data-test="inspect-source"]').text()).toBe('自查');
    await wrapper.findAll('[data-test="inspect-mode"] .el-radio-button')[1].trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[data-test^="item-"][data-result]')).toHaveLength(3);

    await click(wrapper, '[data-test="item-B01"] [data-test="answer-fail"]');
    await wrapper.findAll('[data-test="item-B01"] [data-test="building-grade"] .el-radio-button')[3].trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="item-B01"] [data-test="out-of-use"]').text()).toContain('D 级危房');

    await click(wrapper, '[data-test="inspect-submit"]');
    const incomplete = wrapper.find('[data-test="inspect-incomplete"]');
    expect(incomplete.text()).toContain('还有 3 项未完成');
    expect(wrapper.find('[data-test="item-F02"]').text()).toContain('请选择检查结果');
    // D makes it a major hazard by itself: only the place is missing.
    expect(wrapper.find('[data-test="item-B01"]').attributes('data-problems')).toBe('locationRequired');
    expect(wrapper.findAll('[data-test="item-B01"] .el-form-item.is-error')).toHaveLength(1);
    expect(wrapper.find('[data-test="item-B01"] [data-test="hazard-grade"] .el-radio-button.is-active').text()).toBe('重大');
    expect(wrapper.find('[data-test="item-B01"] [data-test="fixed-at-once"]').exists()).toBe(false);
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('offers to send again when the answer was lost, with the same key', async () => {
    let calls = 0;
    const { wrapper, server } = await render((req) => {
      calls += 1;
      if (calls === 1) return problem(503, 'unavailable');
      if (calls === 2) return json(created(JSON.parse(req.body!)), 201);
      return problem(409, 'conflict');
    });
    for (const code of ['F01', 'F02', 'B01']) {
      await wrapper.findAll('[data-test="inspect-mode"] .el-radio-button')[1].trigger('click');
      await flushPromises();
      await click(wrapper, `[data-test="item-${code}"] [data-test="answer-na"]`);
    }
    await click(wrapper, '[data-test="inspect-submit"]');
    await vi.waitFor(() => expect(wrapper.find('[data-test="inspect-send-failure"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="inspect-send-failure"]').text()).toContain('提交结果未知');
    await click(wrapper, '[data-test="inspect-retry"]');
    await vi.waitFor(() => expect(wrapper.find('[data-test="inspect-result"]').exists()).toBe(true));
    const keys = server.seen.filter((r) => r.method === 'POST').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(wrapper.find('[data-test="inspect-result"]').text()).toContain('检查结果已提交');
  });

  it('asks before leaving answers unsent, and stays when told to', async () => {
    const { wrapper, router } = await render(() => json({}, 500));
    await click(wrapper, '[data-test="answer-pass"]');
    const leaving = router.push('/inspections');
    const cancel = await vi.waitFor(() => {
      const b = document.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button:not(.el-button--primary)');
      expect(b).not.toBeNull();
      return b!;
    });
    expect(document.querySelector('.el-message-box__message')!.textContent).toBe('检查尚未提交，确定离开？');
    cancel.click();
    await leaving;
    expect(router.currentRoute.value.path).toBe('/inspections/new');
  });

  it('says when a round not yet open opens, and offers no item to answer', async () => {
    const upcoming: Due = { ...kDue, id: 8, opens_on: '2027-01-01', due_on: '2027-01-31', upcoming: true };
    const server = fakeServer({
      'GET /api/v1/inspection-dues': () => json({ items: [kDue, upcoming] }),
      'GET /api/v1/checklists/3': () => json(kFireChecklist),
    });
    vi.stubGlobal('fetch', server.fetch);
    const pinia = createPinia();
    setActivePinia(pinia);
    useAuthStore().user = userWith({ role: 'principal', username: 'demo-principal', org_code: kSchoolCode, org_name: kSchoolName });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/inspections/new', name: 'inspection-new', component: InspectionFormView },
        { path: '/inspections', name: 'inspections', component: { render: () => null } },
      ],
    });
    await router.push('/inspections/new?due=8');
    const wrapper = mount(RouterView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-test="inspect-not-open"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="inspect-not-open"]').text()).toContain('本轮检查 2027-01-01 才开始，届时再来检查');
    expect(wrapper.find('[data-test="item-F01"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="inspect-submit"]').exists()).toBe(false);
    expect(server.seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/inspection-dues']);
  });

  it('records a county officer’s unannounced visit to a school of the county', async () => {
    const { wrapper, server } = await render((req) => json(created(JSON.parse(req.body!)), 201), `?template=3&school=${kSchoolCode}&source=unannounced`, kCountyUser);
    expect(wrapper.find('[data-test="inspect-source"]').text()).toBe('暗访');
    expect(wrapper.text()).toContain(kSchoolName);
    await wrapper.findAll('[data-test="inspect-mode"] .el-radio-button')[1].trigger('click');
    await flushPromises();
    for (const code of ['F01', 'F02', 'B01']) await click(wrapper, `[data-test="item-${code}"] [data-test="answer-na"]`);
    await click(wrapper, '[data-test="inspect-submit"]');
    await vi.waitFor(() => expect(wrapper.find('[data-test="inspect-result"]').exists()).toBe(true));
    const body = JSON.parse(server.seen.find((r) => r.method === 'POST')!.body!);
    expect(body).toMatchObject({ school: kSchoolCode, template_id: 3, source: 'unannounced' });
    expect(body.due_id).toBeUndefined();
    expect(server.seen.some((r) => r.path === '/api/v1/inspection-dues')).toBe(false);
  });
});
