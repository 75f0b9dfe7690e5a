import { ref, shallowRef } from 'vue';
import type { PageQuery, Paged } from '@/api/http';

/**
 * State of one paged table: items, total, page, page size, loading flag.
 * `fetchPage` receives the page and page size; it reads its own filters.
 */
export function usePagedList<T>(fetchPage: (query: Required<PageQuery>) => Promise<Paged<T>>, initialPageSize = 20) {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(initialPageSize);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  let generation = 0;

  /** Loads `target` page (default: the current one); an older answer never overwrites a newer one. */
  async function load(target = page.value): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    error.value = null;
    try {
      const res = await fetchPage({ page: target, page_size: pageSize.value });
      if (mine !== generation) return;
      items.value = res.items;
      total.value = res.total;
      page.value = target;
    } catch (e) {
      if (mine === generation) error.value = e;
      throw e;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function setPageSize(size: number): Promise<void> {
    pageSize.value = size;
    return load(1);
  }

  return { items, total, page, pageSize, loading, error, load, setPageSize };
}
