import type { RouteRecordRaw } from 'vue-router';
import { Share } from '@element-plus/icons-vue';
import { kOrgReaders } from '@/utils/permission';

export const orgRoutes: RouteRecordRaw[] = [
  {
    path: 'org',
    name: 'org',
    component: () => import('@/views/org/OrgTreeView.vue'),
    meta: { title: 'menu.org', roles: kOrgReaders, menu: { icon: Share, order: 10 } },
  },
];
