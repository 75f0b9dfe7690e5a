import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import CampaignDetailView from './CampaignDetailView.vue';
import CampaignsView from './CampaignsView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, type SeenRequest } from '@/testing/fakeServer';
import { kCountyUser, userWith } from '@/testing/fixtures';
import { kFireChecklist } from '@/views/hazards/hazardFixtures';
import type { Campaign, CampaignProgress, Progress } from '@/api/inspections';

const params = (r: SeenRequest) => Object.fromEntries(new URL(r.url, 'http://x').searchParams);

const kCampaign: Campaign = {
  id: 4,
  name: '冬季取暖专项检查',
  org_code: '410100',
  org_name: '郑州市',
  template_id: 3,
  template_name: '消防安全检查表',
  cadence: 'weekly',
  starts_on: '2026-11-16',
  ends_on: '2026-12-13',
  school_types: ['primary'],
  locality: ['rural'],
  description: '',
  created_by: 'demo-city',
  created_at: '2026-11-15T09:00:00+08:00',
  rounds: 4,
  current_round: { round: 3, opens_on: '2026-11-30', due_on: '2026-12-06' },
  totals: { due: 40, done: 30, on_time: 25, late: 5, missed: 6, open: 4 },
};

function progress(code: string, name: string, level: Progress['level'], due: number, done: number, on_time: number): Progress {
  return { code, name, level, due, done, on_time, late: done - on_time, missed: due - done, open: 0, completeness: due ? done / due : null, timeliness: due ? on_time / due : null };
}

describe('CampaignDetailView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows completeness and timeliness by child unit worst first, the missed schools, and drills down by unit and round', async () => {
    const answer = (org: string, round: string | undefined): CampaignProgress => ({
      round: Number(round ?? 2),
      opens_on: '2026-11-23',
      due_on: '2026-11-29',
      unit: progress(org, org === '410100' ? '郑州市' : '金水区', org === '410100' ? 'city' : 'county', 20, 15, 12),
      children:
        org === '410100'
          ? [progress('410102', '中原区', 'county', 10, 10, 10), progress('410105', '金水区', 'county', 10, 5, 2)]
          : [progress('9410105001', '金水区第1小学', 'school', 1, 0, 0)],
      missed_schools: [{ code: '9410105001', name: '金水区第1小学', county_name: '金水区', due_on: '2026-11-29', status: 'missed' }],
    });
    const server = fakeServer({
      'GET /api/v1/campaigns/4': () => json(kCampaign),
      'GET /api/v1/campaigns/4/progress': (r) => json(answer(params(r).org, params(r).round)),
      'GET /api/v1/org-units/410100': () => json({ code: '410100', name: '郑州市', level: 'city', ancestors: [] }),
      'GET /api/v1/org-units/410105': () => json({ code: '410105', name: '金水区', level: 'county', ancestors: [{ code: '410100', name: '郑州市', level: 'city' }] }),
    });
    vi.stubGlobal('fetch', server.fetch);
    const pinia = createPinia();
    setActivePinia(pinia);
    useAuthStore().user = userWith({ username: 'demo-city', org_code: '410100', org_name: '郑州市' });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/campaigns/:id', name: 'campaign-detail', component: CampaignDetailView, props: true },
        { path: '/campaigns', name: 'campaigns', component: CampaignDetailView },
      ],
    });
    await router.push('/campaigns/4');
    const wrapper = mount(CampaignDetailView, { props: { id: '4' }, global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-test="campaign-tiles"]').exists()).toBe(true));

    expect(wrapper.find('[data-test="campaign-title"]').text()).toBe('冬季取暖专项检查');
    const tiles = wrapper.findAll('[data-test="campaign-tiles"] .tile');
    expect(tiles.map((t) => t.attributes('data-code'))).toEqual(['410105', '410102']);
    expect(tiles[0].text()).toContain('50%');
    expect(tiles[0].text()).toContain('5/10 · 及时率 20%');
    expect(tiles[0].text()).toContain('未查 5');
    await wrapper.findAll('[data-test="campaign-view"] .el-radio-button')[1].trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="rate-completeness"]').text()).toContain('75%');
    expect(wrapper.find('[data-test="rate-timeliness"]').text()).toContain('60%');
    expect(wrapper.find('[data-test="count-missed"]').text()).toContain('5');
    const rows = wrapper.findAll('[data-test="campaign-children"] .el-table__body tr');
    expect(rows.map((r) => r.find('a').attributes('data-code'))).toEqual(['410105', '410102']);
    expect(rows[0].find('[data-test="child-completeness"]').text()).toBe('50%');
    expect(rows[0].find('[data-test="child-timeliness"]').text()).toBe('20%');
    expect(wrapper.find('[data-test="missed-schools"]').text()).toContain('金水区第1小学');
    expect(wrapper.find('[data-test="missed-schools"]').text()).toContain('未检查');

    await rows[0].trigger('click');
    await vi.waitFor(() => expect(server.seen.filter((r) => r.path === '/api/v1/campaigns/4/progress').map((r) => params(r).org)).toEqual(['410100', '410105']));
    await vi.waitFor(() => expect(wrapper.find('[data-test="campaign-crumbs"]').text()).toContain('郑州市'));

    await router.push({ query: { ...router.currentRoute.value.query, round: '1' } });
    await vi.waitFor(() => expect(params(server.seen.filter((r) => r.path === '/api/v1/campaigns/4/progress').at(-1)!)).toEqual({ org: '410105', round: '1' }));
  });
});

describe('CampaignsView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('launches a campaign to the county with the checklist, cadence, window and filters, and opens it', async () => {
    const server = fakeServer({
      'GET /api/v1/campaigns': () => json({ items: [kCampaign], total: 1, page: 1, page_size: 20 }),
      'GET /api/v1/checklists': () => json({ items: [kFireChecklist] }),
      'GET /api/v1/checklists/3': () => json(kFireChecklist),
      'POST /api/v1/campaigns': (r) => json({ ...kCampaign, ...JSON.parse(r.body!), id: 9 }, 201),
      'GET /api/v1/org-units/410105': () => json({ code: '410105', name: '金水区', level: 'county', ancestors: [] }),
    });
    vi.stubGlobal('fetch', server.fetch);
    const pinia = createPinia();
    setActivePinia(pinia);
    useAuthStore().user = kCountyUser;
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/campaigns', name: 'campaigns', component: CampaignsView },
        { path: '/campaigns/:id', name: 'campaign-detail', component: CampaignsView },
        { path: '/inspections/new', name: 'inspection-new', component: CampaignsView },
      ],
    });
    await router.push('/campaigns');
    const wrapper = mount(CampaignsView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-test="campaign-4"]').exists()).toBe(true));
    const row = wrapper.find('[data-test="campaigns-table"] .el-table__body tr');
    expect(row.text()).toContain('每周');
    expect(row.text()).toContain('第 3 轮');
    expect(row.text()).toContain('30/40');
    expect(row.text()).toContain('未检查 6');

    await wrapper.find('[data-test="campaign-launch"]').trigger('click');
    await vi.waitFor(() => expect(document.querySelector('[data-test="campaign-form"]')).not.toBeNull());
    const dialog = wrapper.findComponent({ name: 'CampaignLaunchDialog' });
    const form = (dialog.vm as unknown as { $: { setupState: { form: Record<string, unknown> } } }).$.setupState.form;
    Object.assign(form, { name: '冬季消防专项检查', template_id: 3, cadence: 'monthly', window: ['2026-12-01', '2027-01-31'], school_types: ['primary', 'junior'], locality: ['rural'] });
    await vi.waitFor(() => expect(document.querySelector('[data-test="campaign-preview"]')?.textContent).toContain('疏散通道畅通无堵塞'));
    expect(document.querySelector('[data-test="campaign-preview"]')!.textContent).toContain('检查项（3 项）');
    document.querySelector<HTMLButtonElement>('[data-test="campaign-submit"]')!.click();
    await vi.waitFor(() => expect(server.seen.some((r) => r.method === 'POST')).toBe(true));
    expect(JSON.parse(server.seen.find((r) => r.method === 'POST')!.body!)).toEqual({
      name: '冬季消防专项检查',
      org: '410105',
      template_id: 3,
      cadence: 'monthly',
      starts_on: '2026-12-01',
      ends_on: '2027-01-31',
      school_types: ['primary', 'junior'],
      locality: ['rural'],
    });
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('campaign-detail'));
    expect(router.currentRoute.value.params.id).toBe('9');
  });
});
