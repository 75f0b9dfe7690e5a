// Drilling down the org tree on a bureau page: the unit shown comes from `?org=` (else the user's
// own), the page sets the unit's detail once read, and the crumbs lead back up to the user's own
// unit — never above it. Used by the four-100%, health, devices and hazard pages.
import { computed, shallowRef, type ComputedRef, type ShallowRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { OrgUnitDetail } from '@/api/org';
import { useAuthStore } from '@/stores/auth';

export interface Crumb {
  code: string;
  name: string;
  level: string;
}

export interface OrgDrill {
  /** The unit shown: `?org=` or the user's own. */
  org: ComputedRef<string>;
  /** Its detail (with ancestors), set by the page when read; null until then or when it failed. */
  unit: ShallowRef<OrgUnitDetail | null>;
  /** From the user's own unit down to the one shown (just the one shown when outside the path). */
  crumbs: ComputedRef<Crumb[]>;
  /** Shows `code` (keeps the other query parameters). */
  go: (code: string) => void;
}

export function useOrgDrill(): OrgDrill {
  const route = useRoute();
  const router = useRouter();
  const auth = useAuthStore();
  const org = computed(() => (typeof route.query.org === 'string' && route.query.org ? route.query.org : (auth.user?.org_code ?? '')));
  const unit = shallowRef<OrgUnitDetail | null>(null);
  const crumbs = computed<Crumb[]>(() => {
    const u = unit.value;
    if (!u) return [];
    const own = auth.user?.org_code ?? '';
    const path: Crumb[] = [...u.ancestors, { code: u.code, name: u.name, level: u.level }];
    const start = path.findIndex((a) => a.code === own);
    return start >= 0 ? path.slice(start) : [{ code: u.code, name: u.name, level: u.level }];
  });
  const go = (code: string) => {
    if (code && code !== org.value) void router.push({ query: { ...route.query, org: code } });
  };
  return { org, unit, crumbs, go };
}
