import type { RouteRecordRaw } from 'vue-router';
import { authRoutes } from './auth';
import { homeRoutes } from './home';
import { orgRoutes } from './org';
import { schoolRoutes } from './schools';
import { userRoutes } from './users';
import { auditRoutes } from './audit';
import { ledgerRoutes } from './ledger';
import { complianceRoutes } from './compliance';
import { healthRoutes } from './health';
import { alarmRoutes } from './alarms';
import { deviceRoutes } from './devices';
import { hazardRoutes } from './hazards';

/** The pages inside the main layout (header + side menu). */
export const layoutChildren: RouteRecordRaw[] = [
  ...homeRoutes,
  ...alarmRoutes,
  ...complianceRoutes,
  ...healthRoutes,
  ...deviceRoutes,
  ...hazardRoutes,
  ...ledgerRoutes,
  ...orgRoutes,
  ...schoolRoutes,
  ...userRoutes,
  ...auditRoutes,
];

export const routes: RouteRecordRaw[] = [
  ...authRoutes,
  {
    path: '/',
    component: () => import('@/layouts/BasicLayout.vue'),
    children: layoutChildren,
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];
