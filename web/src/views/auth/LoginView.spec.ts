import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { defineComponent } from 'vue';
import LoginView from './LoginView.vue';
import { createAppI18n } from '@/locales';
import { fakeServer, json, problem, type Handler } from '@/testing/fakeServer';
import { kCountyUser } from '@/testing/fixtures';

const Blank = defineComponent({ template: '<div />' });

function makeRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/', name: 'home', component: Blank },
      { path: '/change-password', name: 'change-password', component: Blank },
    ],
  });
}

async function renderLogin(login: Handler, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const server = fakeServer({ 'POST /api/v1/auth/login': login });
  vi.stubGlobal('fetch', server.fetch);
  const router = makeRouter();
  await router.push('/login');
  const wrapper = mount(LoginView, { global: { plugins: [createPinia(), router, createAppI18n(locale)] }, attachTo: document.body });
  return { wrapper, router, server };
}

async function submit(wrapper: Awaited<ReturnType<typeof renderLogin>>['wrapper'], username: string, password: string) {
  await wrapper.find('input[name="username"]').setValue(username);
  await wrapper.find('input[name="password"]').setValue(password);
  await wrapper.find('form').trigger('submit');
  await flushPromises();
}

describe('LoginView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the lockout message with the minutes left', async () => {
    const { wrapper } = await renderLogin(() =>
      problem(401, 'account_locked', { locked_until: '2030-01-01T10:00:00+08:00', retry_after_minutes: 15 }),
    );
    await submit(wrapper, 'demo-county', 'wrong');
    await vi.waitFor(() => expect(wrapper.find('[data-test="login-error"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="login-error"]').text()).toContain('账号已锁定，请 15 分钟后再试');
  });

  it('shows the lockout minutes in English too', async () => {
    const { wrapper } = await renderLogin(() => problem(401, 'account_locked', { retry_after_minutes: 30 }), 'en');
    await submit(wrapper, 'demo-county', 'wrong');
    await vi.waitFor(() => expect(wrapper.find('[data-test="login-error"]').text()).toContain('try again in 30 minutes'));
  });

  it('says the credentials are wrong and clears the password', async () => {
    const { wrapper } = await renderLogin(() => problem(401, 'invalid_credentials'));
    await submit(wrapper, 'demo-county', 'wrong');
    await vi.waitFor(() => expect(wrapper.find('[data-test="login-error"]').text()).toContain('用户名或密码错误'));
    expect((wrapper.find('input[name="password"]').element as HTMLInputElement).value).toBe('');
  });

  it('asks for the TOTP code when the server requires it, then sends it', async () => {
    let calls = 0;
    const { wrapper, router, server } = await renderLogin((req) => {
      calls += 1;
      const body = JSON.parse(req.body ?? '{}') as { totp?: string };
      if (!body.totp) return problem(401, 'totp_required');
      return json({ token: 't', csrf_token: 'c', user: { ...kCountyUser, role: 'system_admin' }, must_change_password: false });
    });
    expect(wrapper.find('input[name="totp"]').exists()).toBe(false);
    await submit(wrapper, 'sys1', 'Secret#Pass2026');
    await vi.waitFor(() => expect(wrapper.find('input[name="totp"]').exists()).toBe(true));
    expect(wrapper.find('[data-test="login-error"]').exists()).toBe(false);

    await wrapper.find('input[name="totp"]').setValue('123456');
    await wrapper.find('form').trigger('submit');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('home'));
    expect(calls).toBe(2);
    expect(JSON.parse(server.seen[1].body ?? '{}')).toMatchObject({ username: 'sys1', totp: '123456' });
  });

  it('does not send the form while a field is empty', async () => {
    const { wrapper, server } = await renderLogin(() => json({}));
    await submit(wrapper, '', 'x');
    await flushPromises();
    expect(server.seen).toHaveLength(0);
  });

  it('goes to the password page when the account must change its password', async () => {
    const { wrapper, router } = await renderLogin(() =>
      json({ token: 't', csrf_token: 'c', user: kCountyUser, must_change_password: true }),
    );
    await submit(wrapper, 'new-user', 'Initial#Pass1');
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('change-password'));
  });
});
