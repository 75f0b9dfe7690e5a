import type { Component } from 'vue';
import type { Role } from '@/api/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (and of its menu item). */
    title?: string;
    /** Shown in the side menu, with this icon, ordered by `order`. */
    menu?: { icon: Component; order: number };
    /** Roles that may open the page; absent means every logged-in user. */
    roles?: readonly Role[];
    /** Reachable without a session (login). */
    public?: boolean;
    /** The menu item to highlight on a page that is not itself in the menu. */
    activeMenu?: string;
  }
}

export {};
