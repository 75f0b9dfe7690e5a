import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import AlarmConsoleView from './AlarmConsoleView.vue';
import { alarmWith, kSchoolCode, kSchoolName } from './alarmFixtures';
import { FakeWebSocket } from './fakeWebSocket';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem, type SeenRequest } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Role } from '@/api/auth';
import type { Alarm } from '@/api/alarms';

const params = (r: SeenRequest) => Object.fromEntries(new URL(r.url, 'http://x').searchParams);

interface Setup {
  open?: Alarm[];
  closed?: Alarm[];
  steps?: (id: number, body: { status: string; outcome?: string; note?: string }) => Response;
}

async function render(role: Role, setup: Setup = {}) {
  let open = setup.open ?? [alarmWith({ id: 1, status: 'acknowledged', acknowledged_by: 'demo-principal' }), alarmWith({ id: 2, kind: 'test', escalate_at: null, source: 'ingest', raised_by: 'source:1', raised_by_name: '报警主机1' })];
  const closed = setup.closed ?? [alarmWith({ id: 0, status: 'closed', outcome: 'handled', closed_at: '2026-11-30T08:10:00+08:00', pressed_at: '2026-11-30T08:00:00+08:00' })];
  const server = fakeServer({
    'GET /api/v1/alarms': (r) => json({ items: params(r).status === 'closed' ? closed : open, total: 0, page: 1, page_size: 100 }),
    'GET /api/v1/alarms/3': () => json(alarmWith({ id: 3, status: 'acknowledged', acknowledged_by: 'demo-county' })),
  });
  const fetch = server.fetch;
  vi.stubGlobal('fetch', async (input: string, init: RequestInit) => {
    const m = /\/api\/v1\/alarms\/(\d+)\/steps$/.exec(input);
    if (m && init.method === 'POST') {
      server.seen.push({ method: 'POST', url: input, path: input, headers: new Headers(), body: String(init.body), credentials: undefined });
      const body = JSON.parse(String(init.body));
      return setup.steps ? setup.steps(Number(m[1]), body) : json(alarmWith({ id: Number(m[1]), status: body.status, acknowledged_by: 'demo-county' }));
    }
    return fetch(input, init);
  });
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith(role.startsWith('bureau') ? { role } : { role, org_code: kSchoolCode, org_name: kSchoolName });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/alarms', component: AlarmConsoleView },
      { path: '/alarms/history', name: 'alarm-history', component: AlarmConsoleView },
    ],
  });
  await router.push('/alarms');
  const wrapper = mount(AlarmConsoleView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="console-open"]').attributes('data-count')).toBe('2'));
  const setOpen = (items: Alarm[]) => {
    open = items;
  };
  return { wrapper, server, setOpen };
}

const alarmGets = (server: { seen: SeenRequest[] }) => server.seen.filter((r) => r.path === '/api/v1/alarms');

describe('AlarmConsoleView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    FakeWebSocket.reset();
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T09:01:05+08:00'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists the open alarms of the jurisdiction, raised first and labelled, with the recently closed below', async () => {
    const { wrapper, server } = await render('bureau_safety_officer');
    expect(alarmGets(server).map((r) => params(r))).toEqual([
      { org: '410105', status: 'open', page_size: '100' },
      { org: '410105', status: 'closed', page_size: '10' },
    ]);
    const cards = wrapper.findAll('[data-test="console-open"] .alarm');
    expect(cards.map((c) => c.attributes('data-test'))).toEqual(['alarm-2', 'alarm-1']);
    const test = wrapper.find('[data-test="alarm-2"]');
    expect(test.find('[data-test="alarm-kind"]').text()).toBe('测试报警');
    expect(test.find('[data-test="alarm-status"]').text()).toBe('待确认');
    expect(test.find('[data-test="alarm-level"]').text()).toBe('县级');
    expect(test.find('[data-test="alarm-elapsed"]').text()).toBe('已过 01:05');
    expect(test.findAll('.actions .el-button').map((b) => b.text())).toEqual(['确认接警', '已出警', '已到场', '关闭报警', '处置过程']);
    expect(wrapper.find('[data-test="alarm-1"]').text()).toContain('demo-principal 确认');
    // An alarm host's alarm names its source, a person's press the username.
    expect(test.find('[data-test="alarm-raised-by"]').text()).toBe('报警主机1 报警');
    expect(wrapper.find('[data-test="alarm-1"] [data-test="alarm-raised-by"]').text()).toBe('demo-guard 报警');
    expect(wrapper.find('[data-test="console-closed"] [data-test="alarm-0"]').text()).toContain('用时 10:00');
  });

  it('shows an alarm from the live feed at once, flashing, and a climbed one as 已升级', async () => {
    const { wrapper } = await render('principal');
    await vi.waitFor(() => expect(FakeWebSocket.sockets.length).toBeGreaterThan(0));
    const socket = FakeWebSocket.last();
    expect(socket.url).toMatch(/\/api\/v1\/live/);
    socket.accept(100);
    await vi.waitFor(() => expect(wrapper.find('[data-test="live-state"]').attributes('data-state')).toBe('open'));

    socket.pushAlarm('alarm.raised', 101, alarmWith({ id: 3, location: '北门' }));
    await flushPromises();
    const card = wrapper.find('[data-test="alarm-3"]');
    expect(card.exists()).toBe(true);
    expect(card.classes()).toEqual(expect.arrayContaining(['raised', 'real']));
    expect(wrapper.findAll('[data-test="console-open"] .alarm')[0].attributes('data-test')).toBe('alarm-3');
    expect(wrapper.find('[data-test="console-open"]').attributes('data-count')).toBe('3');

    socket.pushAlarm('alarm.escalated', 102, alarmWith({ id: 3, level: 'city', location: '北门' }));
    await flushPromises();
    expect(wrapper.find('[data-test="alarm-3"] [data-test="alarm-level"]').text()).toBe('市级');
    expect(wrapper.find('[data-test="alarm-3"] [data-test="alarm-escalated"]').text()).toBe('已升级');

    socket.pushAlarm('alarm.updated', 103, alarmWith({ id: 3, status: 'acknowledged', level: 'city', acknowledged_by: 'demo-city' }));
    await flushPromises();
    expect(wrapper.find('[data-test="alarm-3"]').attributes('data-status')).toBe('acknowledged');
    expect(wrapper.find('[data-test="alarm-3"] [data-test="alarm-status"]').text()).toBe('已确认');
  });

  it('reads the list again over REST when the feed comes back or is reset', async () => {
    const { wrapper, server, setOpen } = await render('principal');
    await vi.waitFor(() => expect(FakeWebSocket.sockets.length).toBeGreaterThan(0));
    FakeWebSocket.last().accept(100);
    await vi.waitFor(() => expect(wrapper.find('[data-test="live-state"]').attributes('data-state')).toBe('open'));
    const before = alarmGets(server).length;

    setOpen([alarmWith({ id: 5 }), alarmWith({ id: 1, status: 'dispatched' })]);
    FakeWebSocket.last().drop();
    await vi.waitFor(() => expect(wrapper.find('[data-test="live-state"]').attributes('data-state')).not.toBe('open'));
    await vi.waitFor(() => expect(FakeWebSocket.sockets.length).toBe(2), { timeout: 15_000 });
    FakeWebSocket.last().accept(100);
    await vi.waitFor(() => expect(alarmGets(server).length).toBeGreaterThan(before));
    await vi.waitFor(() => expect(wrapper.find('[data-test="alarm-5"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="alarm-1"]').attributes('data-status')).toBe('dispatched');
    expect(wrapper.find('[data-test="alarm-2"]').exists()).toBe(false);

    const afterReconnect = alarmGets(server).length;
    FakeWebSocket.last().push({ type: 'reset', seq: 200 });
    await vi.waitFor(() => expect(alarmGets(server).length).toBeGreaterThan(afterReconnect));
  });

  it('acknowledges with one click and says so when someone else was quicker', async () => {
    const { wrapper, server } = await render('bureau_safety_officer', {
      open: [alarmWith({ id: 3 }), alarmWith({ id: 4 })],
      steps: (id, body) => (id === 3 ? problem(409, 'alarm_step_out_of_order') : json(alarmWith({ id, status: body.status as Alarm['status'], acknowledged_by: 'demo-county' }))),
    });
    await wrapper.find('[data-test="alarm-4"] [data-test="alarm-step-acknowledged"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="alarm-4"]').attributes('data-status')).toBe('acknowledged'));
    expect(JSON.parse(server.seen.find((r) => r.url.endsWith('/alarms/4/steps'))!.body!)).toEqual({ status: 'acknowledged' });

    await wrapper.find('[data-test="alarm-3"] [data-test="alarm-step-acknowledged"]').trigger('click');
    await vi.waitFor(() => expect(document.body.textContent).toContain('该报警已被他人处理'));
    await vi.waitFor(() => expect(wrapper.find('[data-test="alarm-3"]').attributes('data-status')).toBe('acknowledged'));
    expect(wrapper.find('[data-test="alarm-3"]').text()).toContain('demo-county 确认');
  });

  it('closes a real alarm with its outcome and note', async () => {
    const { wrapper, server } = await render('principal', {
      steps: (id, body) => json(alarmWith({ id, status: 'closed', outcome: body.outcome as Alarm['outcome'], closed_at: '2026-11-30T09:01:00+08:00' })),
    });
    await wrapper.find('[data-test="alarm-1"] [data-test="alarm-step-closed"]').trigger('click');
    await vi.waitFor(() => expect(document.querySelector('[data-test="alarm-close-form"]')).not.toBeNull());
    const outcomes = [...document.querySelectorAll('[data-test="alarm-outcome"] [data-outcome]')].map((o) => o.getAttribute('data-outcome'));
    expect(outcomes).toEqual(['handled', 'false_alarm']);
    document.querySelector<HTMLInputElement>('[data-outcome="false_alarm"] input')!.click();
    const note = document.querySelector<HTMLTextAreaElement>('[data-test="alarm-close-form"] textarea[name="note"]')!;
    note.value = '保安误触';
    note.dispatchEvent(new Event('input'));
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="alarm-close-send"]')!.click();
    await vi.waitFor(() => expect(wrapper.find('[data-test="console-closed"] [data-test="alarm-1"]').exists()).toBe(true));
    expect(JSON.parse(server.seen.find((r) => r.url.endsWith('/alarms/1/steps'))!.body!)).toEqual({ status: 'closed', outcome: 'false_alarm', note: '保安误触' });
    expect(wrapper.find('[data-test="console-open"]').attributes('data-count')).toBe('1');
  });

  it('gives the bureau leader the console read-only', async () => {
    const { wrapper } = await render('bureau_leader');
    expect(wrapper.find('[data-test="console-readonly"]').exists()).toBe(true);
    expect(wrapper.findAll('[data-test^="alarm-step-"]')).toHaveLength(0);
  });

  it('asks for a click before it plays the tone, then offers to mute', async () => {
    class Ctx {
      state = 'suspended';
      currentTime = 0;
      destination = {};
      async resume() {
        this.state = 'running';
      }
      async close() {}
      createOscillator() {
        return { frequency: {}, connect() {}, start() {}, stop() {} };
      }
      createGain() {
        return { gain: {}, connect() {} };
      }
    }
    vi.stubGlobal('AudioContext', Ctx);
    const { wrapper } = await render('principal');
    await wrapper.find('[data-test="sound-enable"]').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="sound-mute"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="sound-mute"]').text()).toBe('静音');
    await wrapper.find('[data-test="sound-mute"]').trigger('click');
    expect(wrapper.find('[data-test="sound-mute"]').text()).toBe('取消静音');
  });
});
