import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ChecklistsView from './ChecklistsView.vue';
import ChecklistDialog from './ChecklistDialog.vue';
import type { ChecklistDraft } from './checklistForm';
import { createAppI18n } from '@/locales';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem, type Handler } from '@/testing/fakeServer';
import { kCountyUser, userWith } from '@/testing/fixtures';
import { kFireChecklist } from '@/views/hazards/hazardFixtures';
import type { Checklist, ChecklistSummary } from '@/api/inspections';

const kOwn: Checklist = {
  id: 21,
  key: 'winter_heating',
  version: 2,
  name: '冬季取暖检查表',
  owner_code: '410105',
  categories: ['heating'],
  item_count: 1,
  items: [{ code: 'H01', text: '取暖设备有专人管理', category: 'heating', how: '查看值班记录', photo_required: true }],
};
const kCity: Checklist = { ...kOwn, id: 15, key: 'city_food', version: 1, name: '市食堂检查表', owner_code: '410100', categories: ['food'], items: [] };

function summary(c: Checklist): ChecklistSummary {
  const { items: _items, ...rest } = c;
  return rest;
}

function serve(extra: Record<string, Handler> = {}) {
  const server = fakeServer({
    'GET /api/v1/checklists': () => json({ items: [kFireChecklist, kCity, kOwn].map(summary) }),
    'GET /api/v1/checklists/3': () => json(kFireChecklist),
    'GET /api/v1/checklists/21': () => json(kOwn),
    'GET /api/v1/org-units/410100': () => json({ code: '410100', name: '郑州市', level: 'city', ancestors: [] }),
    ...extra,
  });
  vi.stubGlobal('fetch', server.fetch);
  return server;
}

async function render(role = kCountyUser.role) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().user = userWith({ role });
  const wrapper = mount(ChecklistsView, { global: { plugins: [pinia, createAppI18n('zh-CN')] }, attachTo: document.body });
  await flushPromises();
  await vi.waitFor(() => expect(wrapper.find('[data-test="checklist-fire"]').exists()).toBe(true));
  return wrapper;
}

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);

/** Types into the dialog's input (or textarea) named `name`. */
async function type(name: string, value: string): Promise<void> {
  const el = $<HTMLInputElement>(`.el-dialog [name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
}

function draftOf(wrapper: VueWrapper): ChecklistDraft {
  const dialog = wrapper.findComponent(ChecklistDialog);
  return (dialog.vm as unknown as { $: { setupState: { draft: ChecklistDraft } } }).$.setupState.draft;
}

/** The error message shown under the dialog's field `name` (an input's name), or ''. */
function errorAt(name: string): string {
  const item = $(`.el-dialog [name="${name}"]`)?.closest('.el-form-item');
  return item?.querySelector('.el-form-item__error')?.textContent?.trim() ?? '';
}

async function submit(): Promise<void> {
  $<HTMLButtonElement>('[data-test="checklist-submit"]')!.click();
  await flushPromises();
}

describe('ChecklistsView', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('lists shipped checklists as 系统内置 and own ones with owner and version, and shows the items of the one clicked', async () => {
    serve();
    const wrapper = await render();
    const rows = wrapper.findAll('[data-test="checklists-table"] .el-table__body tr');
    expect(rows).toHaveLength(3);
    expect(rows[0].text()).toContain('消防安全检查表');
    expect(rows[0].find('[data-test="shipped"]').text()).toBe('系统内置');
    expect(rows[0].find('[data-test="version"]').text()).toBe('v1');
    await vi.waitFor(() => expect(rows[1].find('[data-test="owner"]').text()).toBe('郑州市'));
    expect(rows[2].find('[data-test="owner"]').text()).toBe('金水区');
    expect(rows[2].find('[data-test="shipped"]').exists()).toBe(false);
    expect(rows[2].find('[data-test="version"]').text()).toBe('v2');
    expect(wrapper.find('[data-test="checklist-create"]').exists()).toBe(true);

    await rows[0].trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="checklist-detail-name"]').text()).toBe('消防安全检查表'));
    const items = wrapper.findAll('[data-test="checklist-detail-items"] .el-table__body tr');
    expect(items.map((r) => r.findAll('td').map((td) => td.text()).slice(1))).toEqual([
      ['消防安全', '灭火器在有效期内且压力正常', '查看压力表指针是否在绿区', '否'],
      ['消防安全', '疏散通道畅通无堵塞', '逐层查看', '是'],
      ['校舍安全', '教学用房无裂缝、无危房', '查看鉴定报告', '否'],
    ]);
    expect(wrapper.find('[data-test="checklist-detail"]').text()).toContain('系统内置');
  });

  it('lets a bureau leader read but not write', async () => {
    serve();
    const wrapper = await render('bureau_leader');
    expect(wrapper.find('[data-test="checklist-create"]').exists()).toBe(false);
    await wrapper.findAll('[data-test="checklists-table"] .el-table__body tr')[2].trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="checklist-detail-name"]').text()).toBe('冬季取暖检查表'));
    expect(wrapper.find('[data-test="checklist-new-version"]').exists()).toBe(false);
  });

  it('checks the server’s limits before sending: key format, name, codes, text, category, lengths', async () => {
    const server = serve();
    const wrapper = await render();
    await wrapper.find('[data-test="checklist-create"]').trigger('click');
    await vi.waitFor(() => expect($('[data-test="checklist-form"]')).not.toBeNull());
    expect($('[data-test="checklist-key-hint"]')!.textContent).toContain('新版本');

    await submit();
    await vi.waitFor(() => expect(['key', 'name', 'items[0].code', 'items[0].text'].map(errorAt)).toEqual(['请填写标识', '请填写名称', '', '请填写检查内容']));
    expect($('[data-test="item-category-0"]')!.closest('.el-form-item')!.querySelector('.el-form-item__error')!.textContent!.trim()).toBe('请选择类别');

    await type('key', 'Winter-Heating');
    await type('name', '冬季取暖');
    $<HTMLButtonElement>('[data-test="checklist-add-item"]')!.click();
    await flushPromises();
    const draft = draftOf(wrapper);
    expect(draft.items.map((r) => r.code)).toEqual(['01', '02']);
    Object.assign(draft.items[0], { code: 'A 1', text: '甲', category: 'heating', how: 'x'.repeat(501) });
    Object.assign(draft.items[1], { code: '02', text: '乙'.repeat(201), category: 'heating' });
    await flushPromises();
    await submit();
    await vi.waitFor(() =>
      expect(['key', 'name', 'items[0].code', 'items[0].how', 'items[1].code', 'items[1].text'].map(errorAt)).toEqual([
        '标识为 1 至 40 个小写字母、数字或下划线',
        '',
        '编号为 1 至 20 个字母、数字或 _ . -',
        '不超过 500 个字',
        '',
        '不超过 200 个字',
      ]),
    );

    Object.assign(draft.items[0], { code: '02', how: '' });
    $<HTMLButtonElement>('[data-test="item-remove-1"]')!.click();
    $<HTMLButtonElement>('[data-test="item-remove-0"]')!.click();
    await flushPromises();
    await type('key', 'winter_heating');
    await submit();
    await vi.waitFor(() => expect($('[data-test="checklist-items-error"]')?.textContent).toContain('检查项须为 1 至 100 项'));
    expect(server.seen.some((r) => r.method === 'POST')).toBe(false);
  });

  it('sends the key, name and items in the order arranged, then lists and selects the new checklist', async () => {
    let created: Checklist | undefined;
    const server = serve({
      'POST /api/v1/checklists': (r) => {
        const body = JSON.parse(r.body!) as Checklist;
        created = { ...body, id: 30, version: 1, owner_code: '410105', categories: ['heating', 'fire'], item_count: body.items.length };
        return json(created, 201);
      },
      'GET /api/v1/checklists': () => json({ items: [kFireChecklist, kCity, kOwn, ...(created ? [created] : [])].map(summary) }),
    });
    server.seen.length = 0;
    const wrapper = await render();
    await wrapper.find('[data-test="checklist-create"]').trigger('click');
    await vi.waitFor(() => expect($('[data-test="checklist-form"]')).not.toBeNull());
    await type('key', ' dorm_safety ');
    await type('name', '宿舍安全检查表');
    await type('items[0].text', '宿舍无违规电器');
    await type('items[0].how', '抽查三间宿舍');
    $<HTMLButtonElement>('[data-test="checklist-add-item"]')!.click();
    await flushPromises();
    await type('items[1].code', 'D-02');
    await type('items[1].text', '疏散指示灯完好');
    const draft = draftOf(wrapper);
    draft.items[0].category = 'electricity';
    draft.items[1].category = 'fire';
    await flushPromises();
    $<HTMLElement>('[data-test="item-photo-1"]')!.click();
    $<HTMLButtonElement>('[data-test="item-up-1"]')!.click();
    await flushPromises();
    await submit();

    await vi.waitFor(() => expect(server.seen.some((r) => r.method === 'POST')).toBe(true));
    expect(JSON.parse(server.seen.find((r) => r.method === 'POST')!.body!)).toEqual({
      key: 'dorm_safety',
      name: '宿舍安全检查表',
      items: [
        { code: 'D-02', text: '疏散指示灯完好', category: 'fire', how: '', photo_required: true },
        { code: '01', text: '宿舍无违规电器', category: 'electricity', how: '抽查三间宿舍', photo_required: false },
      ],
    });
    await vi.waitFor(() => expect(server.seen.filter((r) => r.method === 'GET' && r.path === '/api/v1/checklists')).toHaveLength(2));
    expect(wrapper.find('[data-test="checklist-detail-name"]').text()).toBe('宿舍安全检查表');
    await vi.waitFor(() => expect(wrapper.find('.el-table__row.current [data-test="checklist-dorm_safety"]').exists()).toBe(true));
    expect(wrapper.find('.el-table__row.current [data-test="version"]').text()).toBe('v1');
    expect(wrapper.findAll('[data-test="checklists-table"] .el-table__body tr')).toHaveLength(4);
  });

  it('shows a 400’s field errors on the field and row they name', async () => {
    serve({
      'POST /api/v1/checklists': () =>
        problem(400, 'invalid_argument', {
          errors: [
            { field: 'name', message: '1 to 60 characters.' },
            { field: 'items[1].code', message: 'Each item has its own code.' },
            { field: 'items[1].text', message: '1 to 200 characters.' },
          ],
        }),
    });
    const wrapper = await render();
    await wrapper.findAll('[data-test="checklists-table"] .el-table__body tr')[0].trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="checklist-new-version"]').exists()).toBe(true));
    await wrapper.find('[data-test="checklist-new-version"]').trigger('click');
    await vi.waitFor(() => expect($('[data-test="checklist-form"]')).not.toBeNull());
    await submit();
    await vi.waitFor(() =>
      expect(['name', 'items[0].code', 'items[0].text', 'items[1].code', 'items[1].text'].map(errorAt)).toEqual([
        '1 to 60 characters.',
        '',
        '',
        'Each item has its own code.',
        '1 to 200 characters.',
      ]),
    );
    // The errors stay with the row they were about when rows move.
    $<HTMLButtonElement>('[data-test="item-up-1"]')!.click();
    await vi.waitFor(() => expect(['items[0].code', 'items[1].code'].map(errorAt)).toEqual(['Each item has its own code.', '']));
    expect($('[data-test="checklist-form"]')).not.toBeNull();
  });

  it('fills a new version with the key, name and items of the checklist shown, shipped ones too', async () => {
    const server = serve({
      'POST /api/v1/checklists': (r) => json({ ...kFireChecklist, ...JSON.parse(r.body!), id: 31, owner_code: '410105' }, 201),
    });
    const wrapper = await render();
    await wrapper.findAll('[data-test="checklists-table"] .el-table__body tr')[0].trigger('click');
    await vi.waitFor(() => expect(wrapper.find('[data-test="checklist-new-version"]').exists()).toBe(true));
    await wrapper.find('[data-test="checklist-new-version"]').trigger('click');
    await vi.waitFor(() => expect($('[data-test="checklist-form"]')).not.toBeNull());
    expect($('.el-dialog__title')!.textContent).toBe('基于“消防安全检查表”新建版本');
    expect($<HTMLInputElement>('.el-dialog [name="key"]')!.value).toBe('fire');
    expect($<HTMLInputElement>('.el-dialog [name="name"]')!.value).toBe('消防安全检查表');
    expect([0, 1, 2].map((i) => $<HTMLTextAreaElement>(`.el-dialog [name="items[${i}].text"]`)!.value)).toEqual(kFireChecklist.items.map((i) => i.text));
    expect($('[data-test="item-photo-1"]')!.classList.contains('is-checked')).toBe(true);

    await type('items[2].how', '查看房屋安全鉴定报告');
    await submit();
    await vi.waitFor(() => expect(server.seen.some((r) => r.method === 'POST')).toBe(true));
    expect(JSON.parse(server.seen.find((r) => r.method === 'POST')!.body!)).toEqual({
      key: 'fire',
      name: '消防安全检查表',
      items: [kFireChecklist.items[0], kFireChecklist.items[1], { ...kFireChecklist.items[2], how: '查看房屋安全鉴定报告' }],
    });
  });
});
