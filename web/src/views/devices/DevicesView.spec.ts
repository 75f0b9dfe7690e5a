import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import DevicesView from './DevicesView.vue';
import { deviceWith, figuresOf, kSchoolCode } from './deviceFixtures';
import { FakeWebSocket } from '@/views/alarms/fakeWebSocket';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, type SeenRequest } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Device, Networking } from '@/api/devices';

const params = (r: SeenRequest) => Object.fromEntries(new URL(r.url, 'http://x').searchParams);

const kCounty: Networking = {
  unit: figuresOf('410105', '金水区', 'county', [1, 2], [0, 4], 1),
  children: [figuresOf(kSchoolCode, '第1小学', 'school', [1, 1], [0, 2]), figuresOf('9410105002', '第2小学', 'school', [0, 1], [0, 2], 1)],
};
const kSchool: Networking = { unit: kCounty.children[0], children: [] };

async function render(devices: Device[] = [deviceWith({ status: 'online', last_seen: '2026-11-30T08:55:00+08:00' }), deviceWith({ national_id: '41010500001310000002', kind: 'camera', name: '东门摄像机' })]) {
  let list = devices;
  const server = fakeServer({
    'GET /api/v1/device-networking': (r) => json(params(r).org === kSchoolCode ? kSchool : kCounty),
    'GET /api/v1/devices': (r) => {
      const s = params(r).status;
      const items = s ? list.filter((d) => d.status === s) : list;
      return json({ items, total: items.length, page: 1, page_size: 20 });
    },
    'GET /api/v1/org-units/410105': () => json({ code: '410105', name: '金水区', level: 'county', ancestors: [], child_count: 2 }),
    [`GET /api/v1/org-units/${kSchoolCode}`]: () => json({ code: kSchoolCode, name: '第1小学', level: 'school', ancestors: [{ code: '410105', name: '金水区', level: 'county' }], child_count: 0 }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role: 'bureau_safety_officer' });
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/devices', name: 'devices', component: DevicesView }] });
  await router.push('/devices');
  const wrapper = mount(DevicesView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="device-table"]').exists()).toBe(true));
  const setDevices = (items: Device[]) => {
    list = items;
  };
  return { wrapper, server, router, setDevices };
}

const calls = (server: { seen: SeenRequest[] }, path: string) => server.seen.filter((r) => r.path === path).map(params);

describe('DevicesView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    FakeWebSocket.reset();
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T09:00:00+08:00'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the county’s networked rate for all, alarm and video devices, and its schools', async () => {
    const { wrapper } = await render();
    const card = (part: string) => wrapper.find(`[data-test="network-${part}"]`);
    expect(card('all').find('[data-test="rate-value"]').text()).toBe('16.6%');
    expect(card('all').text()).toContain('在线 1 / 应联网 6');
    expect(card('alarm').find('[data-test="rate-value"]').text()).toBe('50%');
    expect(card('video').find('[data-test="rate-value"]').text()).toBe('0%');
    const rows = wrapper.findAll('[data-test="network-children"] .el-table__row');
    expect(rows.map((r) => r.find('a').text())).toEqual(['第1小学', '第2小学']);
    expect(rows[0].find('[data-test="child-alarm"]').text()).toBe('100%');
  });

  it('lists the devices with status badges, the unknown one explained, and the age of the last message', async () => {
    const { wrapper } = await render();
    const rows = wrapper.findAll('[data-test="device-table"] .el-table__body .el-table__row');
    expect(rows.map((r) => r.find('[data-test="device-id"]').text())).toEqual(['41010500001340000001', '41010500001310000002']);
    expect(rows[0].find('[data-test="device-status"]').text()).toBe('在线');
    expect(rows[0].find('.el-tag--success').exists()).toBe(true);
    expect(rows[1].find('.el-tag--info').exists()).toBe(true);
    expect(rows[0].find('[data-test="device-last-seen"]').text()).toBe('5 分钟前');
    expect(rows[0].text()).toContain('第1小学');
    expect(rows[1].find('[data-test="device-status"]').text()).toBe('未知');
    expect(rows[1].find('[data-test="device-last-seen"]').text()).toBe('从未');
    expect(rows[1].find('[data-test="device-channels"]').text()).toBe('—/1');
    await rows[1].find('[data-test="device-status"]').trigger('mouseenter');
    await vi.waitFor(() => expect(document.body.textContent).toContain('服务重启后尚未收到设备消息'));
  });

  it('explains which devices are listed when there are none', async () => {
    const { wrapper } = await render([]);
    expect(wrapper.find('[data-test="device-empty"]').text()).toContain('20 位国标编码（GB/T 28181）');
  });

  it('drills down to a school by clicking it, with the county in the breadcrumb', async () => {
    const { wrapper, server, router } = await render();
    await wrapper.findAll('[data-test="network-children"] .el-table__row')[0].trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.query.org).toBe(kSchoolCode));
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.find('[data-test="devices-title"]').text()).toContain('第1小学'));
    expect(calls(server, '/api/v1/device-networking').at(-1)).toEqual({ org: kSchoolCode });
    expect(calls(server, '/api/v1/devices').at(-1)).toMatchObject({ org: kSchoolCode, page: '1' });
    expect(wrapper.find('[data-test="network-children"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="devices-crumbs"]').text()).toContain('金水区');
  });

  it('filters by status', async () => {
    const { wrapper, server } = await render();
    const select = wrapper.findComponent({ name: 'ElSelect' });
    select.vm.$emit('update:modelValue', 'offline');
    select.vm.$emit('change', 'offline');
    await flushPromises();
    expect(calls(server, '/api/v1/devices').at(-1)).toMatchObject({ org: '410105', status: 'offline', page: '1' });
  });

  it('follows device.status events live: the row at once, the figures read again once the burst settles', async () => {
    const { wrapper, server, setDevices } = await render();
    FakeWebSocket.last().accept(10);
    await flushPromises();
    const before = calls(server, '/api/v1/device-networking').length;
    const camera = deviceWith({ national_id: '41010500001310000002', kind: 'camera', name: '东门摄像机', status: 'online', last_seen: '2026-11-30T09:00:00+08:00' });
    setDevices([deviceWith({ status: 'online', last_seen: '2026-11-30T08:55:00+08:00' }), camera]);
    FakeWebSocket.last().push({ seq: 11, type: 'device.status', org_path: `/410000/410100/410105/${kSchoolCode}/`, at: '2026-11-30T09:00:00+08:00', data: camera });
    // Another county's device is not this page's.
    FakeWebSocket.last().push({ seq: 12, type: 'device.status', org_path: '/410000/410100/410102/9410102001/', at: '2026-11-30T09:00:00+08:00', data: { ...camera, national_id: '41010200001310000009' } });
    await flushPromises();
    const row = wrapper.findAll('[data-test="device-table"] .el-table__body .el-table__row')[1];
    expect(row.find('[data-test="device-status"]').text()).toBe('在线');
    expect(row.find('[data-test="device-last-seen"]').text()).toBe('刚刚');
    await vi.waitFor(() => expect(calls(server, '/api/v1/device-networking').length).toBe(before + 1), { timeout: 3000 });
  });
});
