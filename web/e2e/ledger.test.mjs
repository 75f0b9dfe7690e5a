// The security ledger and the four-100% dashboard against the real server:
// the demo principal (school 9410105001, one full-time guard short) records a
// third guard, and the demo county officer (金水区 410105) sees the guards
// figure move by exactly one after a reload. Bad input in the guard form and a
// bad row in the Excel import are refused with the field or cell named, and
// write nothing; so is a device given another device's national id. The demo's
// closed-management checks show their evidence photo. The tests run in order on
// one server. A second server, whose calendar makes every day a school day,
// shows the guard's phone today's 护学岗 right after it is saved.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { apiGet, demoPassword, eventually, launchBrowser, login, newPage, startServer, waitForRoute } from './support.mjs';

const kSchool = '9410105001';
const kCounty = '410105';
const kAlarmBoxId = '41010500001340000001'; // the demo school's alarm box (GB/T 28181)
const kPhone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

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

async function loggedIn(username, options, on = server) {
  const session = await newPage(chrome.browser, options);
  await login(session.page, on.url, username, demoPassword);
  await waitForRoute(session.page, '#/');
  await session.page.locator('[data-test="home-title"]').waitFor();
  return session;
}

/** The principal's ledger, opened from the menu, on the guards tab. */
async function openLedger(page) {
  await page.locator('.el-menu-item[data-menu="/ledger"]').click();
  await waitForRoute(page, '#/ledger');
  await page.locator('[data-test="ledger-summary"]').waitFor();
  await page.locator('[data-test="guard-table"] .el-table__body tr').first().waitFor();
}

/** Opens a tab of the ledger by its label. */
async function openTab(page, label) {
  await page.locator('.el-tabs__item').filter({ hasText: label }).click();
}

async function guardRows(page) {
  return page.locator('[data-test="guard-table"] .el-table__body tr').count();
}

/** The guards figure of the county as the dashboard card shows it. */
async function cardFigure(page, item) {
  const card = page.locator(`[data-test="rate-${item}"]`);
  await card.waitFor();
  return { compliant: Number(await card.getAttribute('data-compliant')), applicable: Number(await card.getAttribute('data-applicable')), text: (await card.textContent()).trim() };
}

describe('security ledger and four 100%', () => {
  let before_figures;

  it('shows the county officer the live figures of 金水区, equal to the API', async () => {
    const { page, context, errors } = await loggedIn('demo-county');
    await page.locator('.el-menu-item[data-menu="/compliance"]').click();
    await waitForRoute(page, '#/compliance');
    const api = await apiGet(page, `/compliance/four-100?org=${kCounty}`);
    assert.equal(api.status, 200);
    before_figures = api.body;
    const card = await cardFigure(page, 'guards');
    assert.equal(card.compliant, api.body.items.guards.compliant);
    assert.equal(card.applicable, api.body.items.guards.applicable);
    assert.match(card.text, new RegExp(`达标 ${card.compliant} / 适用 ${card.applicable}`));
    // The demo school is one guard short, so it is in the gap list for guards.
    const gaps = await apiGet(page, `/compliance/gaps?org=${kCounty}&item=guards&q=${kSchool}`);
    assert.deepEqual(gaps.body.items.map((g) => g.code), [kSchool]);
    await page.locator('[data-test="gap-table"] [data-test="gap-school"]').filter({ hasText: '金水区第1小学' }).first().waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('refuses a guard born before 1940 with the server’s message beside the field, and writes nothing', async () => {
    const { page, context, errors } = await loggedIn('demo-principal');
    await openLedger(page);
    const before = await apiGet(page, `/schools/${kSchool}/guards`);
    const rows = await guardRows(page);
    assert.equal(rows, before.body.items.length);

    await page.locator('[data-test="guard-add"]').click();
    const form = page.locator('[data-test="guard-form"]');
    await form.waitFor();
    await form.locator('input[name="name"]').fill('错误示例');
    await form.locator('input[name="certificate_no"]').fill('豫保20260001');
    await form.locator('input[name="birth_year"]').fill('1930');
    const answered = page.waitForResponse((r) => r.url().endsWith(`/schools/${kSchool}/guards`) && r.request().method() === 'POST');
    await page.locator('[data-test="guard-save"]').click();
    const response = await answered;
    assert.equal(response.status(), 400);
    const problem = await response.json();
    assert.ok(problem.errors.some((e) => e.field === 'birth_year'), JSON.stringify(problem));

    const item = form.locator('.el-form-item').filter({ has: page.locator('input[name="birth_year"]') });
    await eventually(async () => (await item.locator('.el-form-item__error').textContent())?.includes('1940'));
    assert.ok(await form.isVisible(), 'the dialog stays open');
    const afterwards = await apiGet(page, `/schools/${kSchool}/guards`);
    assert.equal(afterwards.body.items.length, before.body.items.length);
    assert.equal(await guardRows(page), rows);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('names the sheet, row and cell of a bad row in the imported template, and writes nothing', async () => {
    const { page, context, errors } = await loggedIn('demo-principal');
    await openLedger(page);
    const before = await apiGet(page, `/schools/${kSchool}/guards`);
    // The template as the page downloads it.
    const bytes = await page.evaluate(async (code) => {
      const res = await fetch(`/api/v1/schools/${code}/ledger/template.xlsx`, { credentials: 'same-origin' });
      return [...new Uint8Array(await res.arrayBuffer())];
    }, kSchool);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes));
    const sheet = wb.getWorksheet('guards');
    assert.ok(sheet, 'the template has a guards sheet');
    const next = 3 + before.body.items.length; // header in row 2, one row per guard
    sheet.getRow(next).values = [null, '导入测试', '豫保20260002', 1930, '专职', '2024-09-01', '是'];
    sheet.getRow(next).commit();
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());

    await page.locator('[data-test="ledger-import"]').click();
    await page.locator('[data-test="ledger-import-upload"] input[type="file"]').setInputFiles({
      name: 'ledger.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    await eventually(async () => (await page.locator('[data-test="ledger-import-file"]').textContent())?.includes(`保安 ${before.body.items.length + 1} 行`));
    await page.locator('[data-test="ledger-import-submit"]').click();
    const table = page.locator('[data-test="ledger-import-errors"]');
    await table.waitFor();
    const lines = (await table.locator('.el-table__body tr').allTextContents()).map((l) => l.replace(/\s+/g, ''));
    assert.ok(
      lines.some((l) => l.startsWith(`保安${next}D`) && l.includes('出生年份') && l.includes('1940')),
      `the birth year cell of row ${next} is named: ${lines.join(' | ')}`,
    );
    assert.match(await page.locator('[data-test="ledger-import-failed"]').textContent(), /未写入/);
    const afterwards = await apiGet(page, `/schools/${kSchool}/guards`);
    assert.equal(afterwards.body.items.length, before.body.items.length);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the evidence photo of each closed-management measure the demo has in place', async () => {
    const { page, context, errors } = await loggedIn('demo-principal');
    await openLedger(page);
    await openTab(page, '封闭化管理');
    const checks = await apiGet(page, `/schools/${kSchool}/closed-checks`);
    for (const [measure, check] of Object.entries(checks.body.current)) {
      assert.equal(check.status, 'in_place', measure);
      assert.equal(check.photos.length, 1, `${measure}: an in-place check carries a photo, as the API requires`);
      const img = page.locator(`[data-test="closed-measure-${measure}"] .thumb img`);
      await img.scrollIntoViewIfNeeded();
      await eventually(async () => (await img.evaluate((el) => el.complete && el.naturalWidth)) === 120);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('refuses a device with the alarm box’s national id with the server’s message beside the field, and writes nothing', async () => {
    const { page, context, errors } = await loggedIn('demo-principal');
    await openLedger(page);
    await openTab(page, '一键报警与视频');
    const before = await apiGet(page, `/schools/${kSchool}/devices`);
    await page.locator('[data-test="device-add"]').click();
    const form = page.locator('[data-test="device-form"]');
    await form.waitFor();
    await form.locator('.el-radio-button').filter({ hasText: '摄像机' }).click();
    await form.locator('input[name="name"]').fill('x');
    await form.locator('input[name="national_id"]').fill(kAlarmBoxId);
    const answered = page.waitForResponse((r) => r.url().endsWith(`/schools/${kSchool}/devices`) && r.request().method() === 'POST');
    await page.locator('[data-test="device-save"]').click();
    const response = await answered;
    assert.equal(response.status(), 409);
    const problem = await response.json();
    assert.deepEqual(problem.errors.map((e) => e.field), ['national_id']);
    const item = form.locator('.el-form-item').filter({ has: page.locator('input[name="national_id"]') });
    await eventually(async () => (await item.locator('.el-form-item__error').textContent())?.includes(problem.errors[0].message));
    assert.ok(await form.isVisible(), 'the dialog stays open');
    assert.deepEqual((await apiGet(page, `/schools/${kSchool}/devices`)).body, before.body);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the principal records a third full-time certified guard and the school meets all four', async () => {
    const { page, context, errors } = await loggedIn('demo-principal');
    await openLedger(page);
    const summary = await apiGet(page, `/schools/${kSchool}/ledger`);
    assert.equal(summary.body.evaluation.items.guards.state, 'not_met');
    assert.equal(summary.body.counts.guards_qualified, summary.body.required_guards - 1);
    assert.equal(await page.locator('[data-test="ledger-item-guards"]').getAttribute('data-state'), 'not_met');
    const rows = await guardRows(page);

    await page.locator('[data-test="guard-add"]').click();
    const form = page.locator('[data-test="guard-form"]');
    await form.waitFor();
    await form.locator('input[name="name"]').fill('端到端保安');
    await form.locator('input[name="certificate_no"]').fill('豫保20269999');
    await form.locator('input[name="birth_year"]').fill('1985');
    await page.locator('[data-test="guard-save"]').click();
    await form.waitFor({ state: 'hidden' });

    await eventually(async () => (await guardRows(page)) === rows + 1);
    await eventually(async () => (await page.locator('[data-test="ledger-item-guards"]').getAttribute('data-state')) === 'met');
    await eventually(async () => (await page.locator('[data-test="ledger-all-four"]').getAttribute('data-met')) === 'true');
    const now = await apiGet(page, `/schools/${kSchool}/ledger`);
    assert.equal(now.body.counts.guards_qualified, summary.body.required_guards);
    assert.equal(now.body.evaluation.all_four, true);
    const added = (await apiGet(page, `/schools/${kSchool}/guards`)).body.items.find((g) => g.name === '端到端保安');
    assert.deepEqual(
      { employment: added.employment, certificate_no: added.certificate_no, birth_year: added.birth_year, qualified: added.qualified },
      { employment: 'full_time', certificate_no: '豫保20269999', birth_year: 1985, qualified: true },
    );
    // The change is in the ledger's history.
    await page.locator('.el-tabs__item').filter({ hasText: '变更记录' }).click();
    await page.locator('[data-test="ledger-history"] .el-table__body tr').filter({ hasText: 'demo-principal' }).first().waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('after a reload the county’s guards figure has gone up by exactly one', async () => {
    const { page, context, errors } = await loggedIn('demo-county');
    await page.goto(`${server.url}/#/compliance?org=${kCounty}`);
    await page.reload();
    const api = await apiGet(page, `/compliance/four-100?org=${kCounty}`);
    assert.equal(api.body.items.guards.compliant, before_figures.items.guards.compliant + 1);
    assert.equal(api.body.items.guards.applicable, before_figures.items.guards.applicable);
    assert.equal(api.body.all_four.compliant, before_figures.all_four.compliant + 1);
    const card = await eventually(async () => {
      const c = await cardFigure(page, 'guards');
      return c.compliant === api.body.items.guards.compliant ? c : null;
    });
    assert.equal(card.applicable, api.body.items.guards.applicable);
    assert.match(card.text, new RegExp(`达标 ${api.body.items.guards.compliant} / 适用 ${api.body.items.guards.applicable}`));
    const total = await cardFigure(page, 'all_four');
    assert.equal(total.compliant, api.body.all_four.compliant);
    // The school has left the gap list for guards.
    const gaps = await apiGet(page, `/compliance/gaps?org=${kCounty}&item=guards&q=${kSchool}`);
    assert.equal(gaps.body.total, 0);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('today’s 护学岗 on the guard’s phone', () => {
  let everyDay;
  let calendarDir;

  before(async () => {
    // Every day a school day, so that today is one whatever the day the test runs.
    calendarDir = await mkdtemp(join(tmpdir(), 'xiaoan-e2e-calendar-'));
    const calendar = join(calendarDir, 'calendar.toml');
    await writeFile(calendar, 'weekdays = [1, 2, 3, 4, 5, 6, 7]\n');
    everyDay = await startServer({ env: { XIAOAN_SCHOOL_CALENDAR: calendar } });
  });

  after(async () => {
    await everyDay?.stop();
    if (calendarDir) await rm(calendarDir, { recursive: true, force: true });
  });

  it('lists today first, marked, and shows the arrival post just saved', async () => {
    const { page, context, errors } = await loggedIn('demo-guard', kPhone, everyDay);
    await page.goto(`${everyDay.url}/#/ledger`);
    await page.locator('[data-test="ledger-summary"]').waitFor();
    await openTab(page, '护学岗');
    const grid = page.locator('[data-test="posts-grid"]');
    await grid.locator('.el-table__body tr').first().waitFor();
    const posts = await apiGet(page, `/schools/${kSchool}/protection-posts`);
    const today = posts.body.today;
    assert.match(today ?? '', /^\d{4}-\d{2}-\d{2}$/, 'every day is a school day on this server');
    assert.ok(!posts.body.school_days.includes(today), 'the window counted ends yesterday');
    assert.equal(await grid.locator('.el-table__body tr').count(), posts.body.school_days.length + 1);
    const first = grid.locator('.el-table__body tr').first();
    assert.equal(await first.locator(`[data-test="post-day-${today}"]`).count(), 1, 'today is the first row');
    await first.locator('[data-test="post-today"]').waitFor();
    await page.locator('[data-test="posts-today-hint"]').waitFor();

    const form = page.locator('[data-test="post-form"]');
    await form.locator('.el-radio-button').filter({ hasText: '上学' }).click();
    const numbers = form.locator('.el-input-number input');
    for (const [i, n] of [[0, '3'], [1, '4'], [2, '2']]) {
      await numbers.nth(i).fill(n);
      await numbers.nth(i).blur();
    }
    const answered = page.waitForResponse((r) => r.url().includes(`/protection-posts/${today}/arrival`) && r.request().method() === 'PUT');
    await page.locator('[data-test="post-submit"]').click();
    assert.equal((await answered).status(), 200);
    await page.locator('.el-message--success').filter({ hasText: '护学岗已登记' }).waitFor();
    const cell = page.locator(`[data-test="post-${today}-arrival"]`);
    await eventually(async () => (await cell.textContent())?.includes('民警 3 · 教职工 4 · 保安 2'));
    assert.deepEqual(errors, []);
    await context.close();
  });
});
