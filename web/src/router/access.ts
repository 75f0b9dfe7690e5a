import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router';
import type { Component } from 'vue';
import type { Role } from '@/api/auth';
import { hasRole } from '@/utils/permission';

export interface MenuItem {
  path: string;
  title: string;
  icon: Component;
}

/** Whether `role` may open `to`: every matched record's `meta.roles` must allow it. */
export function canAccess(to: RouteLocationNormalized, role: Role | undefined): boolean {
  return to.matched.every((record) => hasRole(role, record.meta.roles));
}

/** The side menu for `role`, from the layout's child routes, in `meta.menu.order`. */
export function buildMenu(children: readonly RouteRecordRaw[], role: Role | undefined): MenuItem[] {
  return children
    .filter((r) => r.meta?.menu && hasRole(role, r.meta.roles))
    .sort((a, b) => (a.meta?.menu?.order ?? 0) - (b.meta?.menu?.order ?? 0))
    .map((r) => ({
      path: `/${r.path}`,
      title: r.meta?.title ?? '',
      icon: r.meta!.menu!.icon,
    }));
}
