import { describe, expect, it, vi, afterEach } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ElementPlus from 'element-plus';
import AbsencesPanel from './AbsencesPanel.vue';
import { createAppI18n } from '@/locales';

const kAbsence = {
  id: 7,
  class_id: 1,
  class_name: '一年级1班',
  student_no: 'S01',
  started_on: '2026-11-27',
  last_seen_on: '2026-11-28',
  status: 'open',
  outcome: 'diagnosed',
  diagnosis: '水痘',
  updated_at: '2026-11-28T08:00:00+08:00',
  entries: [],
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

afterEach(() => vi.unstubAllGlobals());

async function render(canFollow: boolean, fetch: (url: string, init?: RequestInit) => Promise<Response>) {
  vi.stubGlobal('fetch', vi.fn(fetch));
  setActivePinia(createPinia());
  const wrapper = mount(AbsencesPanel, {
    props: { code: '9410105001', canFollow, reload: 0 },
    global: { plugins: [ElementPlus, createAppI18n('zh-CN')] },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

describe('AbsencesPanel', () => {
  it('lists the open absences with their state and hides follow-up from readers', async () => {
    const w = await render(false, async () => json({ items: [kAbsence], total: 1, page: 1, page_size: 200 }));
    expect(w.get('[data-test="board-absences"]').attributes('data-count')).toBe('1');
    expect(w.text()).toContain('S01');
    expect(w.text()).toContain('已确诊');
    expect(w.find('[data-test="absence-follow"]').exists()).toBe(false);
    w.unmount();
  });

  it('posts a follow-up and shows the field the server names', async () => {
    const calls: { url: string; body?: string }[] = [];
    const w = await render(true, async (url, init) => {
      calls.push({ url: String(url), body: init?.body as string | undefined });
      if (init?.method === 'POST')
        return json({ code: 'validation_failed', title: 'Bad Request', status: 400, errors: [{ field: 'date', message: 'Before the absence started (2026-11-27).' }] }, 400);
      return json({ items: [kAbsence], total: 1, page: 1, page_size: 200 });
    });
    await w.get('[data-test="absence-follow"]').trigger('click');
    await flushPromises();
    await w.get('[data-test="absence-save"]').trigger('click');
    await flushPromises();
    const post = calls.find((c) => c.url.includes('/illness-absences/7/entries'));
    expect(post).toBeDefined();
    expect(JSON.parse(post!.body!)).toMatchObject({ outcome: 'absent', diagnosis: '水痘', clearance: false });
    await flushPromises();
    await vi.waitFor(() => expect(document.body.textContent).toContain('Before the absence started (2026-11-27).'));
    expect(w.emitted('saved')).toBeUndefined();  // refused: nothing changed
    w.unmount();
  });

  it('tells the board when a follow-up is saved, since its diagnosis may open a warning', async () => {
    const w = await render(true, async (_url, init) => {
      if (init?.method === 'POST') return json({ ...kAbsence, diagnosis: '麻疹' }, 201);
      return json({ items: [kAbsence], total: 1, page: 1, page_size: 200 });
    });
    await w.get('[data-test="absence-follow"]').trigger('click');
    await flushPromises();
    await w.get('[data-test="absence-save"]').trigger('click');
    await flushPromises();
    expect(w.emitted('saved')).toHaveLength(1);
    w.unmount();
  });
});
