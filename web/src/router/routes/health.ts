import type { RouteRecordRaw } from 'vue-router';
import { FirstAidKit, Monitor, OfficeBuilding, TrendCharts } from '@element-plus/icons-vue';
import { kClassManagers, kHealthBoardReaders, kHealthBoardRoles, kHealthBureauReaders, kHealthReporters } from '@/utils/permission';

export const healthRoutes: RouteRecordRaw[] = [
  {
    // The class teacher's form, made for a phone.
    path: 'health/report',
    name: 'health-report',
    component: () => import('@/views/health/HealthReportView.vue'),
    meta: { title: 'menu.healthReport', roles: kHealthReporters, menu: { icon: FirstAidKit, order: 3 } },
  },
  {
    // The school doctor's board of the own school.
    path: 'health/school',
    name: 'health-school',
    component: () => import('@/views/health/HealthSchoolView.vue'),
    meta: { title: 'menu.healthSchool', roles: kHealthBoardRoles, menu: { icon: Monitor, order: 4 } },
  },
  {
    path: 'health/classes',
    name: 'health-classes',
    component: () => import('@/views/health/ClassesView.vue'),
    meta: { title: 'menu.healthClasses', roles: kClassManagers, menu: { icon: OfficeBuilding, order: 6 } },
  },
  {
    // A bureau's view of one school's board, read-only, from the county board.
    path: 'schools/:code/health',
    name: 'school-health',
    component: () => import('@/views/health/HealthSchoolView.vue'),
    props: true,
    meta: { title: 'health.board.title', roles: kHealthBoardReaders, activeMenu: '/health' },
  },
  {
    path: 'health',
    name: 'health',
    component: () => import('@/views/health/HealthCountyView.vue'),
    meta: { title: 'menu.health', roles: kHealthBureauReaders, menu: { icon: TrendCharts, order: 6 } },
  },
];
