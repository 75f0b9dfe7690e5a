// One-click alarms against the real server: the county officer and the principal of school
// 9410105001 keep the alarm console open; the school's demo guard presses the button on a phone.
// The alarm reaches both consoles over the live feed within a second or two, without a reload;
// the county acknowledges and the principal's console and the guard's page show 已确认 at once.
// Then the guard runs a drill, labelled as such everywhere, and ends it; the history lists both
// alarms with their timelines. Last, the principal adds an alarm-source key for an alarm host,
// whose alarm reaches the county, and revokes it. The tests run in order on one server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, demoPassword, eventually, launchBrowser, login, newPage, startServer, waitForRoute } from './support.mjs';

const kSchool = '9410105001';
const kPhone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
/** How long a console may take to show what the feed pushed (the brief asks for about a second). */
const kLiveMs = 2_000;

let server;
let chrome;
let county;
let principal;
let guard;
let raisedId;

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
});

after(async () => {
  for (const s of [county, principal, guard]) await s?.context.close().catch(() => undefined);
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

/** Opens the console from the menu and waits until its live feed is connected. */
async function openConsole(session) {
  const { page } = session;
  await page.locator('.el-menu-item[data-menu="/alarms"]').click();
  await waitForRoute(page, '#/alarms');
  await page.locator('[data-test="console-open"]').waitFor();
  await page.locator('[data-test="live-state"][data-state="open"]').waitFor();
}

/** The guard presses a button (real, test or drill), confirms, and answers the id of the alarm. */
async function press(page, button, location) {
  await page.locator(`[data-test="${button}"]`).click();
  const dialog = page.locator('[data-test="alarm-confirm"]');
  await dialog.waitFor();
  await dialog.locator('input[name="location"]').fill(location);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/alarms') && r.request().method() === 'POST');
  await page.locator('[data-test="alarm-confirm-send"]').click();
  const response = await answer;
  assert.equal(response.status(), 201);
  return { alarm: await response.json(), sentAt: Date.now() };
}

describe('one-click alarms on two live consoles', () => {
  it('the consoles of the county and of the school connect to the live feed', async () => {
    county = await loggedIn('demo-county');
    await openConsole(county);
    principal = await loggedIn('demo-principal');
    await openConsole(principal);
    // A click is the user gesture browsers want before they play sound.
    await county.page.locator('[data-test="sound-enable"]').click();
    await county.page.locator('[data-test="sound-mute"]').waitFor();
    assert.equal(await county.page.locator('[data-test="console-readonly"]').count(), 0);
  });

  it('the guard’s alarm appears on both consoles within a second or two, without a reload', async () => {
    guard = await loggedIn('demo-guard', kPhone);
    await guard.page.goto(`${server.url}/#/alarm-button`);
    await guard.page.locator('[data-test="alarm-press"]').waitFor();
    const { alarm, sentAt } = await press(guard.page, 'alarm-press', '东门');
    raisedId = alarm.id;
    assert.equal(alarm.kind, 'real');
    assert.equal(alarm.status, 'raised');
    assert.equal(alarm.school.code, kSchool);

    const seen = await Promise.all(
      [county, principal].map(async ({ page }) => {
        const card = page.locator(`[data-test="alarm-${raisedId}"]`);
        await card.waitFor({ timeout: kLiveMs });
        return { page, card, ms: Date.now() - sentAt };
      }),
    );
    for (const { card } of seen) {
      assert.equal(await card.getAttribute('data-status'), 'raised');
      assert.equal(await card.getAttribute('data-kind'), 'real');
      assert.equal(await card.locator('[data-test="alarm-kind"]').textContent(), '真实报警');
      assert.equal((await card.locator('[data-test="alarm-status"]').textContent()).trim(), '待确认');
      assert.equal((await card.locator('[data-test="alarm-level"]').textContent()).trim(), '县级');
      assert.match(await card.textContent(), /东门/);
    }
    console.log(`alarm ${raisedId} on the consoles after ${seen.map((s) => `${s.ms} ms`).join(' and ')}`);
    await guard.page.locator('[data-test="button-current"][data-status="raised"]').waitFor();
  });

  it('the county acknowledges; the principal’s console and the guard’s page show 已确认 at once', async () => {
    const card = county.page.locator(`[data-test="alarm-${raisedId}"]`);
    const started = Date.now();
    await card.locator('[data-test="alarm-step-acknowledged"]').click();
    await county.page.locator(`[data-test="alarm-${raisedId}"][data-status="acknowledged"]`).waitFor({ timeout: kLiveMs });

    const theirs = principal.page.locator(`[data-test="alarm-${raisedId}"][data-status="acknowledged"]`);
    await theirs.waitFor({ timeout: kLiveMs });
    const ms = Date.now() - started;
    assert.equal((await theirs.locator('[data-test="alarm-status"]').textContent()).trim(), '已确认');
    assert.match(await theirs.textContent(), /demo-county 确认/);
    await guard.page.locator('[data-test="button-current"][data-status="acknowledged"]').waitFor({ timeout: kLiveMs });
    assert.equal((await guard.page.locator('[data-test="button-status"]').textContent()).trim(), '已确认');
    console.log(`acknowledgement on the principal's console after ${ms} ms`);

    const stored = await apiGet(principal.page, `/alarms/${raisedId}`);
    assert.equal(stored.body.status, 'acknowledged');
    assert.equal(stored.body.acknowledged_by, 'demo-county');
  });

  it('the principal closes it as a false alarm with a note; the county sees it closed', async () => {
    const card = principal.page.locator(`[data-test="alarm-${raisedId}"]`);
    await card.locator('[data-test="alarm-step-closed"]').click();
    const form = principal.page.locator('[data-test="alarm-close-form"]');
    await form.waitFor();
    await form.locator('[data-outcome="false_alarm"]').click();
    await form.locator('textarea[name="note"]').fill('保安误触，现场无异常');
    await principal.page.locator('[data-test="alarm-close-send"]').click();
    await principal.page.locator(`[data-test="console-closed"] [data-test="alarm-${raisedId}"][data-status="closed"]`).waitFor({ timeout: kLiveMs });
    await county.page.locator(`[data-test="console-closed"] [data-test="alarm-${raisedId}"][data-status="closed"]`).waitFor({ timeout: kLiveMs });
    const stored = await apiGet(county.page, `/alarms/${raisedId}`);
    assert.equal(stored.body.outcome, 'false_alarm');
    assert.deepEqual(
      stored.body.steps.map((s) => s.step),
      ['raised', 'acknowledged', 'closed'],
    );
  });

  it('a drill is labelled 演练 on the consoles and the guard ends it', async () => {
    // The guard's page saw the principal close the alarm, live.
    await guard.page.locator('[data-test="button-current"][data-status="closed"]').waitFor({ timeout: kLiveMs });
    await guard.page.locator('[data-test="button-dismiss"]').click();
    await guard.page.locator('[data-test="button-current"]').waitFor({ state: 'detached' });
    const { alarm } = await press(guard.page, 'alarm-drill', '操场');
    assert.equal(alarm.kind, 'drill');
    const card = county.page.locator(`[data-test="alarm-${alarm.id}"]`);
    await card.waitFor({ timeout: kLiveMs });
    assert.equal(await card.getAttribute('data-kind'), 'drill');
    assert.equal(await card.locator('[data-test="alarm-kind"]').textContent(), '演练报警');

    await guard.page.locator('[data-test="button-close"]').click();
    const form = guard.page.locator('[data-test="alarm-close-form"]');
    await form.waitFor();
    assert.equal(await form.locator('[data-outcome="drill_done"] input').isChecked(), true);
    await guard.page.locator('[data-test="alarm-close-send"]').click();
    await guard.page.locator('[data-test="button-current"][data-status="closed"]').waitFor();
    await county.page.locator(`[data-test="alarm-${alarm.id}"][data-status="closed"]`).waitFor({ timeout: kLiveMs });
  });

  it('the history lists both alarms, with the timeline in the drawer', async () => {
    const { page } = county;
    await page.locator('.el-menu-item[data-menu="/alarms/history"]').click();
    await waitForRoute(page, '#/alarms/history');
    await page.locator(`[data-test="history-status-${raisedId}"]`).waitFor();
    assert.equal((await page.locator(`[data-test="history-status-${raisedId}"]`).textContent()).trim(), '已关闭');
    await page.locator(`[data-test="history-status-${raisedId}"]`).click();
    const timeline = page.locator('[data-test="detail-timeline"]');
    await timeline.waitFor();
    await page.locator('[data-test="detail-timeline"] [data-step="closed"]').waitFor();
    assert.match(await timeline.textContent(), /保安误触，现场无异常/);
    await page.keyboard.press('Escape');
    await timeline.waitFor({ state: 'hidden' });
    await page.locator('[data-test="alarm-stats"]').waitFor();
  });

  it('the principal adds an alarm-source key, shown once; its alarm host raises a test; once revoked the key is refused', async () => {
    const { page } = principal;
    await page.goto(`${server.url}/#/ledger?tab=devices`);
    await page.locator('[data-test="alarm-sources"]').waitFor();
    await page.locator('[data-test="source-add"]').click();
    await page.locator('[data-test="source-form"] input[name="name"]').fill('门卫室报警主机');
    await page.locator('[data-test="source-save"]').click();
    const keyDialog = page.locator('[data-test="source-key-dialog"]');
    await keyDialog.waitFor();
    assert.match(await keyDialog.textContent(), /密钥只显示这一次/);
    const key = (await page.locator('[data-test="source-key"]').textContent()).trim();
    assert.match(key, /^\d+\.\S{16,}$/);
    await page.locator('[data-test="source-key-done"]').click();
    await keyDialog.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('[data-test="source-key"]').count(), 0);

    // The alarm host posts with its key, no session; the county's console shows it at once.
    const consolePage = county.page;
    await consolePage.locator('.el-menu-item[data-menu="/alarms"]').click();
    await consolePage.locator('[data-test="live-state"][data-state="open"]').waitFor();
    const ingest = (body) =>
      fetch(`${server.url}/api/v1/alarm-ingest`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Alarm-Key': key }, body: JSON.stringify(body) });
    const sent = await ingest({ kind: 'test', location: '门卫室', event_id: 'e2e-host-1' });
    assert.equal(sent.status, 201);
    const alarm = await sent.json();
    const card = consolePage.locator(`[data-test="alarm-${alarm.id}"]`);
    await card.waitFor({ timeout: kLiveMs });
    assert.equal(await card.getAttribute('data-kind'), 'test');
    assert.match(await card.textContent(), /报警主机/);
    // The card names the source as the school named it, not by its id.
    assert.equal(alarm.raised_by_name, '门卫室报警主机');
    assert.equal((await card.locator('[data-test="alarm-raised-by"]').textContent()).trim(), '门卫室报警主机 报警');
    assert.doesNotMatch(await card.textContent(), /source:/);
    // A press buffered for years, or a device that is not the school's, is refused naming the field.
    const stale = await ingest({ kind: 'test', event_id: 'e2e-host-old', pressed_at: '2020-01-01T00:00:00+08:00' });
    assert.equal(stale.status, 400);
    assert.equal((await stale.json()).errors[0].field, 'pressed_at');
    const stranger = await ingest({ kind: 'test', event_id: 'e2e-host-dev', device_id: '41030200001340000099' });
    assert.equal(stranger.status, 400);
    assert.equal((await stranger.json()).errors[0].field, 'device_id');

    const id = (await apiGet(page, `/schools/${kSchool}/alarm-sources`)).body.items.find((x) => x.name === '门卫室报警主机').id;
    await page.locator(`[data-test="source-revoke-${id}"]`).click();
    await page.locator('.el-message-box .el-button--primary').click();
    await eventually(async () => (await page.locator(`[data-test="source-state-${id}"]`).textContent()).trim() === '已撤销');
    assert.equal((await ingest({ kind: 'test', event_id: 'e2e-host-2' })).status, 401);
    for (const s of [county, principal, guard]) assert.deepEqual(s.errors, []);
  });
});
