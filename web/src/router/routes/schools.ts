import type { RouteRecordRaw } from 'vue-router';
import { School } from '@element-plus/icons-vue';
import { kOrgReaders } from '@/utils/permission';

export const schoolRoutes: RouteRecordRaw[] = [
  {
    path: 'schools',
    name: 'schools',
    component: () => import('@/views/schools/SchoolListView.vue'),
    meta: { title: 'menu.schools', roles: kOrgReaders, menu: { icon: School, order: 20 } },
  },
  {
    path: 'schools/:code',
    name: 'school-detail',
    component: () => import('@/views/schools/SchoolDetailView.vue'),
    props: true,
    meta: { title: 'schools.detail.title', roles: kOrgReaders, activeMenu: '/schools' },
  },
];
