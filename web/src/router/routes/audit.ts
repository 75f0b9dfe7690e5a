import type { RouteRecordRaw } from 'vue-router';
import { Document } from '@element-plus/icons-vue';
import { kAuditReaders } from '@/utils/permission';

export const auditRoutes: RouteRecordRaw[] = [
  {
    path: 'audit',
    name: 'audit',
    component: () => import('@/views/audit/AuditView.vue'),
    meta: { title: 'menu.audit', roles: kAuditReaders, menu: { icon: Document, order: 40 } },
  },
];
