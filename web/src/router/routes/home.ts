import type { RouteRecordRaw } from 'vue-router';
import { HomeFilled } from '@element-plus/icons-vue';

export const homeRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'home',
    component: () => import('@/views/home/HomeView.vue'),
    meta: { title: 'menu.home', menu: { icon: HomeFilled, order: 0 } },
  },
];
