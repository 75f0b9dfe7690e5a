// The demo county user's day: home, schools, org tree, language, a bad
// import; and lockout after repeated wrong passwords. One server for all.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import {
  apiGet,
  demoPassword,
  eventually,
  launchBrowser,
  login,
  newPage,
  paginationTotal,
  startServer,
  waitForRoute,
} from './support.mjs';

let server;
let chrome;

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function loggedInCounty(options) {
  const session = await newPage(chrome.browser, options);
  await login(session.page, server.url, 'demo-county', demoPassword);
  await waitForRoute(session.page, '#/');
  await session.page.locator('[data-test="home-title"]').filter({ hasText: '金水区' }).waitFor();
  return session;
}

describe('demo county', () => {
  it('sees 金水区 at home and only the schools of 410105', async () => {
    const { page, context, errors } = await loggedInCounty();
    assert.match(await page.locator('[data-test="who"]').textContent(), /金水区.*安全/);
    const stats = await apiGet(page, '/org-units/410105/stats');
    assert.equal(stats.status, 200);
    await eventually(async () => (await page.locator('[data-test="stat-schools"]').textContent()).includes(String(stats.body.schools)));

    await page.locator('.el-menu-item[data-menu="/schools"]').click();
    await waitForRoute(page, '#/schools');
    const rows = page.locator('[data-test="school-table"] .el-table__body tr');
    await rows.first().waitFor();
    const api = await apiGet(page, '/org-units/410105/schools?active=true&page=1&page_size=20');
    assert.equal(api.status, 200);
    await eventually(async () => (await paginationTotal(page)) === api.body.total);
    assert.ok(api.body.total > 0, 'the demo county has schools');

    const codes = await page.locator('[data-test="school-code"]').allTextContents();
    assert.deepEqual(codes, api.body.items.map((s) => s.code));
    for (const s of api.body.items) assert.equal(s.parent_code, '410105');
    // Demo school identifiers are 9 + the county code + a serial.
    for (const code of codes) assert.match(code, /^9410105\d{3}$/);
    assert.ok((await page.locator('[data-test="school-table"] .el-tag').filter({ hasText: '演示' }).count()) > 0, 'demo tag shown');

    // Another county's school is not reachable.
    const other = await apiGet(page, '/org-units/410302/schools');
    assert.equal(other.status, 404);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('expands the org tree and shows a unit in the side panel', async () => {
    const { page, context, errors } = await loggedInCounty();
    await page.locator('.el-menu-item[data-menu="/org"]').click();
    await waitForRoute(page, '#/org');
    const tree = page.locator('[data-test="org-tree"]');
    const root = tree.locator('.el-tree-node').filter({ hasText: '金水区' }).first();
    await root.waitFor();
    await root.locator('.el-tree-node__expand-icon').first().click();
    const children = tree.locator('.el-tree-node__children .el-tree-node');
    await eventually(async () => (await children.count()) > 0);
    const unit = await apiGet(page, '/org-units/410105');
    assert.equal(await children.count(), unit.body.child_count);

    await children.first().locator('.el-tree-node__label, .el-tree-node__content').first().click();
    const panel = page.locator('[data-test="org-panel"]');
    await panel.waitFor();
    assert.match(await panel.locator('[data-test="org-code"]').textContent(), /^9410105\d{3}$/);

    // Search by name and click a result.
    await page.locator('input[data-test="org-search"]').fill('第2小学');
    await page.locator('input[data-test="org-search"]').press('Enter');
    const result = page.locator('[data-test="org-search-results"] .el-table__body tr').first();
    await result.waitFor();
    await result.click();
    await eventually(async () => (await panel.textContent()).includes('第2小学'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('switches the menu to English', async () => {
    const { page, context } = await loggedInCounty();
    assert.equal(await page.locator('.el-menu-item[data-menu="/schools"]').textContent(), '学校');
    await page.locator('[data-test="locale-switch"]').click();
    await page.locator('.el-dropdown-menu__item[data-locale="en"]').click();
    await eventually(async () => (await page.locator('.el-menu-item[data-menu="/schools"]').textContent()).trim() === 'Schools');
    assert.equal((await page.locator('.el-menu-item[data-menu="/"]').textContent()).trim(), 'Home');
    assert.equal((await page.locator('.el-menu-item[data-menu="/org"]').textContent()).trim(), 'Organization');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    // The choice survives a reload.
    await page.reload();
    await eventually(async () => (await page.locator('.el-menu-item[data-menu="/schools"]').textContent()).trim() === 'Schools');
    await context.close();
  });

  it('shows the row and cell of a bad import row and writes nothing', async () => {
    const { page, context, errors } = await loggedInCounty();
    const before = await apiGet(page, '/org-units/410105/schools?page_size=1');
    await page.goto(`${server.url}/#/schools?org=410105`);
    await page.locator('[data-test="school-table"] .el-table__body tr').first().waitFor();

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学校');
    ws.addRow(['学校标识码', '学校名称', '学校类型', '城乡', '寄宿', '走读生数', '寄宿生数', '班级数']);
    ws.addRow(['4101059901', '金水区导入测试小学', '小学', '城区', '否', 300, 0, 8]);
    ws.addRow(['12345', '金水区导入测试中学', 'university', '城区', '否', 200, 0, 6]);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());

    await page.locator('[data-test="school-import"]').click();
    await page.locator('[data-test="import-upload"] input[type="file"]').setInputFiles({
      name: 'schools.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    await eventually(async () => (await page.locator('[data-test="import-file"]').textContent()).includes('共 2 行'));
    // The county defaults to the unit being viewed.
    await eventually(async () => (await page.locator('.el-select[data-test="import-county"]').textContent()).includes('金水区'));
    await page.locator('[data-test="import-submit"]').click();

    const table = page.locator('[data-test="import-errors"]');
    await table.waitFor();
    const lines = await table.locator('.el-table__body tr').allTextContents();
    assert.ok(lines.length >= 2, `errors for the code and the type: ${lines.join(' | ')}`);
    assert.ok(lines.every((l) => l.startsWith('3')), `every error is on sheet row 3: ${lines.join(' | ')}`);
    assert.ok(lines.some((l) => l.includes('学校标识码')), 'the code cell is named');
    assert.ok(lines.some((l) => l.includes('学校类型')), 'the type cell is named');
    assert.match(await page.locator('[data-test="import-failed"]').textContent(), /未写入/);

    const afterwards = await apiGet(page, '/org-units/410105/schools?page_size=1');
    assert.equal(afterwards.body.total, before.body.total);
    assert.equal((await apiGet(page, '/org-units/4101059901')).status, 404);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('sends the user to login with a notice when the session is gone', async () => {
    const { page, context } = await loggedInCounty();
    await context.clearCookies();
    await page.locator('.el-menu-item[data-menu="/schools"]').click();
    await waitForRoute(page, '#/login');
    await page.locator('.el-alert').filter({ hasText: '登录已过期' }).first().waitFor();
    // Logging in again returns to the page that was asked for.
    await page.locator('input[name="username"]').fill('demo-county');
    await page.locator('input[name="password"]').fill(demoPassword);
    await page.locator('[data-test="login-submit"]').click();
    await waitForRoute(page, '#/schools');
    await context.close();
  });

  it('takes screenshots of the home page (desktop and phone)', async (t) => {
    const shots = [];
    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ]) {
      const { page, context } = await loggedInCounty({ viewport });
      await page.locator('[data-test="stat-schools"]').waitFor();
      await page.waitForTimeout(300);
      const path = join(tmpdir(), `xiaoan-home-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      if (name === 'phone') {
        assert.equal(await page.locator('.layout-aside').count(), 0, 'no side menu on a phone');
        await page.locator('.menu-toggle').click();
        await page.locator('.el-drawer .el-menu-item[data-menu="/schools"]').waitFor();
        await page.waitForTimeout(500); // let the drawer finish sliding in
        const drawerShot = join(tmpdir(), 'xiaoan-home-phone-menu.png');
        await page.screenshot({ path: drawerShot });
        shots.push(drawerShot);
      }
      shots.push(path);
      await context.close();
    }
    t.diagnostic(`screenshots: ${shots.join(' ')}`);
  });
});

describe('lockout', () => {
  it('locks the account after 5 wrong passwords and says for how many minutes', async () => {
    const { page, context } = await newPage(chrome.browser);
    await page.goto(`${server.url}/#/login`);
    const error = page.locator('[data-test="login-error"]');
    let text = '';
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await page.locator('input[name="username"]').fill('demo-county2');
      await page.locator('input[name="password"]').fill(`Wrong#Pass${attempt}xx`);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.locator('[data-test="login-submit"]').click();
      await answered;
      await error.waitFor();
      text = await eventually(async () => (await error.textContent()) || false);
      if (attempt < 5) assert.match(text, /用户名或密码错误/);
      if (/锁定/.test(text)) break;
    }
    const m = /请 (\d+) 分钟后再试/.exec(text);
    assert.ok(m, `lockout message with minutes, got: ${text}`);
    assert.ok(Number(m[1]) >= 1);

    // Even the right password is refused now.
    await page.locator('input[name="password"]').fill(demoPassword);
    await page.locator('[data-test="login-submit"]').click();
    await eventually(async () => /锁定/.test(await error.textContent()));
    assert.ok((await page.evaluate(() => window.location.hash)).startsWith('#/login'));
    await context.close();
  });
});
