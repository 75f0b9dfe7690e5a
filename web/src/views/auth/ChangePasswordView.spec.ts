import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { defineComponent } from 'vue';
import ChangePasswordView from './ChangePasswordView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem, type Handler } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';

const Blank = defineComponent({ template: '<div />' });

async function render(handler: Handler) {
  const server = fakeServer({
    'POST /api/v1/auth/password': handler,
    'GET /api/v1/auth/me': () => json({ user: userWith({ username: 'li.hua' }), csrf_token: 'c' }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ username: 'li.hua', must_change_password: true });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/change-password', name: 'change-password', component: ChangePasswordView },
      { path: '/', name: 'home', component: Blank },
      { path: '/login', name: 'login', component: Blank },
    ],
  });
  await router.push('/change-password');
  const wrapper = mount(ChangePasswordView, { global: { plugins: [pinia, router, createAppI18n('zh-CN')] }, attachTo: document.body });
  return { wrapper, router, server };
}

async function fill(wrapper: Awaited<ReturnType<typeof render>>['wrapper'], old: string, next: string, confirm = next) {
  await wrapper.find('input[name="old_password"]').setValue(old);
  await wrapper.find('input[name="new_password"]').setValue(next);
  await wrapper.find('input[name="confirm"]').setValue(confirm);
  await wrapper.find('form').trigger('submit');
  await flushPromises();
}

describe('ChangePasswordView', () => {
  it('checks the rule before sending: a password containing the username is refused', async () => {
    const { wrapper, server } = await render(() => new Response(null, { status: 204 }));
    await fill(wrapper, 'Initial#1234', 'Li.Hua-2026x');
    await vi.waitFor(() => expect(wrapper.text()).toContain('新密码不符合复杂度要求'));
    expect(server.seen.filter((r) => r.path === '/api/v1/auth/password')).toHaveLength(0);
    expect(wrapper.find('[data-test="password-rules"] li:not(.ok)').text()).toContain('不能包含用户名');
  });

  it('refuses a confirmation that differs', async () => {
    const { wrapper, server } = await render(() => new Response(null, { status: 204 }));
    await fill(wrapper, 'Initial#1234', 'Good#Pass2026', 'Good#Pass2027');
    await vi.waitFor(() => expect(wrapper.text()).toContain('两次输入的新密码不一致'));
    expect(server.seen).toHaveLength(0);
  });

  it('shows the server’s field errors beside the fields', async () => {
    const { wrapper } = await render(() =>
      problem(400, 'validation_failed', { errors: [{ field: 'new_password', message: '不能与最近使用过的密码相同' }] }),
    );
    await fill(wrapper, 'Initial#1234', 'Good#Pass2026');
    await vi.waitFor(() => expect(wrapper.text()).toContain('不能与最近使用过的密码相同'));
  });

  it('changes the password and goes home', async () => {
    const { wrapper, router, server } = await render(() => new Response(null, { status: 204 }));
    await fill(wrapper, 'Initial#1234', 'Good#Pass2026');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('home'));
    expect(JSON.parse(server.seen[0].body ?? '{}')).toEqual({ old_password: 'Initial#1234', new_password: 'Good#Pass2026' });
    expect(useAuthStore().mustChangePassword).toBe(false);
  });
});
