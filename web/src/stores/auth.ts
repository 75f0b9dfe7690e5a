import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as authApi from '@/api/auth';
import { isApiError } from '@/api/http';
import type { LoginRequest, LoginResponse, User } from '@/api/auth';

/**
 * The session: who is logged in and the CSRF token for writes. The session
 * cookie itself is HttpOnly and never seen here; nothing is kept in storage.
 */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null);
  const csrfToken = ref<string | null>(null);
  /** True once the server has been asked whether a session exists. */
  const probed = ref(false);
  let probing: Promise<User | null> | null = null;

  const role = computed(() => user.value?.role);
  const isLoggedIn = computed(() => user.value !== null);
  const mustChangePassword = computed(() => user.value?.must_change_password === true);

  /** Logs in; rejects with the server's ApiError (invalid_credentials, account_locked, totp_required, …). */
  async function login(req: LoginRequest): Promise<LoginResponse> {
    const res = await authApi.login(req);
    user.value = { ...res.user, must_change_password: res.must_change_password };
    csrfToken.value = res.csrf_token;
    probed.value = true;
    return res;
  }

  /** The current user, asking the server once per page load; null when not logged in. */
  function ensureSession(): Promise<User | null> {
    if (probed.value) return Promise.resolve(user.value);
    probing ??= refresh().finally(() => {
      probing = null;
    });
    return probing;
  }

  /** Re-reads the session from GET /auth/me; null (and cleared) on 401. */
  async function refresh(): Promise<User | null> {
    try {
      const me = await authApi.fetchMe();
      user.value = me.user;
      csrfToken.value = me.csrf_token;
    } catch (e) {
      if (!isApiError(e) || e.status !== 401) throw e;
      user.value = null;
      csrfToken.value = null;
    } finally {
      probed.value = true;
    }
    return user.value;
  }

  async function changePassword(old_password: string, new_password: string): Promise<void> {
    await authApi.changePassword(old_password, new_password);
    if (user.value) user.value = { ...user.value, must_change_password: false };
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  /** Forgets the session locally (after a 401 or a logout). */
  function clear(): void {
    user.value = null;
    csrfToken.value = null;
    probed.value = true;
  }

  return {
    user,
    csrfToken,
    probed,
    role,
    isLoggedIn,
    mustChangePassword,
    login,
    ensureSession,
    refresh,
    changePassword,
    logout,
    clear,
  };
});
