import { describe, expect, it } from 'vitest';
import { usePagedList } from './usePagedList';
import type { Paged } from '@/api/http';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('usePagedList', () => {
  it('keeps the newest answer when an older one arrives late', async () => {
    const answers = [deferred<Paged<string>>(), deferred<Paged<string>>()];
    let call = 0;
    const list = usePagedList<string>(() => answers[call++].promise);
    const first = list.load(1);
    const second = list.load(2);
    answers[1].resolve({ items: ['new'], total: 30, page: 2, page_size: 20 });
    await second;
    answers[0].resolve({ items: ['old'], total: 10, page: 1, page_size: 20 });
    await first;
    expect(list.items.value).toEqual(['new']);
    expect(list.page.value).toBe(2);
    expect(list.total.value).toBe(30);
    expect(list.loading.value).toBe(false);
  });

  it('passes the page size and keeps the error', async () => {
    const seen: number[] = [];
    const list = usePagedList<string>(async (q) => {
      seen.push(q.page_size);
      throw new Error('boom');
    }, 50);
    await expect(list.setPageSize(100)).rejects.toThrow('boom');
    expect(seen).toEqual([100]);
    expect(list.error.value).toBeInstanceOf(Error);
    expect(list.loading.value).toBe(false);
  });
});
