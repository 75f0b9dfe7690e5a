import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import HazardDetailView from './HazardDetailView.vue';
import { hazardWith, kSchoolCode } from './hazardFixtures';
import { createAppI18n } from '@/locales';
import { FakeWebSocket } from '@/views/alarms/fakeWebSocket';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem, type Handler } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Hazard } from '@/api/hazards';
import type { User } from '@/api/auth';

const kPrincipal = userWith({ role: 'principal', username: 'demo-principal', org_code: kSchoolCode, org_name: '金水区第1小学' });

async function render(hazard: Hazard, user: User, act: Handler, get: () => Hazard = () => hazard) {
  const server = fakeServer({
    [`GET /api/v1/hazards/${hazard.id}`]: () => json(get()),
    [`POST /api/v1/hazards/${hazard.id}/actions`]: act,
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = user;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/hazards/:id', name: 'hazard-detail', component: HazardDetailView, props: true },
      { path: '/hazards', name: 'hazards', component: HazardDetailView },
    ],
  });
  await router.push(`/hazards/${hazard.id}`);
  const wrapper = mount(HazardDetailView, { props: { id: String(hazard.id) }, global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="hazard-title"]').exists()).toBe(true));
  return { wrapper, server };
}

const body = (s: { seen: { method: string; body: string | null }[] }) => s.seen.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body!));

describe('HazardDetailView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    FakeWebSocket.reset();
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows a major hazard’s five in place, what a start lacks, and the server’s refusal in Chinese', async () => {
    const hazard = hazardWith({ id: 12, grade: 'major', responsible: '后勤副校长', measures: '更换线路', category: 'electricity' });
    const { wrapper, server } = await render(hazard, kPrincipal, () => problem(409, 'five_not_in_place', { errors: [{ field: 'five_in_place', message: 'A major hazard needs …' }] }));
    expect(wrapper.find('[data-test="hazard-state"]').text()).toBe('已登记');
    const five = wrapper.find('[data-test="five-in-place"]');
    expect(five.attributes('data-complete')).toBe('false');
    expect(five.findAll('[data-ok="true"]').map((f) => f.attributes('data-field'))).toEqual(['responsible', 'measures']);
    expect(wrapper.findAll('[data-test="hazard-actions"] button').map((b) => b.text())).toEqual(['制定整改方案', '开始整改']);
    expect(wrapper.find('[data-test="start-blocked"]').text()).toBe('开始整改前还须填写：整改资金、整改时限、应急预案、临时管控措施');

    await wrapper.find('[data-test="action-start"]').trigger('click');
    await flushPromises();
    const confirm = await vi.waitFor(() => {
      const b = document.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--primary');
      expect(b).not.toBeNull();
      return b!;
    });
    confirm.click();
    await vi.waitFor(() => expect(wrapper.find('[data-test="hazard-refusal"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="hazard-refusal"]').text()).toBe('重大隐患须先落实“五到位”（责任人、措施、资金、时限、预案）才能开始整改');
    expect(body(server)).toEqual([{ action: 'start' }]);
    expect(wrapper.find('[data-test="hazard-state"]').text()).toBe('已登记');
  });

  it('sends only the changed plan fields and shows the hazard the server answers', async () => {
    const hazard = hazardWith({ id: 13, responsible: '后勤副校长' });
    const { wrapper, server } = await render(hazard, kPrincipal, (req) => json({ ...hazard, ...JSON.parse(req.body!), events: [] }));
    await wrapper.find('[data-test="action-plan"]').trigger('click');
    await flushPromises();
    const form = document.querySelector('[data-test="action-form-plan"]')!;
    const measures = form.querySelector<HTMLTextAreaElement>('textarea[name="measures"]')!;
    measures.value = '更换灭火器';
    measures.dispatchEvent(new Event('input'));
    const interim = form.querySelector<HTMLTextAreaElement>('textarea[name="interim_measures"]')!;
    interim.value = '临时调配两具灭火器';
    interim.dispatchEvent(new Event('input'));
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="action-save"]')!.click();
    await vi.waitFor(() => expect(body(server)).toHaveLength(1));
    expect(body(server)[0]).toEqual({ action: 'plan', measures: '更换灭火器', interim_measures: '临时调配两具灭火器' });
    await vi.waitFor(() => expect(wrapper.find('[data-test="hazard-plan"]').text()).toContain('临时调配两具灭火器'));
  });

  it('lets another school leader accept, and says so when the finder may not; the timeline shows photos and the escalation', async () => {
    const hazard = hazardWith({
      id: 14,
      state: 'awaiting_acceptance',
      overdue: true,
      overdue_since: '2026-11-20',
      supervising_level: 'county',
      escalated_at: '2026-11-20T00:01:00+08:00',
      explanation_required: true,
      events: [
        { at: '2026-11-10T09:00:00+08:00', by: 'demo-principal', action: 'register', from: null, to: 'registered', note: '', photos: [] },
        { at: '2026-11-20T00:01:00+08:00', by: 'system', action: 'escalated', from: null, to: null, note: '升级至县级挂牌督办，学校须作出书面说明', photos: [] },
        { at: '2026-11-27T16:00:00+08:00', by: 'demo-principal', action: 'submit', from: 'rectifying', to: 'awaiting_acceptance', note: '已更换', photos: ['a1', 'a2'] },
      ],
    });
    const own = await render(hazard, kPrincipal, () => json(hazard));
    expect(own.wrapper.find('[data-test="needs-other"]').text()).toBe('验收须由发现人以外的人员进行，请另一位学校负责人验收');
    expect(own.wrapper.findAll('[data-test="hazard-actions"] button').map((b) => b.text())).toEqual(['提交书面说明']);
    expect(own.wrapper.find('[data-test="detail-escalated"]').text()).toContain('县级挂牌督办');
    expect(own.wrapper.find('[data-test="marker-overdue"]').text()).toBe('逾期');
    const timeline = own.wrapper.find('[data-test="hazard-timeline"]');
    expect(timeline.findAll('[data-action]').map((e) => e.attributes('data-action'))).toEqual(['register', 'escalated', 'submit']);
    expect(timeline.text()).toContain('整改中 → 待验收');
    expect(timeline.text()).toContain('挂牌督办');
    expect(timeline.text()).toContain('登记');
    expect(timeline.findAll('img, .el-image')).not.toHaveLength(0);
    own.wrapper.unmount();

    document.body.innerHTML = '';
    const safety = userWith({ role: 'school_safety_officer', username: 'demo-safety', org_code: kSchoolCode });
    const other = await render(hazard, safety, () => problem(409, 'same_person'));
    expect(other.wrapper.findAll('[data-test="hazard-actions"] button').map((b) => b.text())).toEqual(['验收通过', '验收不通过', '提交书面说明']);
    await other.wrapper.find('[data-test="action-accept"]').trigger('click');
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="action-save"]')!.click();
    await vi.waitFor(() => expect(document.querySelector('[data-test="action-refusal"]')).not.toBeNull());
    expect(document.querySelector('[data-test="action-refusal"]')!.textContent).toContain('验收须由隐患发现人以外的人员进行');
    expect(body(other.server)).toEqual([{ action: 'accept', note: '' }]);
  });

  it('shows a step taken elsewhere at once, from the live feed, and ignores other hazards', async () => {
    let current = hazardWith({ id: 15, state: 'rectifying' });
    const { wrapper, server } = await render(current, kPrincipal, () => json(current), () => current);
    const gets = () => server.seen.filter((r) => r.method === 'GET' && r.path === '/api/v1/hazards/15').length;
    FakeWebSocket.last().accept(10);
    await vi.waitFor(() => expect(gets()).toBe(2)); // the catch-up when the feed opens
    current = { ...current, overdue: true, supervising_level: 'county', explanation_required: true };
    FakeWebSocket.last().push({ seq: 11, type: 'hazard.changed', org_path: `/410000/410100/410105/${kSchoolCode}/`, at: '2026-11-29T00:01:00+08:00', data: hazardWith({ id: 99 }) });
    FakeWebSocket.last().push({ seq: 12, type: 'hazard.changed', org_path: `/410000/410100/410105/${kSchoolCode}/`, at: '2026-11-29T00:01:00+08:00', data: current });
    await vi.waitFor(() => expect(wrapper.find('[data-test="detail-escalated"]').exists()).toBe(true));
    expect(gets()).toBe(3);
    expect(wrapper.find('[data-test="action-explain"]').exists()).toBe(true);
  });

  it('says once that a hazard outside the jurisdiction is not there, and does not ask for it again when the feed opens', async () => {
    let answer: (r: Response) => void = () => undefined;
    const server = fakeServer({ 'GET /api/v1/hazards/5': () => new Promise<Response>((resolve) => (answer = resolve)) });
    vi.stubGlobal('fetch', server.fetch);
    const pinia = createPinia();
    setActivePinia(pinia);
    useAuthStore().user = userWith({ role: 'bureau_safety_officer', username: 'demo-county2', org_code: '410302', org_name: '老城区' });
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/hazards/:id', name: 'hazard-detail', component: HazardDetailView, props: true }, { path: '/hazards', name: 'hazards', component: HazardDetailView }] });
    await router.push('/hazards/5');
    const wrapper = mount(HazardDetailView, { props: { id: '5' }, global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
    await flushPromises();
    // The feed opens while the first read is still under way.
    await vi.waitFor(() => expect(FakeWebSocket.sockets.length).toBeGreaterThan(0));
    FakeWebSocket.last().accept(10);
    await flushPromises();
    answer(problem(404, 'not_found'));
    await vi.waitFor(() => expect(wrapper.find('[data-test="hazard-missing"]').exists()).toBe(true));
    await flushPromises();
    expect(wrapper.find('[data-test="hazard-missing"]').text()).toBe('隐患不存在或不在您的管辖范围内');
    expect(wrapper.find('[data-test="hazard-failure"]').exists()).toBe(false);
    expect(wrapper.findAll('.el-alert').length).toBe(0);
    expect(server.seen.filter((r) => r.path === '/api/v1/hazards/5').length).toBe(1);
  });

  it('shows a failure other than 404 in the alert, and reads again when the feed opens', async () => {
    let status = 503;
    const hazard = hazardWith({ id: 6 });
    const server = fakeServer({ 'GET /api/v1/hazards/6': () => (status === 503 ? problem(503, 'unavailable') : json(hazard)) });
    vi.stubGlobal('fetch', server.fetch);
    const pinia = createPinia();
    setActivePinia(pinia);
    useAuthStore().user = kPrincipal;
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/hazards/:id', name: 'hazard-detail', component: HazardDetailView, props: true }, { path: '/hazards', name: 'hazards', component: HazardDetailView }] });
    await router.push('/hazards/6');
    const wrapper = mount(HazardDetailView, { props: { id: '6' }, global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
    await vi.waitFor(() => expect(wrapper.find('[data-test="hazard-failure"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="hazard-missing"]').exists()).toBe(false);
    status = 200;
    await vi.waitFor(() => expect(FakeWebSocket.sockets.length).toBeGreaterThan(0));
    FakeWebSocket.last().accept(10);
    await vi.waitFor(() => expect(wrapper.find('[data-test="hazard-title"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="hazard-failure"]').exists()).toBe(false);
  });
});
