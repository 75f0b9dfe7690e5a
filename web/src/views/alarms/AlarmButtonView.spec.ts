import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import AlarmButtonView from './AlarmButtonView.vue';
import { alarmWith, kSchoolCode, kSchoolName } from './alarmFixtures';
import { FakeWebSocket } from './fakeWebSocket';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Alarm } from '@/api/alarms';

async function render(options: { fail?: boolean; stored?: Alarm } = {}) {
  const bodies: unknown[] = [];
  let raised: Alarm | null = options.stored ?? null;
  const server = fakeServer({
    'POST /api/v1/alarms': (r) => {
      bodies.push(JSON.parse(r.body!));
      if (options.fail && bodies.length === 1) return problem(503, 'unavailable');
      const body = JSON.parse(r.body!) as { kind: Alarm['kind']; location?: string };
      raised = alarmWith({ id: 11, kind: body.kind, location: body.location ?? '', escalate_at: body.kind === 'real' ? '2026-11-30T09:02:00+08:00' : null });
      return json(raised, 201);
    },
    'GET /api/v1/alarms/11': () => json(raised),
    'POST /api/v1/alarms/11/steps': (r) => json({ ...raised!, status: 'closed', outcome: JSON.parse(r.body!).outcome, closed_at: '2026-11-30T09:03:00+08:00' }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role: 'guard', username: 'demo-guard', org_code: kSchoolCode, org_name: kSchoolName });
  const wrapper = mount(AlarmButtonView, { global: { plugins: [pinia, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, server, bodies };
}

async function confirmWith(location: string): Promise<void> {
  await vi.waitFor(() => expect(document.querySelector('[data-test="alarm-confirm"] input[name="location"]')).not.toBeNull());
  const input = document.querySelector<HTMLInputElement>('[data-test="alarm-confirm"] input[name="location"]')!;
  input.value = location;
  input.dispatchEvent(new Event('input'));
  await flushPromises();
  document.querySelector<HTMLButtonElement>('[data-test="alarm-confirm-send"]')!.click();
}

describe('AlarmButtonView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    sessionStorage.clear();
    FakeWebSocket.reset();
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T09:00:20+08:00'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('raises nothing on the press alone: the real alarm goes only after the confirmation', async () => {
    const { wrapper, bodies } = await render();
    await wrapper.find('[data-test="alarm-press"]').trigger('click');
    await flushPromises();
    expect(bodies).toEqual([]);
    expect(document.querySelector('[data-test="alarm-confirm"]')!.textContent).toContain('确认发出真实报警？');
    await confirmWith('东门');
    await vi.waitFor(() => expect(bodies).toEqual([{ kind: 'real', location: '东门' }]));
    await vi.waitFor(() => expect(wrapper.find('[data-test="button-current"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="button-current"]').attributes()).toMatchObject({ 'data-status': 'raised', 'data-kind': 'real' });
    expect(wrapper.find('[data-test="button-status"]').text()).toBe('待确认');
    expect(wrapper.find('[data-test="button-close"]').exists()).toBe(false);
    expect(sessionStorage.getItem('xiaoan.alarm-current')).toBe('11');
  });

  it('follows the alarm just raised over the live feed', async () => {
    const { wrapper } = await render();
    await wrapper.find('[data-test="alarm-press"]').trigger('click');
    await confirmWith('');
    await vi.waitFor(() => expect(wrapper.find('[data-test="button-current"]').exists()).toBe(true));
    await vi.waitFor(() => expect(FakeWebSocket.sockets.length).toBeGreaterThan(0));
    const socket = FakeWebSocket.last();
    socket.accept(10);
    socket.pushAlarm('alarm.updated', 11, alarmWith({ id: 99, status: 'closed' }));
    socket.pushAlarm('alarm.updated', 12, alarmWith({ id: 11, status: 'acknowledged', acknowledged_by: 'demo-county' }));
    await flushPromises();
    expect(wrapper.find('[data-test="button-current"]').attributes('data-status')).toBe('acknowledged');
    expect(wrapper.find('[data-test="button-status"]').text()).toBe('已确认');
    expect(wrapper.find('[data-test="button-current"]').text()).toContain('demo-county 确认');
  });

  it('keeps tests and drills apart, labels them, and lets the guard end the drill', async () => {
    const { wrapper, bodies, server } = await render();
    expect(wrapper.find('[data-test="button-exercise"]').text()).toContain('测试和演练会明确标注');
    await wrapper.find('[data-test="alarm-drill"]').trigger('click');
    await flushPromises();
    expect(document.querySelector('[data-test="alarm-confirm"]')!.textContent).toContain('确认发起演练？');
    await confirmWith('操场');
    await vi.waitFor(() => expect(bodies).toEqual([{ kind: 'drill', location: '操场' }]));
    await vi.waitFor(() => expect(wrapper.find('[data-test="button-close"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="button-current"]').text()).toContain('演练报警');
    expect(wrapper.find('[data-test="button-close"]').text()).toBe('结束演练');

    await wrapper.find('[data-test="button-close"]').trigger('click');
    await vi.waitFor(() => expect(document.querySelector('[data-outcome="drill_done"] input')).not.toBeNull());
    expect(document.querySelector<HTMLInputElement>('[data-outcome="drill_done"] input')!.checked).toBe(true);
    document.querySelector<HTMLButtonElement>('[data-test="alarm-close-send"]')!.click();
    await vi.waitFor(() => expect(wrapper.find('[data-test="button-current"]').attributes('data-status')).toBe('closed'));
    expect(JSON.parse(server.seen.find((r) => r.path.endsWith('/steps'))!.body!)).toEqual({ status: 'closed', outcome: 'drill_done', note: '' });
  });

  it('says when the alarm did not go out and sends it again on retry', async () => {
    const { wrapper, bodies } = await render({ fail: true });
    await wrapper.find('[data-test="alarm-press"]').trigger('click');
    await confirmWith('');
    await vi.waitFor(() => expect(document.querySelector('[data-test="alarm-failure"]')).not.toBeNull());
    expect(document.querySelector('[data-test="alarm-failure"]')!.textContent).toContain('报警未能发出');
    expect(document.querySelector('[data-test="alarm-confirm-send"]')!.textContent).toContain('重试');
    document.querySelector<HTMLButtonElement>('[data-test="alarm-confirm-send"]')!.click();
    await vi.waitFor(() => expect(bodies).toHaveLength(2));
    await vi.waitFor(() => expect(wrapper.find('[data-test="button-current"]').exists()).toBe(true));
  });

  it('shows the alarm again after a reload of the page', async () => {
    sessionStorage.setItem('xiaoan.alarm-current', '11');
    const { wrapper } = await render({ stored: alarmWith({ id: 11, status: 'dispatched' }) });
    await vi.waitFor(() => expect(wrapper.find('[data-test="button-current"]').attributes('data-status')).toBe('dispatched'));
    expect(wrapper.find('[data-test="button-status"]').text()).toBe('已出警');
  });
});
