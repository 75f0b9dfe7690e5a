import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import HazardLedgerView from './HazardLedgerView.vue';
import { hazardWith } from './hazardFixtures';
import { createAppI18n } from '@/locales';
import { FakeWebSocket } from '@/views/alarms/fakeWebSocket';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, type SeenRequest } from '@/testing/fakeServer';
import { kCountyUser } from '@/testing/fixtures';

const params = (r: SeenRequest) => Object.fromEntries(new URL(r.url, 'http://x').searchParams);

async function render() {
  const hazards = [
    hazardWith({ id: 21, state: 'rectifying', deadline: '2026-11-20', overdue: true, supervising_level: 'county', explanation_required: true }),
    hazardWith({ id: 22, category: 'building', grade: 'major', building_grade: 'D', out_of_use: true, description: '经鉴定为D级危房' }),
    hazardWith({ id: 23, state: 'closed', school_name: '金水区第2小学' }),
  ];
  const server = fakeServer({
    'GET /api/v1/hazards': () => json({ items: hazards, total: 3, page: 1, page_size: 20 }),
    'GET /api/v1/hazards/export': () => new Response('xlsx', { headers: { 'Content-Disposition': 'attachment; filename="hazards-410105-2026.xlsx"' } }),
    'GET /api/v1/org-units/410105': () => json({ code: '410105', name: '金水区', level: 'county', ancestors: [] }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = kCountyUser;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/hazards', name: 'hazards', component: HazardLedgerView },
      { path: '/hazards/:id', name: 'hazard-detail', component: HazardLedgerView },
    ],
  });
  await router.push('/hazards');
  const wrapper = mount(HazardLedgerView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="hazard-row-21"]').exists()).toBe(true));
  return { wrapper, server, router };
}

describe('HazardLedgerView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    FakeWebSocket.reset();
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-28T10:00:00+08:00'));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('lists the unit’s open hazards, the D-grade building out of use first, with state tags and markers', async () => {
    const { wrapper, server } = await render();
    expect(params(server.seen.find((r) => r.path === '/api/v1/hazards')!)).toEqual({ org: '410105', state: 'open', page: '1', page_size: '20' });
    const rows = wrapper.findAll('[data-test="hazards-table"] .el-table__body tr');
    expect(rows.map((r) => r.find('[data-test^="hazard-row-"]').text())).toEqual(['#22', '#21', '#23']);
    expect(rows[0].classes()).toContain('out-of-use');
    expect(rows[0].find('[data-test="marker-out-of-use"]').text()).toBe('立即停用');
    expect(rows[1].find('[data-test="marker-overdue"]').text()).toBe('逾期');
    expect(rows[1].find('[data-test="marker-escalated"]').text()).toBe('县级挂牌督办');
    expect(rows[1].text()).toContain('2026-11-20（逾期 8 天）');
    expect(wrapper.find('[data-test="hazard-state-21"]').text()).toBe('整改中');
    expect(wrapper.find('[data-test="hazard-state-23"]').text()).toBe('已销号');
    expect(rows[2].text()).toContain('金水区第2小学');
  });

  it('filters by grade, category, overdue, escalation and year, opens a hazard, and exports the year', async () => {
    const { wrapper, server, router } = await render();
    const vm = wrapper.findComponent(HazardLedgerView).vm as unknown as { $: { setupState: { filters: Record<string, unknown> } } };
    Object.assign(vm.$.setupState.filters, { state: '', grade: 'major', category: 'building', overdue: true, escalated: true, year: 2026 });
    await wrapper.find('[data-test="hazards-search"]').trigger('click');
    await flushPromises();
    expect(params(server.seen.filter((r) => r.path === '/api/v1/hazards').at(-1)!)).toEqual({
      org: '410105',
      grade: 'major',
      category: 'building',
      overdue: 'true',
      escalated: 'true',
      year: '2026',
      page: '1',
      page_size: '20',
    });

    const createObjectURL = vi.fn(() => 'blob:x');
    vi.stubGlobal('URL', class extends URL {
      static createObjectURL = createObjectURL;
      static revokeObjectURL = vi.fn();
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await wrapper.find('[data-test="hazards-export"]').trigger('click');
    await vi.waitFor(() => expect(createObjectURL).toHaveBeenCalled());
    expect(params(server.seen.find((r) => r.path === '/api/v1/hazards/export')!)).toEqual({ org: '410105', year: '2026' });

    await wrapper.findAll('[data-test="hazards-table"] .el-table__body tr')[1].trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('hazard-detail');
    expect(router.currentRoute.value.params.id).toBe('21');
  });
});
