import type { Router } from 'vue-router';
import { useAuthStore } from '@/stores/auth';
import { i18n } from '@/locales';
import { canAccess } from './access';

/** Login, forced password change and role checks before every navigation. */
export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const auth = useAuthStore();
    const user = await auth.ensureSession().catch(() => null);
    if (to.meta.public) {
      if (user && to.name === 'login') return { name: user.must_change_password ? 'change-password' : 'home' };
      return true;
    }
    if (!user) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (user.must_change_password && to.name !== 'change-password') {
      return { name: 'change-password' };
    }
    if (!canAccess(to, user.role)) return { name: 'home' };
    return true;
  });

  router.afterEach((to) => {
    const title = to.meta.title ? i18n.global.t(to.meta.title) : '';
    document.title = title ? `${title} - ${i18n.global.t('common.appName')}` : i18n.global.t('common.appName');
  });
}
