import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import HazardDashboardView from './HazardDashboardView.vue';
import { figuresWith, hazardWith } from './hazardFixtures';
import { createAppI18n } from '@/locales';
import { FakeWebSocket } from '@/views/alarms/fakeWebSocket';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { HazardDashboard } from '@/api/hazards';

describe('HazardDashboardView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    FakeWebSocket.reset();
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows the city’s figures, what is escalated to it, and drills down to a county and to a school’s ledger', async () => {
    const board = (org: string): HazardDashboard =>
      org === '410100'
        ? {
            unit: figuresWith('410100', '郑州市', 'city', { open: 7, overdue: 2, major: 3, out_of_use: 1, closed: 13, closure_rate: 0.65, median_days_to_close: 4.5 }),
            children: [figuresWith('410102', '中原区', 'county', { open: 1 }), figuresWith('410105', '金水区', 'county', { open: 6, overdue: 2, major: 3, out_of_use: 1, closed: 13, closure_rate: 13 / 19, median_days_to_close: 4.5 })],
            escalated: [hazardWith({ id: 31, state: 'rectifying', overdue: true, supervising_level: 'city', escalated_at: '2026-11-27T00:01:00+08:00', deadline: '2026-11-10', grade: 'major' })],
          }
        : { unit: figuresWith(org, '金水区', 'county', { open: 6 }), children: [figuresWith('9410105001', '金水区第1小学', 'school', { open: 6 })], escalated: [] };
    const server = fakeServer({
      'GET /api/v1/hazards/dashboard': (r) => json(board(new URL(r.url, 'http://x').searchParams.get('org')!)),
      'GET /api/v1/org-units/410100': () => json({ code: '410100', name: '郑州市', level: 'city', ancestors: [{ code: '410000', name: '河南省', level: 'province' }] }),
      'GET /api/v1/org-units/410105': () => json({ code: '410105', name: '金水区', level: 'county', ancestors: [{ code: '410000', name: '河南省', level: 'province' }, { code: '410100', name: '郑州市', level: 'city' }] }),
    });
    vi.stubGlobal('fetch', server.fetch);
    const pinia = createPinia();
    setActivePinia(pinia);
    useAuthStore().user = userWith({ username: 'demo-city', org_code: '410100', org_name: '郑州市' });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/hazards/dashboard', name: 'hazard-dashboard', component: HazardDashboardView },
        { path: '/hazards', name: 'hazards', component: HazardDashboardView },
        { path: '/hazards/:id', name: 'hazard-detail', component: HazardDashboardView },
      ],
    });
    await router.push('/hazards/dashboard');
    const wrapper = mount(HazardDashboardView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')], stubs: { EChart: true } }, attachTo: document.body });
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-test="dashboard-cards"]').exists()).toBe(true));

    const figure = (k: string) => wrapper.find(`[data-test="figure-${k}"] .value`).text();
    expect(figure('open')).toBe('7');
    expect(figure('overdue')).toBe('2');
    expect(figure('out_of_use')).toBe('1');
    expect(figure('closure_rate')).toBe('65%');
    expect(figure('median')).toBe('4.5 天');
    expect(wrapper.find('[data-test="escalated-31"]').text()).toBe('#31');
    expect(wrapper.find('[data-test="dashboard-escalated"]').text()).toContain('市级挂牌督办');

    // The table lists the county with the most open hazards first; a click drills down.
    (wrapper.findComponent(HazardDashboardView).vm as unknown as { $: { setupState: { view: string } } }).$.setupState.view = 'table';
    await flushPromises();
    const rows = wrapper.findAll('[data-test="dashboard-children"] .el-table__body tr');
    expect(rows.map((r) => r.find('a').attributes('data-code'))).toEqual(['410105', '410102']);
    expect(rows[0].text()).toContain('68.4%');
    await rows[0].trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.query.org).toBe('410105'));
    await vi.waitFor(() => expect(wrapper.find('[data-test="dashboard-title"]').text()).toBe('隐患看板 · 金水区'));
    expect(wrapper.find('[data-test="dashboard-crumbs"]').text()).toContain('郑州市');
    await wrapper.find('[data-test="dashboard-children"] .el-table__body tr').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('hazards');
    expect(router.currentRoute.value.query.org).toBe('9410105001');
  });
});
