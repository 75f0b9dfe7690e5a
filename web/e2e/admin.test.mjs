// Administrators: a system_admin (with TOTP) creates an account, its owner is
// made to change the password; the audit_admin then finds those actions in
// the audit log (one day's search, a table that fits 1280 px) and the hash
// chain verifies. The tests run in order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, eventually, launchBrowser, login, newPage, paginationTotal, startServer, waitForRoute } from './support.mjs';

const kSysPassword = 'Sys#Admin2026xy';
const kAuditPassword = 'Audit#Admin2026xy';
const kNewUser = 'e2e-leader';
const kNewPassword = 'Leader#Pass2026';

let server;
let chrome;

/** Sends a write to the API with the page's session cookie and its CSRF token. */
async function apiSend(page, method, path, body) {
  return page.evaluate(
    async ({ method: m, path: p, body: b }) => {
      const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json();
      const res = await fetch(`/api/v1${p}`, {
        method: m,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify(b),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    { method, path, body },
  );
}

before(async () => {
  server = await startServer({
    accounts: [
      { username: 'sys1', role: 'system_admin', org: '410000', password: kSysPassword },
      { username: 'audit1', role: 'audit_admin', org: '410000', password: kAuditPassword },
    ],
  });
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

describe('administrators', () => {
  let initialPassword = '';

  it('a system_admin logs in with TOTP and creates a bureau leader', async () => {
    const { page, context, errors } = await newPage(chrome.browser);
    const sys = server.accounts.sys1;
    assert.match(sys.totp_secret ?? '', /^[A-Z2-7]+=*$/, 'the CLI printed a TOTP secret');
    await login(page, server.url, 'sys1', kSysPassword, sys.totp_secret);
    await waitForRoute(page, '#/');
    await page.locator('[data-test="who"]').filter({ hasText: '系统管理员' }).waitFor();
    assert.equal(await page.locator('.el-menu-item[data-menu="/audit"]').count(), 0);

    await page.locator('.el-menu-item[data-menu="/users"]').click();
    await waitForRoute(page, '#/users');
    await page.locator('[data-test="user-create"]').click();
    const form = page.locator('[data-test="user-form"]');
    await form.waitFor();
    await form.locator('input[name="username"]').fill(kNewUser);
    // A name of blanks (the ideographic space too) is no name.
    await form.locator('input[name="display_name"]').fill('\u3000 ');
    await page.locator('[data-test="user-save"]').click();
    await form.locator('.el-form-item__error').filter({ hasText: '请输入姓名' }).waitFor();
    await form.locator('input[name="display_name"]').fill('端到端测试领导');

    await form.locator('[data-test="user-role"]').click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '教育局领导' }).click();

    // Org picker: open, expand 河南省, choose 郑州市.
    await form.locator('.el-select[data-test="user-org"]').click();
    const popper = page.locator('.el-tree-select__popper:visible');
    const province = popper.locator('.el-tree-node').filter({ hasText: '河南省' }).first();
    await province.waitFor();
    const city = popper.locator('.el-tree-node__children .el-tree-node__content').filter({ hasText: /^\s*郑州市\s*$/ }).first();
    if (!(await city.isVisible())) await province.locator('.el-tree-node__expand-icon').first().click();
    await city.waitFor();
    await city.click();
    await eventually(async () => (await form.locator('.el-select[data-test="user-org"]').textContent()).includes('郑州市'));

    await page.locator('[data-test="user-save"]').click();
    const secret = page.locator('[data-test="initial-password"]');
    await secret.waitFor();
    initialPassword = (await secret.textContent()).trim();
    assert.ok(initialPassword.length >= 10, 'an initial password is shown');
    await page.locator('[data-test="secret-close"]').click();
    await page.locator('[data-test="user-table"] .el-table__body tr').filter({ hasText: kNewUser }).waitFor();

    // The API refuses, naming the field: names of blanks, a username that differs from another
    // only in letter case, and an account for a deactivated school.
    const leader = { role: 'bureau_leader', org_code: '410105' };
    const blankUser = await apiSend(page, 'POST', '/users', { ...leader, username: 'e2e-blank', display_name: '   ' });
    assert.equal(blankUser.status, 400);
    assert.equal(blankUser.body.errors[0].field, 'display_name');
    const lookAlike = await apiSend(page, 'POST', '/users', { ...leader, username: kNewUser.toUpperCase(), display_name: '冒名' });
    assert.equal(lookAlike.status, 409);
    assert.equal(lookAlike.body.errors[0].field, 'username');
    const attributes = { school_type: 'primary', locality: 'urban', boarding: false, day_students: 1, boarding_students: 0, class_count: 1 };
    const blankSchool = await apiSend(page, 'POST', '/org-units', { parent_code: '410105', code: '4101059901', name: '\u3000 ', attributes });
    assert.equal(blankSchool.status, 400);
    assert.equal(blankSchool.body.errors[0].field, 'name');
    const blankRename = await apiSend(page, 'PATCH', '/org-units/9410105002', { name: '  ' });
    assert.equal(blankRename.status, 400);
    assert.equal(blankRename.body.errors[0].field, 'name');
    assert.equal((await apiSend(page, 'POST', '/org-units/9410105002/deactivate', {})).status, 200);
    const late = await apiSend(page, 'POST', '/users', { username: 'e2e-late', display_name: '校长', role: 'principal', org_code: '9410105002' });
    assert.equal(late.status, 409);
    assert.equal(late.body.errors[0].field, 'org_code');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the new user must change the password, then sees their home', async () => {
    assert.ok(initialPassword, 'created by the previous test');
    const { page, context, errors } = await newPage(chrome.browser);
    await login(page, server.url, kNewUser, initialPassword);
    await waitForRoute(page, '#/change-password');
    // Any other page leads back here.
    await page.goto(`${server.url}/#/schools`);
    await waitForRoute(page, '#/change-password');

    await page.locator('input[name="old_password"]').fill(initialPassword);
    await page.locator('input[name="new_password"]').fill(kNewPassword);
    await page.locator('input[name="confirm"]').fill(kNewPassword);
    assert.equal(await page.locator('[data-test="password-rules"] li:not(.ok)').count(), 0);
    await page.locator('[data-test="password-submit"]').click();

    await eventually(async () => (await page.evaluate(() => window.location.hash)) === '#/');
    await page.locator('[data-test="home-title"]').filter({ hasText: '郑州市' }).waitFor();
    assert.match(await page.locator('[data-test="who"]').textContent(), /教育局领导/);
    assert.equal(await page.locator('.el-menu-item[data-menu="/users"]').count(), 0, 'a leader does not manage users');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the audit_admin sees those actions and the chain verifies', async () => {
    const { page, context, errors } = await newPage(chrome.browser, { timezoneId: 'Asia/Shanghai' });
    await login(page, server.url, 'audit1', kAuditPassword, server.accounts.audit1.totp_secret);
    await waitForRoute(page, '#/');
    await page.locator('.el-menu-item[data-menu="/audit"]').waitFor();
    const menu = await page.locator('.el-menu-item').allTextContents();
    assert.deepEqual(menu.map((s) => s.trim()), ['首页', '审计日志']);

    await page.locator('.el-menu-item[data-menu="/audit"]').click();
    await waitForRoute(page, '#/audit');
    const rows = page.locator('[data-test="audit-table"] .el-table__body tr');
    await rows.first().waitFor();
    const api = await apiGet(page, '/audit?page_size=200');
    assert.equal(api.status, 200);
    const bySys = api.body.items.filter((r) => r.username === 'sys1');
    assert.ok(bySys.some((r) => r.target.includes(kNewUser) || r.summary.includes(kNewUser)), 'the creation is audited');
    assert.ok(api.body.items.some((r) => r.username === kNewUser), 'the new user’s actions are audited');

    await page.locator('input[data-test="audit-username"]').fill('sys1');
    await page.locator('input[data-test="audit-username"]').press('Enter');
    await eventually(async () => {
      const texts = await rows.allTextContents();
      return texts.length > 0 && texts.every((t) => t.includes('sys1'));
    });
    assert.equal(await rows.count(), Math.min(bySys.length, 50), 'the filtered table shows sys1’s records');

    // At 1280 px every column fits: nothing to scroll sideways, the summary inside the table.
    const fit = await page.evaluate(() => {
      const table = document.querySelector('[data-test="audit-table"]').getBoundingClientRect();
      const wrap = document.querySelector('[data-test="audit-table"] .el-table__body-wrapper .el-scrollbar__wrap');
      const summary = [...document.querySelectorAll('[data-test="audit-table"] th')].find((th) => th.textContent.trim() === '摘要');
      return { overflow: wrap.scrollWidth - wrap.clientWidth, summaryRight: summary.getBoundingClientRect().right, tableRight: table.right };
    });
    assert.ok(fit.overflow <= 0, `the table scrolls ${fit.overflow} px sideways`);
    assert.ok(fit.summaryRight <= fit.tableRight, `the summary column ends at ${fit.summaryRight}, the table at ${fit.tableRight}`);
    // The rest of a record unfolds below its row.
    await rows.first().locator('.el-table__expand-icon').click();
    await page.locator('[data-test="audit-details"]').filter({ hasText: '请求编号' }).waitFor();

    // One day, from and to the same date, is that whole day (Asia/Shanghai).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const day = await apiGet(page, `/audit?from=${today}&to=${today}&username=sys1&page_size=200`);
    assert.equal(day.status, 200);
    assert.equal(day.body.total, bySys.length, 'today’s search finds all of sys1’s records');
    // The same in the page: today picked as both ends of the range.
    await page.locator('.toolbar .el-date-editor').click();
    const picker = page.locator('.el-picker-panel:visible');
    await picker.locator('td.today').first().click();
    await picker.locator('td.today').first().click();
    await picker.locator('.el-picker-panel__footer .el-button').filter({ hasText: /确定|OK/ }).click();
    await eventually(async () => (await paginationTotal(page)) === bySys.length);

    await page.locator('[data-test="audit-verify"]').click();
    const result = page.locator('[data-test="audit-verify-result"]');
    await result.waitFor();
    assert.match(await result.textContent(), /日志链完整/);
    // The audit admin cannot read schools.
    await page.goto(`${server.url}/#/schools`);
    await waitForRoute(page, '#/');
    assert.ok(!(await page.evaluate(() => window.location.hash)).startsWith('#/schools'));
    assert.deepEqual(errors, []);
    await context.close();
  });
});
