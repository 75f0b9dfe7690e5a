import type { RouteRecordRaw } from 'vue-router';
import { Checked, Document, Flag, List, PieChart } from '@element-plus/icons-vue';
import {
  kCampaignReaders,
  kChecklistReaders,
  kHazardDashboardReaders,
  kHazardReaders,
  kInspectionRecorders,
  kSchoolInspectors,
} from '@/utils/permission';

/** Issue #6: inspections made for a phone, the hazard ledger, campaigns and the dashboard. */
export const hazardRoutes: RouteRecordRaw[] = [
  {
    // The school's due inspections and self-inspection, made for a phone.
    path: 'inspections',
    name: 'inspections',
    component: () => import('@/views/inspections/InspectionsView.vue'),
    meta: { title: 'menu.inspections', roles: kSchoolInspectors, menu: { icon: Checked, order: 5.1 } },
  },
  {
    // ?due=ID (a campaign's round) or ?template=ID (self; with &school=&source= a bureau's spot check).
    path: 'inspections/new',
    name: 'inspection-new',
    component: () => import('@/views/inspections/InspectionFormView.vue'),
    meta: { title: 'inspections.form.title', roles: kInspectionRecorders, activeMenu: '/inspections' },
  },
  {
    path: 'campaigns',
    name: 'campaigns',
    component: () => import('@/views/inspections/CampaignsView.vue'),
    meta: { title: 'menu.campaigns', roles: kCampaignReaders, menu: { icon: Flag, order: 6.1 } },
  },
  {
    // 检查表管理: the shipped checklists and the bureau's own, and new ones or new versions.
    path: 'checklists',
    name: 'checklists',
    component: () => import('@/views/inspections/ChecklistsView.vue'),
    meta: { title: 'menu.checklists', roles: kChecklistReaders, menu: { icon: Document, order: 6.15 } },
  },
  {
    path: 'campaigns/:id',
    name: 'campaign-detail',
    component: () => import('@/views/inspections/CampaignDetailView.vue'),
    props: true,
    meta: { title: 'inspections.progress.title', roles: kCampaignReaders, activeMenu: '/campaigns' },
  },
  {
    path: 'hazards',
    name: 'hazards',
    component: () => import('@/views/hazards/HazardLedgerView.vue'),
    meta: { title: 'menu.hazards', roles: kHazardReaders, menu: { icon: List, order: 6.2 } },
  },
  {
    path: 'hazards/dashboard',
    name: 'hazard-dashboard',
    component: () => import('@/views/hazards/HazardDashboardView.vue'),
    meta: { title: 'menu.hazardDashboard', roles: kHazardDashboardReaders, menu: { icon: PieChart, order: 6.3 } },
  },
  {
    path: 'hazards/:id(\\d+)',
    name: 'hazard-detail',
    component: () => import('@/views/hazards/HazardDetailView.vue'),
    props: true,
    meta: { title: 'hazards.ledger.title', roles: kHazardReaders, activeMenu: '/hazards' },
  },
];
