import type { RouteRecordRaw } from 'vue-router';
import { Bell, Tickets, WarningFilled } from '@element-plus/icons-vue';
import { kAlarmConsoleRoles, kAlarmRaisers } from '@/utils/permission';

export const alarmRoutes: RouteRecordRaw[] = [
  {
    // The guard's button, made for a phone.
    path: 'alarm-button',
    name: 'alarm-button',
    component: () => import('@/views/alarms/AlarmButtonView.vue'),
    meta: { title: 'menu.alarmButton', roles: kAlarmRaisers, menu: { icon: WarningFilled, order: 1 } },
  },
  {
    // The live console of school leaders and bureaus.
    path: 'alarms',
    name: 'alarms',
    component: () => import('@/views/alarms/AlarmConsoleView.vue'),
    meta: { title: 'menu.alarms', roles: kAlarmConsoleRoles, menu: { icon: Bell, order: 2 } },
  },
  {
    path: 'alarms/history',
    name: 'alarm-history',
    component: () => import('@/views/alarms/AlarmHistoryView.vue'),
    meta: { title: 'menu.alarmHistory', roles: kAlarmConsoleRoles, menu: { icon: Tickets, order: 7 } },
  },
];
