import type { RouteRecordRaw } from 'vue-router';
import { Connection } from '@element-plus/icons-vue';
import { kDeviceReaders } from '@/utils/permission';

export const deviceRoutes: RouteRecordRaw[] = [
  {
    // Device status and the networked rate of a unit, live.
    path: 'devices',
    name: 'devices',
    component: () => import('@/views/devices/DevicesView.vue'),
    meta: { title: 'menu.devices', roles: kDeviceReaders, menu: { icon: Connection, order: 6 } },
  },
];
