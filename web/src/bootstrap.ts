import { createApp, type App as VueApp } from 'vue';
import { createPinia } from 'pinia';
import { ElMessage } from 'element-plus';
import type { Router } from 'vue-router';
import App from './App.vue';
import { http } from '@/api/http';
import { installInterceptors } from '@/api/interceptors';
import { i18n } from '@/locales';
import { createAppRouter } from '@/router';
import { useAuthStore } from '@/stores/auth';

/** Builds the whole app: plugins, router with guards, and the HTTP interceptors. */
export function createXiaoAnApp(): { app: VueApp; router: Router } {
  const app = createApp(App);
  const pinia = createPinia();
  app.use(pinia);
  app.use(i18n);
  const router = createAppRouter();
  app.use(router);

  const auth = useAuthStore(pinia);
  installInterceptors(http, {
    csrfToken: () => auth.csrfToken,
    locale: () => i18n.global.locale.value,
    onSessionExpired: () => {
      const had_session = auth.isLoggedIn;
      auth.clear();
      const current = router.currentRoute.value;
      if (current.name === 'login') return;
      if (had_session) {
        ElMessage({ type: 'warning', message: i18n.global.t('auth.sessionExpired'), grouping: true });
      }
      void router.replace({
        name: 'login',
        query: { redirect: current.fullPath, ...(had_session ? { expired: '1' } : {}) },
      });
    },
    onPasswordChangeRequired: () => {
      if (auth.user) auth.user = { ...auth.user, must_change_password: true };
      if (router.currentRoute.value.name !== 'change-password') {
        void router.replace({ name: 'change-password' });
      }
    },
  });
  return { app, router };
}
