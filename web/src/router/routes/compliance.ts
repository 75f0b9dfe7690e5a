import type { RouteRecordRaw } from 'vue-router';
import { DataAnalysis } from '@element-plus/icons-vue';
import { kComplianceReaders } from '@/utils/permission';

export const complianceRoutes: RouteRecordRaw[] = [
  {
    path: 'compliance',
    name: 'compliance',
    component: () => import('@/views/compliance/ComplianceView.vue'),
    meta: { title: 'menu.compliance', roles: kComplianceReaders, menu: { icon: DataAnalysis, order: 5 } },
  },
];
