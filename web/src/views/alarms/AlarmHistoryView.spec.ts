import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import AlarmHistoryView from './AlarmHistoryView.vue';
import { alarmWith, figures, kSchoolCode, kSchoolName } from './alarmFixtures';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, type SeenRequest } from '@/testing/fakeServer';
import { kCountyUser } from '@/testing/fixtures';

const params = (r: SeenRequest) => Object.fromEntries(new URL(r.url, 'http://x').searchParams);

async function render() {
  const closed = alarmWith({
    id: 7,
    kind: 'test',
    status: 'closed',
    level: 'county',
    escalate_at: null,
    acknowledged_at: '2026-11-30T09:00:30+08:00',
    acknowledged_by: 'demo-county',
    closed_at: '2026-11-30T09:05:00+08:00',
    outcome: 'test_passed',
  });
  const climbed = alarmWith({ id: 8, level: 'city', pressed_at: '2026-11-30T10:00:00+08:00' });
  const server = fakeServer({
    'GET /api/v1/alarms': () => json({ items: [climbed, closed], total: 2, page: 1, page_size: 20 }),
    'GET /api/v1/alarm-stats': (r) =>
      json({
        from: '2026-10-31',
        to: '2026-11-30',
        unit: figures(params(r).org, params(r).org === '410105' ? '金水区' : '郑州市', 'county'),
        children: [figures(kSchoolCode, kSchoolName, 'school', { schools: 1, real: 0, false_alarms: 0, false_rate: null, schools_tested: 1, test_coverage: 1, ack_p50_seconds: null }), figures('410199', '某下级', 'county')],
      }),
    'GET /api/v1/alarms/7': () =>
      json({
        ...closed,
        steps: [
          { step: 'raised', at: '2026-11-30T09:00:00+08:00', by: 'demo-guard', note: '' },
          { step: 'acknowledged', at: '2026-11-30T09:00:30+08:00', by: 'demo-county', note: '' },
          { step: 'closed', at: '2026-11-30T09:05:00+08:00', by: 'demo-principal', note: '月度测试，联动正常' },
        ],
      }),
    'GET /api/v1/alarms.xlsx': () => new Response('xlsx', { headers: { 'Content-Disposition': 'attachment; filename="alarms-410105.xlsx"' } }),
    'GET /api/v1/org-units/410105': () => json({ code: '410105', name: '金水区', level: 'county', ancestors: [] }),
    'GET /api/v1/org-units/410199': () => json({ code: '410199', name: '某下级', level: 'county', ancestors: [] }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = kCountyUser;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/alarms/history', component: AlarmHistoryView },
      { path: '/alarms', name: 'alarms', component: AlarmHistoryView },
    ],
  });
  await router.push('/alarms/history');
  const wrapper = mount(AlarmHistoryView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="history-table"] .el-table__body').text()).toContain('测试'));
  return { wrapper, server, router };
}

describe('AlarmHistoryView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('lists the unit’s alarms with kind, status and the climbed level, and the figures per child unit', async () => {
    const { wrapper, server } = await render();
    const list = server.seen.find((r) => r.path === '/api/v1/alarms')!;
    expect(params(list)).toEqual({ org: '410105', page: '1', page_size: '20' });
    expect(wrapper.find('[data-test="history-status-7"]').text()).toBe('已关闭');
    expect(wrapper.find('[data-test="history-status-8"]').text()).toBe('待确认');
    const body = wrapper.find('[data-test="history-table"] .el-table__body').text();
    expect(body).toContain('市级');
    expect(body).toContain('已升级');
    expect(body).toContain('测试通过');
    expect(body).toContain('05:00');

    const stats = wrapper.find('[data-test="alarm-stats"]');
    expect(stats.text()).toContain('金水区（合计）');
    expect(stats.findAll('[data-test="stat-false-rate"]').map((c) => c.text())).toEqual(['25%', '—', '25%']);
    expect(stats.findAll('[data-test="stat-coverage"]').map((c) => c.text())).toEqual(['50%', '100%', '50%']);
    expect(stats.findAll('[data-test="stat-ack"]').map((c) => c.text())).toEqual(['01:15', '—', '01:15']);
    // A school has no units below it: only the county is a link.
    expect(stats.findAll('a').map((a) => a.attributes('data-code'))).toEqual(['410199']);
  });

  it('drills down to a child unit, and filters by status, kind and days', async () => {
    const { wrapper, server, router } = await render();
    await wrapper.find('[data-test="alarm-stats"] a[data-code="410199"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.query.org).toBe('410199'));
    await vi.waitFor(() => expect(server.seen.filter((r) => r.path === '/api/v1/alarm-stats').map((r) => params(r).org)).toEqual(['410105', '410199']));
    expect(params(server.seen.filter((r) => r.path === '/api/v1/alarms').at(-1)!).org).toBe('410199');

    const vm = wrapper.findComponent(AlarmHistoryView).vm as unknown as { $: { setupState: { filters: { status: string; kind: string; range: [string, string] | null } } } };
    Object.assign(vm.$.setupState.filters, { status: 'closed', kind: 'test', range: ['2026-11-01', '2026-11-30'] });
    await wrapper.find('[data-test="history-search"]').trigger('click');
    await flushPromises();
    expect(params(server.seen.filter((r) => r.path === '/api/v1/alarms').at(-1)!)).toEqual({
      org: '410199',
      status: 'closed',
      kind: 'test',
      from: '2026-11-01',
      to: '2026-11-30',
      page: '1',
      page_size: '20',
    });
    expect(params(server.seen.filter((r) => r.path === '/api/v1/alarm-stats').at(-1)!)).toEqual({ org: '410199', from: '2026-11-01', to: '2026-11-30' });

    const createObjectURL = vi.fn(() => 'blob:x');
    vi.stubGlobal(
      'URL',
      class extends URL {
        static createObjectURL = createObjectURL;
        static revokeObjectURL = vi.fn();
      },
    );
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await wrapper.find('[data-test="history-export"]').trigger('click');
    await vi.waitFor(() => expect(createObjectURL).toHaveBeenCalled());
    expect(params(server.seen.find((r) => r.path === '/api/v1/alarms.xlsx')!)).toEqual({ org: '410199', status: 'closed', kind: 'test', from: '2026-11-01', to: '2026-11-30' });
  });

  it('opens the detail drawer with the timeline of steps', async () => {
    const { wrapper } = await render();
    const rows = wrapper.findAll('[data-test="history-table"] .el-table__body tr');
    await rows[1].trigger('click');
    await vi.waitFor(() => expect(document.querySelectorAll('[data-test="detail-timeline"] [data-step]')).toHaveLength(3));
    const drawer = document.querySelector('[data-test="alarm-detail"]')!;
    expect(drawer.querySelector('[data-test="detail-kind"]')!.textContent).toBe('测试报警');
    expect([...drawer.querySelectorAll('[data-step]')].map((s) => s.getAttribute('data-step'))).toEqual(['raised', 'acknowledged', 'closed']);
    expect(drawer.textContent).toContain('月度测试，联动正常');
    expect(drawer.textContent).toContain('确认接警');
  });
});
