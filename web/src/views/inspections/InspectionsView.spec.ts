import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import InspectionsView from './InspectionsView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import { kSchoolCode, kSchoolName } from '@/views/hazards/hazardFixtures';
import type { Due } from '@/api/inspections';
import { shanghaiDay } from '@/utils/day';

const kToday = shanghaiDay();
const kOpen: Due = { id: 7, campaign_id: 2, campaign_name: '冬季消防专项检查', template_id: 3, template_name: '消防安全检查表', round: 1, opens_on: kToday, due_on: '2999-12-05', status: 'open', inspection_id: null, upcoming: false };
const kUpcoming: Due = { ...kOpen, id: 8, campaign_id: 4, campaign_name: '春季开学安全检查', opens_on: '2999-01-01', due_on: '2999-01-31', upcoming: true };

async function render(dues: Due[]) {
  const server = fakeServer({
    'GET /api/v1/inspection-dues': () => json({ items: dues }),
    'GET /api/v1/checklists': () => json({ items: [] }),
    'GET /api/v1/inspections': () => json({ items: [], total: 0, page: 1, page_size: 10 }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role: 'principal', username: 'demo-principal', org_code: kSchoolCode, org_name: kSchoolName });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/inspections', name: 'inspections', component: InspectionsView },
      { path: '/inspections/new', name: 'inspection-new', component: { render: () => null } },
    ],
  });
  await router.push('/inspections');
  const wrapper = mount(InspectionsView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find(`[data-test="due-${dues[0].id}"]`).exists()).toBe(true));
  return wrapper;
}

describe('InspectionsView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows a round not yet open as 未开始 with its opening day and no start button, after the open one', async () => {
    const wrapper = await render([kUpcoming, kOpen]);
    const rows = wrapper.findAll('.due');
    expect(rows.map((r) => r.attributes('data-test'))).toEqual(['due-7', 'due-8']);
    expect(wrapper.find('[data-test="due-state-7"]').text()).toBe('待检查');
    expect(wrapper.find('[data-test="due-start-7"]').text()).toBe('开始检查');
    expect(wrapper.find('[data-test="due-8"]').attributes('data-state')).toBe('upcoming');
    expect(wrapper.find('[data-test="due-state-8"]').text()).toBe('未开始');
    expect(wrapper.find('[data-test="due-opens-8"]').text()).toBe('2999-01-01 起可开始检查');
    expect(wrapper.find('[data-test="due-start-8"]').exists()).toBe(false);
  });
});
