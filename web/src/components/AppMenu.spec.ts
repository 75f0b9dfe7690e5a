import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import AppMenu from './AppMenu.vue';
import { createAppI18n } from '@/locales';
import { routes } from '@/router/routes';
import { useAuthStore } from '@/stores/auth';
import { userWith } from '@/testing/fixtures';
import type { Role } from '@/api/auth';

async function renderMenu(role: Role, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role });
  const router = createRouter({ history: createMemoryHistory(), routes });
  await router.push('/');
  const wrapper = mount(AppMenu, { global: { plugins: [pinia, router, createAppI18n(locale)] } });
  return wrapper.findAll('.el-menu-item').map((item) => item.text());
}

describe('AppMenu', () => {
  it('renders the audit administrator’s two items in Chinese', async () => {
    expect(await renderMenu('audit_admin')).toEqual(['首页', '审计日志']);
  });

  it('renders a bureau administrator’s items', async () => {
    expect(await renderMenu('bureau_admin')).toEqual(['首页', '报警处置台', '四个100%', '晨午检监测', '设备状态', '专项检查', '检查表管理', '隐患台账', '隐患看板', '报警历史', '组织机构', '学校', '用户管理']);
  });

  it('gives school leaders 隐患排查 and 隐患台账, and other school staff neither', async () => {
    const items = await renderMenu('school_safety_officer');
    expect(items).toContain('隐患排查');
    expect(items).toContain('隐患台账');
    expect(items).not.toContain('隐患看板');
    expect(items).not.toContain('专项检查');
    expect(items).not.toContain('检查表管理');
    const guard = await renderMenu('guard');
    expect(guard.filter((i) => i.startsWith('隐患'))).toEqual([]);
  });

  it('follows the language', async () => {
    expect(await renderMenu('principal', 'en')).toEqual(['Home', 'Alarm button', 'Alarm console', 'Morning/noon check', 'Health board', 'Security ledger', 'Hazard inspection', 'Classes and dormitories', 'Device status', 'Hazard ledger', 'Alarm history', 'Organization', 'Schools']);
  });
});
