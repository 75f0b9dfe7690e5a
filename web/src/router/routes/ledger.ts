import type { RouteRecordRaw } from 'vue-router';
import { Notebook } from '@element-plus/icons-vue';
import { kLedgerMenuRoles, kLedgerReaders } from '@/utils/permission';

export const ledgerRoutes: RouteRecordRaw[] = [
  {
    // A school account's own ledger, from the menu.
    path: 'ledger',
    name: 'my-ledger',
    component: () => import('@/views/ledger/LedgerView.vue'),
    meta: { title: 'menu.ledger', roles: kLedgerMenuRoles, menu: { icon: Notebook, order: 5 } },
  },
  {
    path: 'schools/:code/ledger',
    name: 'school-ledger',
    component: () => import('@/views/ledger/LedgerView.vue'),
    props: true,
    meta: { title: 'ledger.title', roles: kLedgerReaders, activeMenu: '/schools' },
  },
];
