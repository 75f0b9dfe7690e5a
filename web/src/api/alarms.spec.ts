import { describe, expect, it, vi } from 'vitest';
import {
  advanceAlarm,
  createAlarmSource,
  downloadAlarms,
  getAlarm,
  getAlarmStats,
  listAlarms,
  raiseAlarm,
  revokeAlarmSource,
  type Alarm,
} from './alarms';
import { ApiError } from './http';
import { fakeServer, json, problem } from '@/testing/fakeServer';

const kAlarm: Alarm = {
  id: 7,
  school: { code: '9410105001', name: '【演示】金水区第1小学' },
  county_code: '410105',
  source: 'button',
  device_id: null,
  kind: 'real',
  priority: 1,
  pressed_at: '2026-11-30T09:00:00+08:00',
  received_at: '2026-11-30T09:00:00+08:00',
  location: '',
  description: '',
  status: 'raised',
  level: 'county',
  escalate_at: '2026-11-30T09:02:00+08:00',
  acknowledged_at: null,
  acknowledged_by: null,
  dispatched_at: null,
  on_scene_at: null,
  closed_at: null,
  outcome: null,
  raised_by: 'demo-guard',
  raised_by_name: null,
};

function serve(routes: Parameters<typeof fakeServer>[0]) {
  const server = fakeServer(routes);
  vi.stubGlobal('fetch', server.fetch);
  return server;
}

const params = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

describe('alarms API', () => {
  it('raises an alarm with the kind and answers the stored alarm', async () => {
    const server = serve({ 'POST /api/v1/alarms': () => json(kAlarm, 201) });
    await expect(raiseAlarm({ kind: 'drill', location: '东门' })).resolves.toEqual(kAlarm);
    expect(JSON.parse(server.seen[0].body!)).toEqual({ kind: 'drill', location: '东门' });
  });

  it('lists with the filters it is given and leaves the empty ones out', async () => {
    const server = serve({ 'GET /api/v1/alarms': () => json({ items: [kAlarm], total: 1, page: 2, page_size: 20 }) });
    const page = await listAlarms({ org: '410105', status: 'open', kind: '', from: '2026-11-01', page: 2, page_size: 20 });
    expect(page.items[0].id).toBe(7);
    expect(params(server.seen[0].url)).toEqual({ org: '410105', status: 'open', from: '2026-11-01', page: '2', page_size: '20' });
  });

  it('reads one alarm, moves it on and asks for the figures', async () => {
    const server = serve({
      'GET /api/v1/alarms/7': () => json({ ...kAlarm, steps: [{ step: 'raised', at: kAlarm.pressed_at, by: 'demo-guard', note: '' }] }),
      'POST /api/v1/alarms/7/steps': () => json({ ...kAlarm, status: 'closed', outcome: 'false_alarm' }),
      'GET /api/v1/alarm-stats': () => json({ from: '2026-11-01', to: '2026-11-30', unit: {}, children: [] }),
    });
    expect((await getAlarm(7)).steps).toHaveLength(1);
    await advanceAlarm(7, { status: 'closed', outcome: 'false_alarm', note: '误触' });
    expect(JSON.parse(server.seen[1].body!)).toEqual({ status: 'closed', outcome: 'false_alarm', note: '误触' });
    await getAlarmStats('410105', { from: '2026-11-01' });
    expect(params(server.seen[2].url)).toEqual({ org: '410105', from: '2026-11-01' });
  });

  it('hands a step out of order back as a typed conflict', async () => {
    serve({ 'POST /api/v1/alarms/7/steps': () => problem(409, 'alarm_step_out_of_order') });
    const e = (await advanceAlarm(7, { status: 'acknowledged' }).catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 409, code: 'alarm_step_out_of_order' });
  });

  it('downloads the history with the filters and the file name the server gives', async () => {
    const server = serve({
      'GET /api/v1/alarms.xlsx': () => new Response('xlsx', { headers: { 'Content-Disposition': 'attachment; filename="alarms-410105.xlsx"' } }),
    });
    const file = await downloadAlarms({ org: '410105', kind: 'test' });
    expect(file.filename).toBe('alarms-410105.xlsx');
    expect(params(server.seen[0].url)).toEqual({ org: '410105', kind: 'test' });
  });

  it('creates a source by name and revokes it with DELETE', async () => {
    const source = { id: 3, school_code: '9410105001', name: '门卫报警主机', created_by: 'demo-principal', created_at: '', revoked_at: null, last_used_at: null };
    const server = serve({
      'POST /api/v1/schools/9410105001/alarm-sources': () => json({ ...source, key: '3.secret' }, 201),
      'DELETE /api/v1/schools/9410105001/alarm-sources/3': () => json({ ...source, revoked_at: '2026-11-30T10:00:00+08:00' }),
    });
    expect((await createAlarmSource('9410105001', '门卫报警主机')).key).toBe('3.secret');
    expect(JSON.parse(server.seen[0].body!)).toEqual({ name: '门卫报警主机' });
    expect((await revokeAlarmSource('9410105001', 3)).revoked_at).not.toBeNull();
    expect(server.seen[1].method).toBe('DELETE');
  });
});
