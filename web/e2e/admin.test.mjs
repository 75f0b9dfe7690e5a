// Administrators: a system_admin (with TOTP) creates an account, its owner is
// made to change the password; the audit_admin then finds those actions in
// the audit log and the hash chain verifies. The tests run in order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, eventually, launchBrowser, login, newPage, startServer, waitForRoute } from './support.mjs';

const kSysPassword = 'Sys#Admin2026xy';
const kAuditPassword = 'Audit#Admin2026xy';
const kNewUser = 'e2e-leader';
const kNewPassword = 'Leader#Pass2026';

let server;
let chrome;

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
    const { page, context, errors } = await newPage(chrome.browser);
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
