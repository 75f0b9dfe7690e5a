import { describe, expect, it, vi } from 'vitest';
import { getNetworking, listDevices } from './devices';
import { ApiError } from './http';
import { fakeServer, json, problem } from '@/testing/fakeServer';
import { deviceWith, figuresOf } from '@/views/devices/deviceFixtures';

function serve(routes: Parameters<typeof fakeServer>[0]) {
  const server = fakeServer(routes);
  vi.stubGlobal('fetch', server.fetch);
  return server;
}

const params = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

describe('devices API', () => {
  it('lists the devices of a unit with the status filter and paging, leaving an empty filter out', async () => {
    const server = serve({ 'GET /api/v1/devices': () => json({ items: [deviceWith({})], total: 1, page: 1, page_size: 20 }) });
    const page = await listDevices({ org: '410105', status: 'offline', page: 2, page_size: 20 });
    expect(page.items[0].national_id).toBe('41010500001340000001');
    expect(params(server.seen[0].url)).toEqual({ org: '410105', status: 'offline', page: '2', page_size: '20' });
    await listDevices({ org: '410105', status: '' });
    expect(params(server.seen[1].url)).toEqual({ org: '410105' });
  });

  it('reads the networked rate of a unit and its children', async () => {
    const unit = figuresOf('410105', '金水区', 'county', [1, 2], [0, 4]);
    const server = serve({ 'GET /api/v1/device-networking': () => json({ unit, children: [] }) });
    const n = await getNetworking('410105');
    expect(n.unit.alarm.rate).toBe(0.5);
    expect(n.unit.video.rate).toBe(0);
    expect(params(server.seen[0].url)).toEqual({ org: '410105' });
  });

  it('hands a unit outside the jurisdiction back as a typed denial', async () => {
    serve({ 'GET /api/v1/device-networking': () => problem(403, 'forbidden') });
    const e = (await getNetworking('410102').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 403, code: 'forbidden' });
  });
});
