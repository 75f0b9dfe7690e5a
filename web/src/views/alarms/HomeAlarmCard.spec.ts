import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import HomeAlarmCard from './HomeAlarmCard.vue';
import { kSchoolCode } from './alarmFixtures';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Role } from '@/api/auth';

async function render(role: Role) {
  const server = fakeServer({ 'GET /api/v1/alarms': () => json({ items: [], total: 3, page: 1, page_size: 1 }) });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith(role.startsWith('bureau') || role.endsWith('admin') ? { role } : { role, org_code: kSchoolCode });
  const stub = { template: '<div />' };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: stub },
      { path: '/alarm-button', name: 'alarm-button', component: stub },
      { path: '/alarms', name: 'alarms', component: stub },
    ],
  });
  await router.push('/');
  const wrapper = mount(HomeAlarmCard, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] } });
  await flushPromises();
  return { wrapper, server };
}

describe('HomeAlarmCard', () => {
  it('gives the guard the way to the alarm button, and asks for no alarms', async () => {
    const { wrapper, server } = await render('guard');
    expect(wrapper.find('[data-test="home-alarm-button"]').text()).toBe('一键报警');
    expect(wrapper.find('[data-test="home-alarm-console"]').exists()).toBe(false);
    expect(server.seen).toEqual([]);
  });

  it('gives a principal both, with the count of open alarms', async () => {
    const { wrapper } = await render('principal');
    expect(wrapper.find('[data-test="home-alarm-button"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="home-open-alarms"]').text()).toBe('未关闭的报警（3）');
  });

  it('shows a county officer the console only, and an administrator nothing', async () => {
    const county = await render('bureau_safety_officer');
    expect(county.wrapper.find('[data-test="home-alarm-button"]').exists()).toBe(false);
    expect(county.wrapper.find('[data-test="home-alarm-console"]').exists()).toBe(true);
    const admin = await render('system_admin');
    expect(admin.wrapper.find('[data-test="home-alarms"]').exists()).toBe(false);
  });
});
