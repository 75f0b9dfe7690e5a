import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ClassesView from './ClassesView.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { SchoolClass } from '@/api/health';

const kCode = '9410105001';
const kClass: SchoolClass = { id: 7, grade: 1, name: '一年级1班', enrolment: 44, boarding: false, active: true };

async function render(post: () => Response) {
  const bodies: { method: string; path: string; body: unknown }[] = [];
  const server = fakeServer({
    [`GET /api/v1/schools/${kCode}/classes`]: () => json({ items: [kClass] }),
    [`GET /api/v1/schools/${kCode}/dormitories`]: () => json({ items: [] }),
    [`POST /api/v1/schools/${kCode}/classes`]: (req) => {
      bodies.push({ method: 'POST', path: req.path, body: JSON.parse(req.body!) });
      return post();
    },
    [`PATCH /api/v1/schools/${kCode}/classes/7`]: (req) => {
      bodies.push({ method: 'PATCH', path: req.path, body: JSON.parse(req.body!) });
      return json({ ...kClass, enrolment: 45 });
    },
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role: 'principal', org_code: kCode, org_name: '【演示】金水区第1小学' });
  const wrapper = mount(ClassesView, { global: { plugins: [pinia, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, bodies };
}

function type(selector: string, value: string): void {
  const input = document.querySelector<HTMLInputElement>(selector)!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('change'));
}

describe('ClassesView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('adds a class and shows the server’s conflict beside the name', async () => {
    const { wrapper, bodies } = await render(() => problem(409, 'conflict', { errors: [{ field: 'name', message: '已有同名班级' }] }));
    expect(wrapper.find('[data-test="class-table"]').text()).toContain('一年级1班');
    await wrapper.find('[data-test="class-add"]').trigger('click');
    await flushPromises();
    type('[data-test="class-form"] input[name="class-name"]', ' 一年级1班 ');
    type('[data-test="class-form"] input[name="enrolment"]', '45');
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="class-save"]')!.click();
    await vi.waitFor(() => expect(document.querySelector('[data-test="class-form"]')?.textContent).toContain('已有同名班级'));
    expect(bodies).toEqual([{ method: 'POST', path: `/api/v1/schools/${kCode}/classes`, body: { grade: 1, name: '一年级1班', enrolment: 45, boarding: false } }]);
  });

  it('changes a class through PATCH on the school’s class path, without the grade', async () => {
    const { wrapper, bodies } = await render(() => json(kClass, 201));
    await wrapper.find('[data-test="class-edit-7"]').trigger('click');
    await flushPromises();
    type('[data-test="class-form"] input[name="enrolment"]', '45');
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="class-save"]')!.click();
    await vi.waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ method: 'PATCH', path: `/api/v1/schools/${kCode}/classes/7`, body: { name: '一年级1班', enrolment: 45, boarding: false, active: true } });
  });
});
