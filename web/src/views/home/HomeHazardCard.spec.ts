import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import HomeHazardCard from './HomeHazardCard.vue';
import { createAppI18n } from '@/locales';
import { fakeServer, json, problem, type SeenRequest } from '@/testing/fakeServer';
import { figuresWith, hazardWith } from '@/views/hazards/hazardFixtures';

const params = (r: SeenRequest) => Object.fromEntries(new URL(r.url, 'http://x').searchParams);

function router() {
  const stub = { render: () => null };
  return createRouter({
    history: createMemoryHistory(),
    routes: ['inspections', 'hazards', 'hazard-dashboard'].map((name) => ({ path: `/${name}`, name, component: stub })),
  });
}

describe('HomeHazardCard', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows a school its open inspections, open and overdue hazards', async () => {
    const server = fakeServer({
      'GET /api/v1/inspection-dues': () =>
        json({ items: [{ id: 1, status: 'open' }, { id: 2, status: 'done' }, { id: 3, status: 'open' }] }),
      'GET /api/v1/hazards': (r) => json({ items: [], total: params(r).overdue === 'true' ? 1 : 4, page: 1, page_size: 1 }),
    });
    vi.stubGlobal('fetch', server.fetch);
    const wrapper = mount(HomeHazardCard, { props: { org: '9410105001', mode: 'school' }, global: { plugins: [router(), createAppI18n('zh-CN')] } });
    await flushPromises();
    expect(wrapper.find('[data-test="home-dues"]').text()).toBe('待完成检查 2 项');
    expect(wrapper.find('[data-test="home-open"]').text()).toBe('未销号隐患 4 条');
    expect(wrapper.find('[data-test="home-overdue"]').text()).toBe('逾期 1 条');
    expect(wrapper.find('[data-test="home-open-inspections"]').exists()).toBe(true);
  });

  it('shows a bureau its figures and what is escalated to it, and hides itself when they cannot be read', async () => {
    vi.stubGlobal('fetch', fakeServer({ 'GET /api/v1/hazards/dashboard': () => json({ unit: figuresWith('410105', '金水区', 'county', { open: 5, overdue: 2 }), children: [], escalated: [hazardWith({ id: 1 })] }) }).fetch);
    const wrapper = mount(HomeHazardCard, { props: { org: '410105', mode: 'bureau' }, global: { plugins: [router(), createAppI18n('zh-CN')] } });
    await flushPromises();
    expect(wrapper.find('[data-test="home-escalated"]').text()).toBe('挂牌督办 1 条');
    expect(wrapper.find('[data-test="home-dues"]').exists()).toBe(false);

    vi.stubGlobal('fetch', fakeServer({ 'GET /api/v1/hazards/dashboard': () => problem(403, 'forbidden') }).fetch);
    const hidden = mount(HomeHazardCard, { props: { org: '410105', mode: 'bureau' }, global: { plugins: [router(), createAppI18n('zh-CN')] } });
    await flushPromises();
    expect(hidden.find('[data-test="home-hazards"]').exists()).toBe(false);
  });

  it('lets other school staff report a hazard of their own school directly', async () => {
    const server = fakeServer({ 'POST /api/v1/hazards': (r) => json({ ...hazardWith({ id: 51 }), ...JSON.parse(r.body!) }, 201) });
    vi.stubGlobal('fetch', server.fetch);
    const wrapper = mount(HomeHazardCard, { props: { org: '9410105001', mode: 'reporter' }, global: { plugins: [router(), createAppI18n('zh-CN')] }, attachTo: document.body });
    await flushPromises();
    expect(server.seen).toHaveLength(0);
    await wrapper.find('[data-test="hazard-report"]').trigger('click');
    await vi.waitFor(() => expect(document.querySelector('[data-test="hazard-report-form"]')).not.toBeNull());
    const dialog = wrapper.findComponent({ name: 'HazardReportDialog' });
    Object.assign((dialog.vm as unknown as { $: { setupState: { form: Record<string, unknown> } } }).$.setupState.form, {
      category: 'surroundings',
      location: '校门口',
      description: '减速带损坏',
      grade: 'ordinary',
    });
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="report-submit"]')!.click();
    await vi.waitFor(() => expect(server.seen).toHaveLength(1));
    expect(JSON.parse(server.seen[0].body!)).toEqual({ school: '9410105001', category: 'surroundings', location: '校门口', description: '减速带损坏', grade: 'ordinary', source: 'direct' });
    wrapper.unmount();
  });
});
