// Alarms as the server sends them, for the specs of the alarm pages.
import type { Alarm, UnitAlarmFigures } from '@/api/alarms';

export const kSchoolCode = '9410105001';
export const kSchoolName = '【演示】金水区第1小学';

export function alarmWith(overrides: Partial<Alarm> = {}): Alarm {
  return {
    id: 1,
    school: { code: kSchoolCode, name: kSchoolName },
    county_code: '410105',
    source: 'button',
    device_id: null,
    kind: 'real',
    priority: 1,
    pressed_at: '2026-11-30T09:00:00+08:00',
    received_at: '2026-11-30T09:00:00+08:00',
    location: '东门',
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
    ...overrides,
  };
}

export function figures(code: string, name: string, level: UnitAlarmFigures['org']['level'], overrides: Partial<UnitAlarmFigures> = {}): UnitAlarmFigures {
  return {
    org: { code, name, level },
    schools: 10,
    real: 4,
    false_alarms: 1,
    false_rate: 0.25,
    tests: 6,
    drills: 1,
    schools_tested: 5,
    test_coverage: 0.5,
    ack_p50_seconds: 75,
    ...overrides,
  };
}
