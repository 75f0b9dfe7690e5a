import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import HealthCountyView from './HealthCountyView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Completeness, CompletenessTree } from '@/api/health';

function figures(code: string, name: string, level: Completeness['org']['level'], reported: number, classes: number, cases = 0): Completeness {
  return { org: { code, name, level }, classes, reported, rate: classes === 0 ? null : reported / classes, schools: 1, schools_complete: reported === classes ? 1 : 0, absent_ill: cases, cases };
}

describe('HealthCountyView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T09:00:00+08:00'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the county’s children worst first, opens a school’s board, and builds the trend from 14 days', async () => {
    const tree: CompletenessTree = {
      ...figures('410105', '金水区', 'county', 30, 40, 5),
      school_day: true,
      children: [figures('9410105002', '第2小学', 'school', 20, 20), figures('9410105001', '第1小学', 'school', 10, 20, 5)],
    };
    const server = fakeServer({
      'GET /api/v1/health-checks/completeness': () => json(tree),
      'GET /api/v1/org-units/410105': () => json({ code: '410105', name: '金水区', level: 'county', ancestors: [], child_count: 2 }),
      'GET /api/v1/health-warnings': () => json({ items: [], total: 0, page: 1, page_size: 20 }),
    });
    vi.stubGlobal('fetch', server.fetch);
    const pinia = createPinia();
    setActivePinia(pinia);
    useAuthStore().user = userWith({ role: 'bureau_safety_officer' });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/health', name: 'health', component: HealthCountyView },
        { path: '/schools/:code/health', name: 'school-health', component: HealthCountyView },
      ],
    });
    await router.push('/health');
    const wrapper = mount(HealthCountyView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')], stubs: { EChart: true } }, attachTo: document.body });
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-test="completeness-tiles"]').exists()).toBe(true));

    const tiles = wrapper.findAll('[data-test="completeness-tiles"] .tile');
    expect(tiles.map((t) => t.attributes('data-code'))).toEqual(['9410105001', '9410105002']);
    expect(tiles[0].text()).toContain('50%');
    expect(tiles[0].text()).toContain('10/20 班');
    expect(tiles[0].text()).toContain('病例 5');

    const calls = () => server.seen.filter((r) => r.path === '/api/v1/health-checks/completeness').map((r) => new URL(r.url, 'http://x').searchParams);
    await vi.waitFor(() => expect(calls()).toHaveLength(15));
    const days = calls().map((p) => p.get('date'));
    expect(new Set(days).size).toBe(14);
    expect(days).toContain('2026-11-17');
    expect(days).toContain('2026-11-30');
    expect(calls().every((p) => p.get('org') === '410105' && p.get('session') === 'morning')).toBe(true);

    await tiles[0].trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('school-health');
    expect(router.currentRoute.value.params.code).toBe('9410105001');
  });

  it('says on a day without school that no check is required, with the rates as "—" and the reports made anyway', async () => {
    const tree: CompletenessTree = {
      ...figures('410105', '金水区', 'county', 1, 0),
      schools: 0,
      school_day: false,
      children: [{ ...figures('9410105001', '第1小学', 'school', 1, 0), schools: 0 }, { ...figures('9410105002', '第2小学', 'school', 0, 0), schools: 0 }],
    };
    vi.stubGlobal(
      'fetch',
      fakeServer({
        'GET /api/v1/health-checks/completeness': () => json(tree),
        'GET /api/v1/org-units/410105': () => json({ code: '410105', name: '金水区', level: 'county', ancestors: [], child_count: 2 }),
        'GET /api/v1/health-warnings': () => json({ items: [], total: 0, page: 1, page_size: 20 }),
      }).fetch,
    );
    const pinia = createPinia();
    setActivePinia(pinia);
    useAuthStore().user = userWith({ role: 'bureau_safety_officer' });
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/health', name: 'health', component: HealthCountyView }] });
    await router.push('/health');
    const wrapper = mount(HealthCountyView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')], stubs: { EChart: true } }, attachTo: document.body });
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-test="completeness-tiles"]').exists()).toBe(true));

    expect(wrapper.find('[data-test="not-school-day"]').text()).toBe('今天不是上学日（周末或假期），不要求晨午检');
    const summary = wrapper.find('[data-test="health-summary"]');
    expect(summary.text()).toContain('—');
    expect(summary.text()).not.toMatch(/NaN|Infinity|无应报班级/);
    const tiles = wrapper.findAll('[data-test="completeness-tiles"] .tile');
    expect(tiles.map((t) => t.attributes('data-reported'))).toEqual(['1', '0']);
    for (const tile of tiles) expect(tile.find('.tile-rate').text()).toBe('—');
  });
});
