// Morning/noon checks against the real server: the demo class teacher (一年级1班
// of school 9410105001) on a phone sends a zero report whose answer is lost and
// retries it without a second write, then reports two pupils with fever in the
// morning and a third at noon, which opens a cluster warning (2006 rules: 3 or
// more similar cases in one class in one day). The county officer sees the
// class reported and the warning; the school doctor sees it on the board,
// submits the report pre-filled from the draft and closes the warning. The
// tests run in order on one server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, demoPassword, eventually, launchBrowser, login, newPage, startServer, waitForRoute } from './support.mjs';

const kSchool = '9410105001';
const kCounty = '410105';
const kClass = '一年级1班';
const kPhone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let server;
let chrome;

const shanghaiDay = (at = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
const today = shanghaiDay();
const yesterday = shanghaiDay(new Date(Date.now() - 86_400_000));

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function loggedIn(username, options) {
  const session = await newPage(chrome.browser, options);
  await login(session.page, server.url, username, demoPassword);
  await waitForRoute(session.page, '#/');
  await session.page.locator('[data-test="home-title"]').waitFor();
  return session;
}

/** The teacher's form, opened from the home card. */
async function openForm(page) {
  await page.locator('[data-test="home-health"][data-mode="report"] [data-test="home-open-report"]').click();
  await waitForRoute(page, '#/health/report');
  await page.locator('[data-test="report-class-name"]').filter({ hasText: kClass }).waitFor();
}

async function pick(page, group, text) {
  await page.locator(`[data-test="${group}"] label`).filter({ hasText: text }).click();
}

/** Fills case card `i` as a pupil with fever. */
async function feverCard(page, i, studentNo) {
  await page.locator(`input[name="case-${i}-student_no"]`).fill(studentNo);
  await page.locator(`[data-test="case-${i}-sex"] label`).first().click();
  await page.locator(`[data-test="case-${i}-symptoms"] [data-symptom="fever"]`).click();
  assert.equal(await page.locator(`[data-test="case-${i}-symptoms"] [data-symptom="fever"]`).getAttribute('aria-pressed'), 'true');
}

/** The class's current report of a day and session, from the API. */
async function reportOf(page, date, session) {
  const day = await apiGet(page, `/schools/${kSchool}/health-checks?date=${date}&session=${session}`);
  assert.equal(day.status, 200);
  return day.body.reports.find((r) => r.class_name === kClass) ?? null;
}

describe('morning and noon checks and the outbreak warning', () => {
  it('a lost answer to the zero report is retried with the same Idempotency-Key and written once', async () => {
    const { page, context, errors } = await loggedIn('demo-teacher', kPhone);
    await openForm(page);
    const classes = await apiGet(page, `/schools/${kSchool}/classes`);
    const cls = classes.body.items.find((c) => c.name === kClass);
    assert.equal(await page.locator('[data-test="report-enrolment"]').getAttribute('data-enrolled'), String(cls.enrolment));

    await pick(page, 'report-date', '昨天');
    await pick(page, 'report-session', '晨检');
    // The first answer is lost after the server has written the report.
    const keys = [];
    let dropped = false;
    await page.route('**/api/v1/health-checks', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (dropped) return route.continue();
      dropped = true;
      const answer = await route.fetch();
      assert.equal(answer.status(), 201);
      await route.abort('failed');
    });
    await page.locator('[data-test="report-zero"]').click();
    await page.locator('.zero-confirm .el-button--primary').click();
    await page.locator('[data-test="report-retry"]').waitFor();
    assert.equal((await reportOf(page, yesterday, 'morning'))?.version, 1, 'the first attempt was written');

    await page.locator('[data-test="report-retry"]').click();
    const result = page.locator('[data-test="report-result"]');
    await result.waitFor();
    assert.equal(keys.length, 2);
    assert.match(keys[0], /^[\w-]{8,}$/);
    assert.equal(keys[1], keys[0]);
    assert.equal(await result.getAttribute('data-version'), '1');
    assert.equal(await result.getAttribute('data-warnings'), '');
    const stored = await reportOf(page, yesterday, 'morning');
    assert.deepEqual(
      { version: stored.version, enrolled: stored.enrolled, present: stored.present, absent_ill: stored.absent_ill, absent_other: stored.absent_other, cases: stored.cases.length },
      { version: 1, enrolled: cls.enrolment, present: cls.enrolment, absent_ill: 0, absent_other: 0, cases: 0 },
    );
    await page.unroute('**/api/v1/health-checks');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('two pupils with fever in the morning raise nothing; a third at noon opens a cluster warning', async () => {
    const { page, context, errors } = await loggedIn('demo-teacher', kPhone);
    await openForm(page);
    await pick(page, 'report-date', '今天');
    await pick(page, 'report-session', '晨检');
    await page.locator('[data-test="report-detail"]').click();
    await page.locator('input[name="absent_ill"]').fill('2');
    await page.locator('input[name="absent_ill"]').press('Tab');
    await page.locator('[data-test="case-1"]').waitFor();
    await feverCard(page, 0, 'E2E001');
    await feverCard(page, 1, 'E2E002');
    await page.locator('[data-test="report-submit"]').click();
    let result = page.locator('[data-test="report-result"]');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-warnings'), '');
    const morning = await reportOf(page, today, 'morning');
    assert.deepEqual(morning.cases.map((c) => [c.student_no, c.absent, c.symptoms]), [['E2E001', true, ['fever']], ['E2E002', true, ['fever']]]);
    assert.equal(morning.present + morning.absent_ill + morning.absent_other, morning.enrolled);

    await page.locator('[data-test="report-again"]').click();
    await pick(page, 'report-session', '午检');
    await page.locator('[data-test="report-detail"]').click();
    await page.locator('[data-test="case-add-present"]').click();
    await feverCard(page, 0, 'E2E003');
    await page.locator('[data-test="report-submit"]').click();
    result = page.locator('[data-test="report-result"]');
    await result.waitFor();
    const ids = (await result.getAttribute('data-warnings')).split(',').filter(Boolean).map(Number);
    assert.equal(ids.length, 1, 'the third case opens one warning');
    const alert = page.locator('[data-test="report-warnings"]');
    assert.match(await alert.textContent(), /触发了 1 条疫情预警/);
    const warning = await apiGet(page, `/health-warnings/${ids[0]}`);
    assert.equal(warning.status, 200);
    assert.equal(warning.body.rule, 'cluster_1d');
    assert.equal(warning.body.unit_name, kClass);
    assert.equal(warning.body.cases, 3);
    await eventually(async () => (await alert.textContent()).includes(warning.body.rule_name));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the county officer sees the class reported and the open warning, and the school’s board read-only', async () => {
    const { page, context, errors } = await loggedIn('demo-county');
    await page.locator('[data-test="home-health"][data-mode="bureau"]').waitFor();
    await page.locator('.el-menu-item[data-menu="/health"]').click();
    await waitForRoute(page, '#/health');
    await pick(page, 'health-session', '午检');
    const api = await apiGet(page, `/health-checks/completeness?org=${kCounty}&date=${today}&session=noon`);
    const school = api.body.children.find((c) => c.org.code === kSchool);
    assert.ok(school.reported >= 1);
    const tile = page.locator(`[data-test="completeness-tiles"] .tile[data-code="${kSchool}"]`);
    await eventually(async () => (await tile.getAttribute('data-reported')) === String(school.reported));
    assert.equal(await tile.getAttribute('data-classes'), String(school.classes));
    await page.locator('[data-test="health-trend"]').waitFor();

    const row = page.locator('[data-test="warning-table"] .el-table__body tr').filter({ hasText: kClass });
    await row.waitFor();
    assert.match(await row.textContent(), /同一班级/);
    await row.locator('a').first().click();
    await waitForRoute(page, `#/schools/${kSchool}/health`);
    await page.locator('[data-test="board-readonly"]').waitFor();
    await page.locator('.warning[data-rule="cluster_1d"]').waitFor();
    assert.equal(await page.locator('[data-test="warning-submit"]').count(), 0);
    assert.equal(await page.locator('[data-test="warning-close"]').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the school doctor submits the pre-filled report and closes the warning', async () => {
    const { page, context, errors } = await loggedIn('demo-doctor');
    await page.locator('.el-menu-item[data-menu="/health/school"]').click();
    await waitForRoute(page, '#/health/school');
    await pick(page, 'board-session', '午检');
    const day = await apiGet(page, `/schools/${kSchool}/health-checks?date=${today}&session=noon`);
    const reported = page.locator('[data-test="stat-reported"]');
    await eventually(async () => (await reported.getAttribute('data-reported')) === String(day.body.reports.length));
    assert.equal(await page.locator('[data-test="board-missing"]').getAttribute('data-count'), String(day.body.missing.length));

    const card = page.locator('.warning[data-rule="cluster_1d"]');
    await card.waitFor();
    assert.equal(await card.locator('[data-test="warning-unit"]').textContent(), kClass);
    assert.match(await card.locator('[data-test="task-countdown"]').textContent(), /^剩余 \d\d:\d\d:\d\d$/);
    const open = await apiGet(page, `/health-warnings?org=${kSchool}`);
    const warning = open.body.items.find((w) => w.rule === 'cluster_1d');
    assert.equal(await card.getAttribute('data-test'), `warning-${warning.id}`);

    await card.locator('[data-test="warning-submit"]').click();
    const form = page.locator('[data-test="task-form"]');
    await form.waitFor();
    assert.equal(await form.locator('textarea[name="summary"]').inputValue(), warning.task.draft);
    await form.locator('textarea[name="measures"]').fill('三名学生居家隔离观察，已通知家长；教室已消毒；同班学生加强晨午检。');
    await page.locator('[data-test="task-send"]').click();
    await form.waitFor({ state: 'hidden' });
    await eventually(async () => (await card.getAttribute('data-task')) === 'submitted');

    await card.locator('[data-test="warning-close"]').click();
    const close = page.locator('[data-test="close-form"]');
    await close.waitFor();
    await close.locator('textarea[name="note"]').fill('三名学生均已康复返校，无新增病例。');
    await page.locator('[data-test="close-send"]').click();
    await card.waitFor({ state: 'detached' });
    const closed = await apiGet(page, `/health-warnings/${warning.id}`);
    assert.equal(closed.body.status, 'closed');
    assert.equal(closed.body.task.status, 'submitted');
    assert.equal(closed.body.task.measures, '三名学生居家隔离观察，已通知家长；教室已消毒；同班学生加强晨午检。');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
