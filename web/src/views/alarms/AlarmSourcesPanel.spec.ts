import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import AlarmSourcesPanel from './AlarmSourcesPanel.vue';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json } from '@/testing/fakeServer';
import { userWith } from '@/testing/fixtures';
import type { Role } from '@/api/auth';
import type { AlarmSourceKey } from '@/api/alarms';

const kCode = '9410105001';

function source(id: number, overrides: Partial<AlarmSourceKey> = {}): AlarmSourceKey {
  return { id, school_code: kCode, name: `报警主机${id}`, created_by: 'demo-principal', created_at: '2026-11-30T09:00:00+08:00', revoked_at: null, last_used_at: null, ...overrides };
}

async function render(role: Role, org = kCode) {
  let items = [source(1), source(2, { revoked_at: '2026-11-30T10:00:00+08:00' })];
  const server = fakeServer({
    [`GET /api/v1/schools/${kCode}/alarm-sources`]: () => json({ items }),
    [`POST /api/v1/schools/${kCode}/alarm-sources`]: () => {
      items = [...items, source(3, { name: '东门报警主机' })];
      return json({ ...source(3, { name: '东门报警主机' }), key: '3.s3cr3t-key' }, 201);
    },
    [`DELETE /api/v1/schools/${kCode}/alarm-sources/1`]: () => {
      items = items.map((s) => (s.id === 1 ? { ...s, revoked_at: '2026-11-30T11:00:00+08:00' } : s));
      return json(items[0]);
    },
  });
  vi.stubGlobal('fetch', server.fetch);
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role, org_code: org });
  const wrapper = mount(AlarmSourcesPanel, { props: { code: kCode }, global: { plugins: [pinia, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="source-table"]').text()).toContain('报警主机1'));
  return { wrapper, server };
}

describe('AlarmSourcesPanel', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('lets the principal add a key, shows it once with a warning, and forgets it when closed', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { wrapper, server } = await render('principal');
    expect(wrapper.find('[data-test="source-state-2"]').text()).toBe('已撤销');
    await wrapper.find('[data-test="source-add"]').trigger('click');
    await flushPromises();
    const input = document.querySelector<HTMLInputElement>('[data-test="source-form"] input[name="name"]')!;
    input.value = '东门报警主机';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    document.querySelector<HTMLButtonElement>('[data-test="source-save"]')!.click();
    await vi.waitFor(() => expect(document.querySelector('[data-test="source-key"]')?.textContent).toBe('3.s3cr3t-key'));
    expect(JSON.parse(server.seen.find((r) => r.method === 'POST')!.body!)).toEqual({ name: '东门报警主机' });
    expect(document.querySelector('[data-test="source-key-dialog"]')!.textContent).toContain('只显示这一次');
    document.querySelector<HTMLButtonElement>('[data-test="source-copy"]')!.click();
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledWith('3.s3cr3t-key'));
    await vi.waitFor(() => expect(wrapper.find('[data-test="source-table"]').text()).toContain('东门报警主机'));
    document.querySelector<HTMLButtonElement>('[data-test="source-key-done"]')!.click();
    await vi.waitFor(() => expect(document.querySelector('[data-test="source-key"]')).toBeNull());
  });

  it('revokes a key after a confirmation', async () => {
    const { wrapper, server } = await render('school_safety_officer');
    expect(wrapper.find('[data-test="source-revoke-2"]').exists()).toBe(false);
    await wrapper.find('[data-test="source-revoke-1"]').trigger('click');
    await vi.waitFor(() => expect(document.querySelector('.el-message-box')).not.toBeNull());
    document.querySelector<HTMLButtonElement>('.el-message-box .el-button--primary')!.click();
    await vi.waitFor(() => expect(server.seen.some((r) => r.method === 'DELETE')).toBe(true));
    await vi.waitFor(() => expect(wrapper.find('[data-test="source-state-1"]').text()).toBe('已撤销'));
  });

  it('shows the keys read-only to a guard and to a bureau safety officer', async () => {
    for (const [role, org] of [['guard', kCode], ['bureau_safety_officer', '410105']] as const) {
      const { wrapper } = await render(role, org);
      expect(wrapper.find('[data-test="source-add"]').exists()).toBe(false);
      expect(wrapper.find('[data-test="source-revoke-1"]').exists()).toBe(false);
      wrapper.unmount();
    }
  });
});
