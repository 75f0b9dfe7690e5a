import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useOrgDrill, type OrgDrill } from './useOrgDrill';
import OrgCrumbs from '@/components/OrgCrumbs.vue';
import { useAuthStore } from '@/stores/auth';
import { userWith } from '@/testing/fixtures';
import type { OrgUnitDetail } from '@/api/org';

const kSchool: OrgUnitDetail = {
  code: '9410105001',
  name: '第1小学',
  level: 'school',
  ancestors: [
    { code: '410000', name: '河南省', level: 'province' },
    { code: '410100', name: '郑州市', level: 'city' },
    { code: '410105', name: '金水区', level: 'county' },
  ],
  child_count: 0,
} as OrgUnitDetail;

async function render(own: string, query: Record<string, string> = {}) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role: 'bureau_safety_officer', org_code: own });
  let drill!: OrgDrill;
  const Page = defineComponent({
    setup() {
      drill = useOrgDrill();
      return () => h(OrgCrumbs, { crumbs: drill.crumbs.value, current: drill.org.value, onGo: drill.go });
    },
  });
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/p', name: 'p', component: Page }] });
  await router.push({ path: '/p', query });
  const wrapper = mount(Page, { global: { plugins: [pinia, router] } });
  return { wrapper, router, drill: () => drill };
}

describe('useOrgDrill and OrgCrumbs', () => {
  it('shows the user’s own unit unless ?org= names another', async () => {
    expect((await render('410100')).drill().org.value).toBe('410100');
    expect((await render('410100', { org: '410105' })).drill().org.value).toBe('410105');
  });

  it('leads back up to the user’s own unit and never above it', async () => {
    const { wrapper, drill } = await render('410100', { org: kSchool.code });
    drill().unit.value = kSchool;
    await flushPromises();
    expect(drill().crumbs.value.map((c) => c.code)).toEqual(['410100', '410105', '9410105001']);
    expect(wrapper.findAll('a').map((a) => a.text())).toEqual(['郑州市', '金水区']);
    expect(wrapper.text()).not.toContain('河南省');
  });

  it('shows no crumbs for the user’s own unit or a unit outside its path', async () => {
    const own = await render('9410105001');
    own.drill().unit.value = kSchool;
    await flushPromises();
    expect(own.wrapper.find('.el-breadcrumb').exists()).toBe(false);
    const outside = await render('410300', { org: kSchool.code });
    outside.drill().unit.value = kSchool;
    expect(outside.drill().crumbs.value.map((c) => c.code)).toEqual(['9410105001']);
  });

  it('goes to a crumb, keeping the other query parameters', async () => {
    const { wrapper, router, drill } = await render('410100', { org: kSchool.code, date: '2026-11-30' });
    drill().unit.value = kSchool;
    await flushPromises();
    await wrapper.findAll('a')[1]!.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ org: '410105', date: '2026-11-30' });
  });
});
