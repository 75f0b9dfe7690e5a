import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import UserFormDialog from './UserFormDialog.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';

const kLeader = userWith({ id: 41, username: 'leader41', display_name: '李局长', role: 'bureau_leader' });

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);

async function openEditor(patch = (body: Record<string, unknown>) => json({ ...kLeader, ...body })) {
  const server = fakeServer({ 'PATCH /api/v1/users/41': (req) => patch(JSON.parse(req.body ?? '{}')) });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role: 'system_admin', org_code: '410000' });
  const wrapper = mount(UserFormDialog, {
    props: { user: kLeader, modelValue: false },
    global: { plugins: [pinia, createAppI18n('zh-CN')] },
    attachTo: document.body,
  });
  await wrapper.setProps({ modelValue: true });
  await flushPromises();
  await vi.waitFor(() => expect($('.el-dialog [name="display_name"]')).not.toBeNull());
  return { wrapper, server };
}

async function typeDisplayName(value: string): Promise<void> {
  const input = $<HTMLInputElement>('.el-dialog [name="display_name"]')!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await flushPromises();
}

async function save(): Promise<void> {
  $<HTMLButtonElement>('[data-test="user-save"]')!.click();
  await flushPromises();
}

function errorOf(name: string): string {
  return $(`.el-dialog [name="${name}"]`)?.closest('.el-form-item')?.querySelector('.el-form-item__error')?.textContent?.trim() ?? '';
}

describe('UserFormDialog', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('refuses a display name of blanks, the ideographic space too, without asking the server', async () => {
    const { server } = await openEditor();
    for (const blank of ['   ', '\u3000\u3000', '\t ']) {
      await typeDisplayName(blank);
      await save();
      await vi.waitFor(() => expect(errorOf('display_name')).toBe('请输入姓名'));
    }
    expect(server.seen.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('sends the display name trimmed and shows the server’s word under the field it names', async () => {
    const { server } = await openEditor(() =>
      problem(400, 'validation_failed', { errors: [{ field: 'display_name', message: '不能为空。' }] }),
    );
    await typeDisplayName(' \u3000王老师 ');
    await save();
    await vi.waitFor(() => expect(errorOf('display_name')).toBe('不能为空。'));
    const patch = server.seen.find((r) => r.method === 'PATCH');
    expect(JSON.parse(patch!.body!).display_name).toBe('王老师');
  });
});
