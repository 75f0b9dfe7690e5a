// A bureau's own checklists against the real server: the county (demo-county) writes a checklist
// with two items through the dialog and sees it as version 1 of its own; it makes version 2 from
// it with one item changed, and launching a campaign offers the new version in the template
// picker, its items shown. The tests run in order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword, launchBrowser, login, newPage, startServer, waitForRoute } from './support.mjs';

const kKey = 'e2e_dorm';
const kName = '宿舍安全检查表（e2e）';

let server;
let chrome;
let session;

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
});

after(async () => {
  await session?.context.close().catch(() => undefined);
  await chrome?.close();
  await server?.stop();
});

/**
 * Picks the option containing `text` of the el-select `select`, then waits until its dropdown has
 * closed: one still fading out would take the next pick's click (or offer its own, hidden option).
 */
async function choose(page, select, text) {
  await page.locator(select).click();
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first();
  await option.click();
  await option.waitFor({ state: 'hidden' });
}

/** Saves the open checklist dialog; answers the created checklist. */
async function save(page) {
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/checklists') && r.request().method() === 'POST');
  await page.locator('[data-test="checklist-submit"]').click();
  const response = await answer;
  assert.equal(response.status(), 201, await response.text());
  await page.locator('[data-test="checklist-form"]').waitFor({ state: 'detached' });
  return response.json();
}

describe('checklists: a bureau writes its own and new versions of them', () => {
  it('the county writes a checklist with two items and sees it as version 1 of its own', async () => {
    session = await newPage(chrome.browser);
    const { page } = session;
    await login(page, server.url, 'demo-county', demoPassword);
    await page.locator('[data-test="home-title"]').waitFor();
    await page.locator('.el-menu-item[data-menu="/checklists"]').click();
    await waitForRoute(page, '#/checklists');
    await page.locator('[data-test="checklists-table"] [data-test="shipped"]').first().waitFor();

    await page.locator('[data-test="checklist-create"]').click();
    const form = page.locator('[data-test="checklist-form"]');
    await form.waitFor();
    // Nothing filled: refused in the browser, nothing sent.
    await page.locator('[data-test="checklist-submit"]').click();
    await form.locator('.el-form-item__error', { hasText: '请填写标识' }).waitFor();

    await form.locator('input[name="key"]').fill(kKey);
    await form.locator('input[name="name"]').fill(kName);
    await form.locator('textarea[name="items[0].text"]').fill('宿舍内无违规电器');
    await form.locator('textarea[name="items[0].how"]').fill('抽查三间宿舍');
    await choose(page, '[data-test="item-category-0"]', '用电安全');
    await page.locator('[data-test="checklist-add-item"]').click();
    await form.locator('input[name="items[1].code"]').fill('D-02');
    await form.locator('textarea[name="items[1].text"]').fill('疏散指示标志完好');
    await choose(page, '[data-test="item-category-1"]', '消防安全');
    await page.locator('[data-test="item-photo-1"]').click();
    const created = await save(page);
    assert.equal(created.key, kKey);
    assert.equal(created.version, 1);
    assert.equal(created.owner_code, '410105');
    assert.deepEqual(
      created.items.map((i) => [i.code, i.category, i.photo_required]),
      [
        ['01', 'electricity', false],
        ['D-02', 'fire', true],
      ],
    );

    const row = page.locator('[data-test="checklists-table"] .el-table__row', { has: page.locator(`[data-test="checklist-${kKey}"]`) });
    await row.waitFor();
    assert.equal(await row.locator('[data-test="version"]').textContent(), 'v1');
    assert.equal(await row.locator('[data-test="owner"]').textContent(), '金水区');
    assert.match(await row.getAttribute('class'), /current/);
    assert.equal(await page.locator('[data-test="checklist-detail-name"]').textContent(), kName);
    assert.match(await page.locator('[data-test="checklist-detail-items"]').textContent(), /疏散指示标志完好/);
  });

  it('the county makes version 2 from it, with one item changed', async () => {
    const { page } = session;
    await page.locator('[data-test="checklist-new-version"]').click();
    const form = page.locator('[data-test="checklist-form"]');
    await form.waitFor();
    assert.equal(await form.locator('input[name="key"]').inputValue(), kKey);
    assert.equal(await form.locator('input[name="name"]').inputValue(), kName);
    assert.equal(await form.locator('textarea[name="items[1].text"]').inputValue(), '疏散指示标志完好');
    await form.locator('textarea[name="items[1].text"]').fill('疏散指示标志和应急照明完好');
    const created = await save(page);
    assert.equal(created.version, 2);
    assert.equal(created.items[1].text, '疏散指示标志和应急照明完好');

    const row = page.locator('[data-test="checklists-table"] .el-table__row', { has: page.locator(`[data-test="checklist-${kKey}"]`) });
    await row.locator('[data-test="version"]', { hasText: 'v2' }).waitFor();
    assert.equal(await row.count(), 1, 'only the newest version is listed');
  });

  it('the campaign launch dialog offers the county’s new version with its items', async () => {
    const { page } = session;
    await page.locator('.el-menu-item[data-menu="/campaigns"]').click();
    await waitForRoute(page, '#/campaigns');
    await page.locator('[data-test="campaign-launch"]').click();
    await page.locator('[data-test="campaign-form"]').waitFor();
    await choose(page, '[data-test="campaign-template"]', kName);
    const preview = page.locator('[data-test="campaign-preview"]');
    await preview.waitFor();
    await preview.getByText('疏散指示标志和应急照明完好').waitFor();
    assert.match(await preview.textContent(), /检查项（2 项）/);
  });
});
