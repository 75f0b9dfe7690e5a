// Devices and networking figures as the server answers them, for the specs.
import type { Device, NetworkFigures } from '@/api/devices';
import type { OrgLevel } from '@/api/org';

export const kSchoolCode = '9410105001';

export function deviceWith(overrides: Partial<Device>): Device {
  return {
    national_id: '41010500001340000001',
    school_code: kSchoolCode,
    kind: 'alarm',
    name: '一键报警主机',
    location: '门卫室',
    status: 'unknown',
    status_since: '2026-11-30T08:00:00+08:00',
    last_seen: null,
    registered_until: null,
    transport: null,
    address: null,
    channels: null,
    expected_channels: 1,
    ...overrides,
  };
}

const rate = (online: number, expected: number) => (expected === 0 ? null : online / expected);

/** Figures of one unit from its alarm and video counts; the rest of the devices are unknown. */
export function figuresOf(code: string, name: string, level: OrgLevel, alarm: [number, number], video: [number, number], offline = 0): NetworkFigures {
  const online = alarm[0] + video[0];
  const expected = alarm[1] + video[1];
  return {
    org: { code, name, level },
    expected,
    online,
    offline,
    unknown: expected - online - offline,
    rate: rate(online, expected),
    alarm: { online: alarm[0], expected: alarm[1], rate: rate(alarm[0], alarm[1]) },
    video: { online: video[0], expected: video[1], rate: rate(video[0], video[1]) },
  };
}
