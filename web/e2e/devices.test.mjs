// Device status against the real server: the county officer opens 设备状态 from the menu, sees
// the county's networked rate as the API gives it, drills down to the showcase school and finds
// its three GB/T 28181 devices (the ledger's devices with a national id), unknown right after the
// start since none has registered yet; the four-100% page links the county's telemetry there.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, demoPassword, eventually, launchBrowser, login, newPage, startServer, waitForRoute } from './support.mjs';

const kSchool = '9410105001';
const kCounty = '410105';
const kDeviceIds = ['41010500001310000002', '41010500001310000003', '41010500001340000001'];

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

describe('device status', () => {
  it('the county officer sees the networked rate and drills down to the school’s three devices', async () => {
    const { page, context, errors } = await newPage(chrome.browser);
    await login(page, server.url, 'demo-county', demoPassword);
    await waitForRoute(page, '#/');
    await page.locator('.el-menu-item[data-menu="/devices"]').click();
    await waitForRoute(page, '#/devices');

    const county = await apiGet(page, `/device-networking?org=${kCounty}`);
    assert.equal(county.status, 200);
    assert.ok(county.body.unit.expected >= 3);
    const all = page.locator('[data-test="network-all"]');
    await eventually(async () => (await all.getAttribute('data-expected')) === String(county.body.unit.expected));
    assert.equal(await all.getAttribute('data-online'), String(county.body.unit.online));
    assert.equal(await page.locator('[data-test="network-alarm"]').getAttribute('data-expected'), String(county.body.unit.alarm.expected));
    assert.equal(await page.locator('[data-test="network-video"]').getAttribute('data-expected'), String(county.body.unit.video.expected));

    await page.locator(`[data-test="network-children"] a[data-code="${kSchool}"]`).click();
    await waitForRoute(page, `#/devices?org=${kSchool}`);
    const school = await apiGet(page, `/device-networking?org=${kSchool}`);
    assert.deepEqual([school.body.unit.alarm.expected, school.body.unit.video.expected], [1, 2]);
    await eventually(async () => (await page.locator('[data-test="network-all"]').getAttribute('data-expected')) === '3');

    const ids = page.locator('[data-test="device-table"] [data-test="device-id"]');
    await eventually(async () => (await ids.count()) === 3);
    assert.deepEqual((await ids.allTextContents()).map((s) => s.trim()).sort(), kDeviceIds);
    const statuses = await page.locator('[data-test="device-table"] [data-test="device-status"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    const api = await apiGet(page, `/devices?org=${kSchool}`);
    assert.deepEqual(statuses.sort(), api.body.items.map((d) => d.status).sort());
    assert.deepEqual(statuses, ['unknown', 'unknown', 'unknown'], 'no device has registered since the start');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the four-100% page shows the county’s telemetry beside the alarm-and-video item, linking to the device page', async () => {
    const { page, context, errors } = await newPage(chrome.browser);
    await login(page, server.url, 'demo-county', demoPassword);
    await waitForRoute(page, '#/');
    await page.locator('.el-menu-item[data-menu="/compliance"]').click();
    await waitForRoute(page, '#/compliance');
    const link = page.locator('[data-test="rate-alarm_video"] [data-test="telemetry"]');
    await link.waitFor();
    const county = await apiGet(page, `/device-networking?org=${kCounty}`);
    assert.match(await link.textContent(), new RegExp(`设备在线联网率 .*（在线 ${county.body.unit.online}/应联网 ${county.body.unit.expected}）`));
    await link.click();
    await waitForRoute(page, `#/devices?org=${kCounty}`);
    await page.locator('[data-test="network-all"]').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
