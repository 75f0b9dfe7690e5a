import type { RouteRecordRaw } from 'vue-router';
import { User } from '@element-plus/icons-vue';
import { kUserManagers } from '@/utils/permission';

export const userRoutes: RouteRecordRaw[] = [
  {
    path: 'users',
    name: 'users',
    component: () => import('@/views/users/UserListView.vue'),
    meta: { title: 'menu.users', roles: kUserManagers, menu: { icon: User, order: 30 } },
  },
];
