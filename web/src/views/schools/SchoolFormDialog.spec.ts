import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import SchoolFormDialog from './SchoolFormDialog.vue';
import type { OrgUnit } from '@/api/org';
import { createAppI18n } from '@/locales';
import { fakeServer, json } from '@/testing/fakeServer';

const kSchool: OrgUnit = {
  code: '9410105001',
  name: '金水区示范小学',
  level: 'school',
  parent_code: '410105',
  active: true,
  demo: true,
  child_count: 0,
  attributes: { school_type: 'primary', locality: 'urban', boarding: false, day_students: 800, boarding_students: 0, class_count: 18 },
};

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);

async function openEditor() {
  const server = fakeServer({
    'PATCH /api/v1/org-units/9410105001': (req) => json({ ...kSchool, ...JSON.parse(req.body ?? '{}') }),
  });
  vi.stubGlobal('fetch', server.fetch);
  const wrapper = mount(SchoolFormDialog, {
    props: { school: kSchool, modelValue: false },
    global: { plugins: [createPinia(), createAppI18n('zh-CN')] },
    attachTo: document.body,
  });
  await wrapper.setProps({ modelValue: true });
  await flushPromises();
  await vi.waitFor(() => expect($('.el-dialog [name="name"]')).not.toBeNull());
  return { wrapper, server };
}

async function typeName(value: string): Promise<void> {
  const input = $<HTMLInputElement>('.el-dialog [name="name"]')!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await flushPromises();
}

async function save(): Promise<void> {
  $<HTMLButtonElement>('[data-test="school-save"]')!.click();
  await flushPromises();
}

function nameError(): string {
  return $('.el-dialog [name="name"]')?.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent?.trim() ?? '';
}

describe('SchoolFormDialog', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('refuses a name of blanks, the ideographic space too, without asking the server', async () => {
    const { server } = await openEditor();
    for (const blank of ['   ', '\u3000', ' \u3000\t']) {
      await typeName(blank);
      await save();
      await vi.waitFor(() => expect(nameError()).toBe('请输入学校名称'));
    }
    expect(server.seen.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('sends the name without the blanks around it', async () => {
    const { server, wrapper } = await openEditor();
    await typeName('\u3000金水区第二小学 ');
    await save();
    await vi.waitFor(() => expect(wrapper.emitted('saved')).toBeTruthy());
    const patch = server.seen.find((r) => r.method === 'PATCH');
    expect(JSON.parse(patch!.body!).name).toBe('金水区第二小学');
  });
});
