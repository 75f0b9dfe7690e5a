// Hazard inspections against the real server (issue #6): the county (demo-county) launches a
// campaign; the principal of school 9410105001 inspects on a phone, fails an item with a photo, and
// the hazard appears in the ledger; she plans it with a deadline and interim measures and starts
// it; the school's safety officer (demo-safety), not the finder, accepts the fix. A second hazard,
// reported as found three days ago, gets a deadline of yesterday: the deadline job (every minute)
// marks it overdue and escalates it to the county (县级挂牌督办), which the county sees on its
// dashboard and the city (demo-city) sees by drilling down from its own; eight days on (the server
// restarted on the same database with its clock ahead) it climbs to the city. The guard (demo-guard)
// reports a hazard from his home page; the county records an unannounced visit (暗访) to another
// school. A round not yet open is shown as such and cannot be started; another county (demo-county2)
// opening a hazard of 金水区 is told once that it is not in its jurisdiction. The tests run in order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, demoPassword, eventually, launchBrowser, login, newPage, startServer, waitForRoute } from './support.mjs';

const kSchool = '9410105001';
const kPhone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const kCampaignName = '冬季消防安全专项检查（e2e）';
/** A 1×1 PNG: what the phone's camera hands over, as far as the upload is concerned. */
const kPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** The deadline job runs once a minute in the server's job loop. */
const kJobMs = 150_000;

const shanghaiDay = (offsetDays = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offsetDays * 86_400_000));

let server;
let chrome;
const sessions = [];
let campaignId;
let inspectedHazard;
let lateHazard;

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
});

after(async () => {
  for (const s of sessions) await s.context.close().catch(() => undefined);
  await chrome?.close();
  await server?.stop();
});

async function loggedIn(username, options) {
  const session = await newPage(chrome.browser, options);
  sessions.push(session);
  await login(session.page, server.url, username, demoPassword);
  await waitForRoute(session.page, '#/');
  await session.page.locator('[data-test="home-title"]').waitFor();
  return session;
}

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

/** Types a day into an el-date-picker input and confirms it. */
async function typeDay(input, day) {
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}

/** Takes the action `action` on the open hazard page, filling `fill` in its dialog; answers the hazard after it. */
async function act(page, id, action, fill = async () => undefined) {
  await page.locator(`[data-test="action-${action}"]`).click();
  if (action === 'start') {
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/hazards/${id}/actions`) && r.request().method() === 'POST');
    await page.locator('.el-message-box__btns .el-button--primary').click();
    const response = await answer;
    assert.equal(response.status(), 200, await response.text());
    return response.json();
  }
  const form = page.locator(`[data-test="action-form-${action}"]`);
  await form.waitFor();
  await fill(form);
  const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/hazards/${id}/actions`) && r.request().method() === 'POST');
  await page.locator('.el-dialog:visible [data-test="action-save"]').click();
  const response = await answer;
  assert.equal(response.status(), 200, await response.text());
  await form.waitFor({ state: 'detached' });
  return response.json();
}

/** Posts `body` to the API with the page's own session (cookie and CSRF token); answers {status, body}. */
async function apiPost(page, path, body) {
  return page.evaluate(
    async ([p, b]) => {
      const me = await (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json();
      const res = await fetch(`/api/v1${p}`, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body: JSON.stringify(b) });
      return { status: res.status, body: await res.json() };
    },
    [path, body],
  );
}

async function plan(page, id, deadline) {
  return act(page, id, 'plan', async (form) => {
    await form.locator('input[name="responsible"]').fill('后勤副校长');
    await form.locator('textarea[name="measures"]').fill('更换过期灭火器并补充配置');
    await form.locator('input[name="funds"]').fill('学校公用经费 2000 元');
    await typeDay(form.locator('input[name="deadline"]'), deadline);
    await form.locator('textarea[name="contingency_plan"]').fill('发现火情立即疏散并报警');
    await form.locator('textarea[name="interim_measures"]').fill('临时调配两具灭火器，专人每日检查');
  });
}

describe('hazard inspections: campaign, inspection, ledger, acceptance, escalation', () => {
  it('the county launches a campaign to its schools with the fire checklist', async () => {
    const county = await loggedIn('demo-county');
    const { page } = county;
    await page.locator('.el-menu-item[data-menu="/campaigns"]').click();
    await waitForRoute(page, '#/campaigns');
    await page.locator('[data-test="campaign-launch"]').click();
    const form = page.locator('[data-test="campaign-form"]');
    await form.waitFor();
    await form.locator('input[name="name"]').fill(kCampaignName);
    await choose(page, '[data-test="campaign-template"]', '消防安全检查');
    await page.locator('[data-test="campaign-preview"]').waitFor();
    assert.match(await page.locator('[data-test="campaign-preview"]').textContent(), /疏散通道/);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/campaigns') && r.request().method() === 'POST');
    await page.locator('[data-test="campaign-submit"]').click();
    const response = await answer;
    assert.equal(response.status(), 201, await response.text());
    const campaign = await response.json();
    campaignId = campaign.id;
    assert.equal(campaign.org_code, '410105');
    assert.ok(campaign.totals.due >= 1, `due rows: ${JSON.stringify(campaign.totals)}`);
    await waitForRoute(page, `#/campaigns/${campaignId}`);
    await page.locator('[data-test="campaign-tiles"] .tile').first().waitFor();
    const open = Number(await page.locator('[data-test="count-open"] .value').textContent());
    assert.equal(open, campaign.totals.due);
  });

  it('the county records an unannounced visit to a school of the county', async () => {
    const { page } = sessions[0];
    await page.goto(`${server.url}/#/campaigns`);
    await page.locator('[data-test="spot-check"]').click();
    const form = page.locator('[data-test="spot-form"]');
    await form.waitFor();
    await form.locator('.el-select').first().click();
    await page.locator('.el-tree-node__content:visible', { hasText: '金水区第2小学' }).first().click();
    await form.locator('.el-radio-button', { hasText: '暗访' }).click();
    await choose(page, '[data-test="spot-template"]', '用电安全');
    await page.locator('[data-test="spot-start"]').click();
    await waitForRoute(page, '#/inspections/new');
    assert.equal((await page.locator('[data-test="inspect-source"]').textContent()).trim(), '暗访');
    await page.locator('[data-test="inspect-mode"] .el-radio-button').nth(1).click();
    const items = page.locator('[data-test^="item-"][data-result]');
    const n = await items.count();
    for (let i = 0; i < n; i += 1) await items.nth(i).locator('[data-test="answer-na"]').click();
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/inspections') && r.request().method() === 'POST');
    await page.locator('[data-test="inspect-submit"]').click();
    const response = await answer;
    assert.equal(response.status(), 201, await response.text());
    const { inspection } = await response.json();
    assert.equal(inspection.source, 'unannounced');
    assert.match(inspection.school_name, /金水区第2小学/);
    assert.equal(inspection.inspector, 'demo-county');
    await page.locator('[data-test="inspect-result"]').waitFor();
  });

  it('the principal inspects on her phone, fails an item with a photo, and sees the hazard registered', async () => {
    const principal = await loggedIn('demo-principal', kPhone);
    const { page } = principal;
    await page.goto(`${server.url}/#/inspections`);
    const due = page.locator('[data-test^="due-"][data-status="open"]', { hasText: kCampaignName });
    await due.waitFor();
    await due.locator('[data-test^="due-start-"]').click();
    await waitForRoute(page, '#/inspections/new');
    await page.locator('[data-test="inspect-title"]').waitFor();
    assert.equal(await page.locator('[data-test="inspect-title"]').textContent(), kCampaignName);

    // One item per screen first: the first item, then the fast list for the rest.
    await page.locator('[data-test="item-F01"]').waitFor();
    await page.locator('[data-test="inspect-mode"] .el-radio-button').nth(1).click();
    const items = page.locator('[data-test^="item-"][data-result]');
    const n = await items.count();
    assert.ok(n >= 3, `items: ${n}`);
    let failed = null;
    for (let i = 0; i < n; i += 1) {
      const item = items.nth(i);
      const needsPhoto = (await item.locator('[data-test="photo-required"]').count()) > 0;
      if (failed === null && needsPhoto) {
        // The inspector fails it, with a photo from the camera.
        failed = await item.getAttribute('data-test');
        await item.locator('[data-test="answer-fail"]').click();
        await item.locator('[data-test="hazard-grade"] .el-radio-button').first().click();
        await item.locator('input[name="location"]').fill('教学楼二楼东侧');
        await item.locator('[data-test="photo-camera"]').setInputFiles({ name: 'f.png', mimeType: 'image/png', buffer: kPng });
        await item.locator('[data-test="photo-thumb"]').waitFor();
      } else {
        await item.locator(needsPhoto ? '[data-test="answer-na"]' : '[data-test="answer-pass"]').click();
      }
    }
    assert.ok(failed, 'an item that needs a photo');
    const progress = page.locator('[data-test="inspect-progress"]');
    assert.equal(await progress.getAttribute('data-answered'), String(n));

    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/inspections') && r.request().method() === 'POST');
    await page.locator('[data-test="inspect-submit"]').click();
    const response = await answer;
    assert.equal(response.status(), 201, await response.text());
    assert.ok(response.request().headers()['idempotency-key']);
    const created = await response.json();
    assert.equal(created.hazard_ids.length, 1);
    inspectedHazard = created.hazard_ids[0];
    await page.locator('[data-test="inspect-result"]').waitFor();
    await page.locator(`[data-test="result-hazard-${inspectedHazard}"]`).click();
    await waitForRoute(page, `#/hazards/${inspectedHazard}`);
    await page.locator('[data-test="hazard-state"][data-state="registered"]').waitFor();

    // The due is done.
    const dues = await apiGet(page, `/inspection-dues?school=${kSchool}`);
    assert.equal(dues.body.items.find((d) => d.campaign_id === campaignId).status, 'done');
  });

  it('a round that has not opened shows as 未开始 with its opening day, and cannot be started', async () => {
    const county = sessions[0].page;
    const checklists = await apiGet(county, '/checklists');
    const fire = checklists.body.items.find((c) => c.key === 'fire' && c.owner_code === null);
    const launched = await apiPost(county, '/campaigns', {
      name: '春季开学安全检查（e2e）',
      org: '410105',
      template_id: fire.id,
      cadence: 'monthly',
      starts_on: shanghaiDay(40),
      ends_on: shanghaiDay(100),
    });
    assert.equal(launched.status, 201, JSON.stringify(launched.body));

    const { page } = sessions[1];
    await page.goto(`${server.url}/#/inspections`);
    const due = page.locator('[data-test^="due-"][data-status="open"]', { hasText: '春季开学安全检查（e2e）' });
    await due.waitFor();
    assert.equal(await due.getAttribute('data-state'), 'upcoming');
    const id = (await due.getAttribute('data-test')).slice('due-'.length);
    assert.equal((await page.locator(`[data-test="due-state-${id}"]`).textContent()).trim(), '未开始');
    assert.equal((await page.locator(`[data-test="due-opens-${id}"]`).textContent()).trim(), `${shanghaiDay(40)} 起可开始检查`);
    assert.equal(await page.locator(`[data-test="due-start-${id}"]`).count(), 0);
    // Opened by its address all the same, the form says when, and offers nothing to answer.
    await page.goto(`${server.url}/#/inspections/new?due=${id}`);
    await page.locator('[data-test="inspect-not-open"]').waitFor();
    assert.match(await page.locator('[data-test="inspect-not-open"]').textContent(), new RegExp(`本轮检查 ${shanghaiDay(40)} 才开始`));
    assert.equal(await page.locator('[data-test^="item-"]').count(), 0);
  });

  it('the hazard is in the ledger; the principal plans it with a deadline and interim measures, starts and submits it', async () => {
    const { page } = sessions[1];
    await page.goto(`${server.url}/#/hazards`);
    await page.locator(`[data-test="hazard-row-${inspectedHazard}"]`).waitFor();
    assert.equal((await page.locator(`[data-test="hazard-state-${inspectedHazard}"]`).textContent()).trim(), '已登记');
    // The demo's D-grade building, out of use, heads the ledger.
    const first = page.locator('[data-test="hazards-table"] .el-table__body tr').first();
    assert.equal(await first.locator('[data-test="marker-out-of-use"]').count(), 1);
    // The year's ledger as a workbook (an XLSX is a zip: it starts with PK).
    const download = page.waitForEvent('download');
    await page.locator('[data-test="hazards-export"]').click();
    const file = await download;
    assert.equal(file.suggestedFilename(), `hazards-${kSchool}-${shanghaiDay().slice(0, 4)}.xlsx`);
    const chunks = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).subarray(0, 2).toString(), 'PK');

    await page.goto(`${server.url}/#/hazards/${inspectedHazard}`);
    await page.locator('[data-test="hazard-title"]').waitFor();
    const planned = await plan(page, inspectedHazard, shanghaiDay(7));
    assert.equal(planned.deadline, shanghaiDay(7));
    assert.equal(planned.five_in_place, true);
    await page.locator('[data-test="five-in-place"][data-complete="true"]').waitFor();
    const started = await act(page, inspectedHazard, 'start');
    assert.equal(started.state, 'rectifying');
    await page.locator('[data-test="hazard-state"][data-state="rectifying"]').waitFor();
    const submitted = await act(page, inspectedHazard, 'submit', async (form) => {
      await form.locator('[data-test="photo-camera"]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: kPng });
      await form.locator('[data-test="photo-thumb"]').waitFor();
      await form.locator('textarea[name="note"]').fill('已更换灭火器');
    });
    assert.equal(submitted.state, 'awaiting_acceptance');
    // She found it: someone else accepts.
    await page.locator('[data-test="needs-other"]').waitFor();
    assert.equal(await page.locator('[data-test="action-accept"]').count(), 0);
  });

  it('the school safety officer, not the finder, accepts the fix and the hazard closes', async () => {
    const safety = await loggedIn('demo-safety', kPhone);
    const { page } = safety;
    await page.goto(`${server.url}/#/hazards/${inspectedHazard}`);
    await page.locator('[data-test="hazard-state"][data-state="awaiting_acceptance"]').waitFor();
    const accepted = await act(page, inspectedHazard, 'accept', async (form) => {
      await form.locator('textarea[name="note"]').fill('现场复查，灭火器压力正常');
    });
    assert.equal(accepted.state, 'closed');
    assert.equal(accepted.accepted_by, 'demo-safety');
    await page.locator('[data-test="hazard-state"][data-state="closed"]').waitFor();
    const actions = await page.locator('[data-test="hazard-timeline"] [data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    for (const a of ['plan', 'start', 'submit', 'accept']) assert.ok(actions.includes(a), `timeline ${actions}`);
  });

  it('the guard reports a hazard he found from the home page of his phone', async () => {
    const guard = await loggedIn('demo-guard', kPhone);
    const { page } = guard;
    await page.locator('[data-test="home-hazard-report"] [data-test="hazard-report"]').click();
    const form = page.locator('[data-test="hazard-report-form"]');
    await form.waitFor();
    await choose(page, '[data-test="report-category"]', '消防安全');
    await form.locator('input[name="location"]').fill('食堂后门');
    await form.locator('textarea[name="description"]').fill('消防通道被杂物堵塞（e2e）');
    await form.locator('[data-test="report-grade"] .el-radio-button').first().click();
    await form.locator('[data-test="photo-camera"]').setInputFiles({ name: 'g.png', mimeType: 'image/png', buffer: kPng });
    await form.locator('[data-test="photo-thumb"]').waitFor();
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/hazards') && r.request().method() === 'POST');
    await page.locator('[data-test="report-submit"]').click();
    const response = await answer;
    assert.equal(response.status(), 201, await response.text());
    const hazard = await response.json();
    assert.equal(hazard.source, 'direct');
    assert.equal(hazard.found_by, 'demo-guard');
    assert.equal(hazard.photos.length, 1);
    await form.waitFor({ state: 'detached' });
  });

  it('a hazard past its deadline is marked overdue by the job and escalated to the county', async () => {
    const { page } = sessions[1];
    await page.goto(`${server.url}/#/hazards`);
    await page.locator('[data-test="hazard-report"]').click();
    const form = page.locator('[data-test="hazard-report-form"]');
    await form.waitFor();
    await choose(page, '[data-test="report-category"]', '冬季取暖');
    await form.locator('input[name="location"]').fill('锅炉房');
    await form.locator('textarea[name="description"]').fill('锅炉房未安装一氧化碳报警器（e2e）');
    await typeDay(form.locator('.el-date-editor input'), shanghaiDay(-3));
    await form.locator('[data-test="report-grade"] .el-radio-button').first().click();
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/hazards') && r.request().method() === 'POST');
    await page.locator('[data-test="report-submit"]').click();
    const response = await answer;
    assert.equal(response.status(), 201, await response.text());
    lateHazard = (await response.json()).id;
    await waitForRoute(page, `#/hazards/${lateHazard}`);
    await page.locator('[data-test="hazard-title"]').waitFor();

    // The deadline may not be before the day it was found: yesterday is the earliest that has passed.
    await plan(page, lateHazard, shanghaiDay(-1));
    await act(page, lateHazard, 'start');

    const escalated = await eventually(async () => {
      const h = await apiGet(page, `/hazards/${lateHazard}`);
      return h.body.overdue && h.body.supervising_level === 'county' ? h.body : null;
    }, kJobMs, 2_000);
    assert.equal(escalated.explanation_required, true);
    assert.ok(escalated.events.some((e) => e.action === 'escalated' && e.by === 'system'));
    await page.reload();
    await page.locator('[data-test="detail-escalated"]').waitFor();
    assert.match(await page.locator('[data-test="detail-escalated"]').textContent(), /县级挂牌督办/);
    await page.locator('[data-test="action-explain"]').waitFor();
  });

  it('the county sees it on its dashboard among the hazards escalated to it', async () => {
    const { page } = sessions[0];
    await page.locator('.el-menu-item[data-menu="/hazards/dashboard"]').click();
    await waitForRoute(page, '#/hazards/dashboard');
    await page.locator(`[data-test="escalated-${lateHazard}"]`).waitFor();
    assert.ok(Number(await page.locator('[data-test="figure-overdue"] .value').textContent()) >= 1);
  });

  it('the city sees the county overdue on its dashboard and, drilling down, the hazard 挂牌督办 there', async () => {
    const city = await loggedIn('demo-city');
    const { page } = city;
    await page.locator('.el-menu-item[data-menu="/hazards/dashboard"]').click();
    await waitForRoute(page, '#/hazards/dashboard');
    await page.locator('[data-test="dashboard-cards"]').waitFor();
    assert.ok(Number(await page.locator('[data-test="figure-overdue"] .value').textContent()) >= 1);
    const board = await apiGet(page, '/hazards/dashboard?org=410100');
    const jinshui = board.body.children.find((c) => c.code === '410105');
    assert.ok(jinshui.overdue >= 1, JSON.stringify(jinshui));
    // 挂牌督办 at the city itself comes only after --hazard-reescalate-days (≥ 1 day): not in this run.
    await page.locator('.el-radio-button', { hasText: '表格' }).click();
    await page.locator('[data-test="dashboard-children"] a[data-code="410105"]').click();
    await waitForRoute(page, '#/hazards/dashboard?org=410105');
    await page.locator(`[data-test="escalated-${lateHazard}"]`).waitFor();
    await page.locator(`[data-test="escalated-${lateHazard}"]`).click();
    await waitForRoute(page, `#/hazards/${lateHazard}`);
    await page.locator('[data-test="marker-escalated"]').waitFor();
  });

  it('eight days on, still overdue, it climbs to the city, which finds it among the hazards escalated to it', async () => {
    // The same database, the server restarted with its clock 8 days ahead (a test-only option):
    // the deadline job runs at start-up, so the climb is there before the server listens.
    await server.stop({ keep: true });
    server = await startServer({ dir: server.dir, env: { XIAOAN_CLOCK_OFFSET_DAYS: '8' } });
    const city = await loggedIn('demo-city');
    const { page } = city;
    const climbed = await apiGet(page, `/hazards/${lateHazard}`);
    assert.equal(climbed.body.supervising_level, 'city');
    assert.match(climbed.body.events.at(-1).note, /市级挂牌督办/);
    await page.locator('.el-menu-item[data-menu="/hazards/dashboard"]').click();
    await waitForRoute(page, '#/hazards/dashboard');
    await page.locator(`[data-test="escalated-${lateHazard}"]`).waitFor();
    // The accepted hazard stays closed whatever the date.
    const closed = await apiGet(page, `/hazards/${inspectedHazard}`);
    assert.equal(closed.body.state, 'closed');
    assert.equal(closed.body.overdue, false);
  });

  it('another county opening the hazard is told once that it is not in its jurisdiction, and it is asked for once', async () => {
    const county2 = await loggedIn('demo-county2');
    const { page, errors } = county2;
    const reads = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === `/api/v1/hazards/${lateHazard}`) reads.push(r.url());
    });
    // The page's live feed says hello when it opens; its catch-up must not read the hazard again.
    const hello = new Promise((resolve) => {
      page.on('websocket', (ws) => ws.on('framereceived', (f) => String(f.payload).includes('"hello"') && resolve()));
    });
    await page.goto(`${server.url}/#/hazards/${lateHazard}`);
    await page.locator('[data-test="hazard-missing"]').waitFor();
    await hello;
    await page.waitForTimeout(1_000);
    assert.equal((await page.locator('[data-test="hazard-missing"]').textContent()).trim(), '隐患不存在或不在您的管辖范围内');
    assert.equal(await page.locator('.el-alert').count(), 0);
    assert.equal(await page.locator('[data-test="hazard-title"]').count(), 0);
    assert.equal(reads.length, 1, reads.join(', '));
    assert.deepEqual(errors, []);
  });
});
