import { describe, expect, it } from 'vitest';
import { allowedSteps, consoleOrder, elapsedSeconds, formatElapsed, isEscalated, mergeAlarm, raisedBy, stepBy } from './alarmFormat';
import { alarmWith, kSchoolCode } from './alarmFixtures';

describe('alarm format', () => {
  it('counts the time since the press, or until the close', () => {
    const a = alarmWith({ pressed_at: '2026-11-30T09:00:00+08:00' });
    expect(elapsedSeconds(a, Date.parse('2026-11-30T09:00:42+08:00'))).toBe(42);
    expect(elapsedSeconds(a, Date.parse('2026-11-30T08:59:00+08:00'))).toBe(0);
    const closed = alarmWith({ status: 'closed', closed_at: '2026-11-30T10:02:03+08:00' });
    expect(elapsedSeconds(closed, Date.parse('2026-12-01T00:00:00+08:00'))).toBe(3723);
  });

  it('names who raised it: an alarm host or device by its name, a person by the username', () => {
    const host = alarmWith({ source: 'ingest', raised_by: 'source:1', raised_by_name: '报警主机1' });
    expect(raisedBy(host)).toBe('报警主机1');
    expect(stepBy(host, 'source:1')).toBe('报警主机1');
    expect(stepBy(host, 'demo-county')).toBe('demo-county');
    expect(raisedBy(alarmWith({ raised_by: 'demo-guard', raised_by_name: null }))).toBe('demo-guard');
    // A source since deleted from the answer keeps its reference rather than nothing.
    expect(raisedBy(alarmWith({ source: 'ingest', raised_by: 'source:9', raised_by_name: null }))).toBe('source:9');
  });

  it('writes minutes and seconds, and hours when there are any', () => {
    expect(formatElapsed(0)).toBe('00:00');
    expect(formatElapsed(59)).toBe('00:59');
    expect(formatElapsed(60)).toBe('01:00');
    expect(formatElapsed(3599)).toBe('59:59');
    expect(formatElapsed(3600)).toBe('1:00:00');
    expect(formatElapsed(90_061)).toBe('25:01:01');
  });

  it('lists raised alarms first, real before exercises, then by priority, newest first, closed last', () => {
    const list = [
      alarmWith({ id: 1, status: 'closed' }),
      alarmWith({ id: 2, status: 'acknowledged' }),
      alarmWith({ id: 3, kind: 'drill' }),
      alarmWith({ id: 4, priority: 2 }),
      alarmWith({ id: 5 }),
      alarmWith({ id: 6 }),
    ];
    expect([...list].sort(consoleOrder).map((a) => a.id)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('takes an update from the feed unless it already holds a later state, and keeps the steps it read', () => {
    const steps = [{ step: 'raised' as const, at: '2026-11-30T09:00:00+08:00', by: 'demo-guard', note: '' }];
    const list = [alarmWith({ id: 1, status: 'acknowledged', steps }), alarmWith({ id: 2 })];
    const late = mergeAlarm(list, alarmWith({ id: 1, status: 'raised', level: 'city' }));
    expect(late[0].status).toBe('acknowledged');
    const on = mergeAlarm(list, alarmWith({ id: 1, status: 'dispatched' }));
    expect(on[0]).toMatchObject({ status: 'dispatched', steps });
    const climbed = mergeAlarm(list, alarmWith({ id: 2, level: 'city' }));
    expect(isEscalated(climbed[1])).toBe(true);
    expect(mergeAlarm(list, alarmWith({ id: 9 })).map((a) => a.id)).toEqual([9, 1, 2]);
    expect(list.map((a) => a.status)).toEqual(['acknowledged', 'raised']);
  });

  it('lets handlers take any later step, and other staff close only their own school’s exercise', () => {
    const raised = alarmWith({});
    expect(allowedSteps(raised, { role: 'bureau_safety_officer', org_code: '410105' })).toEqual(['acknowledged', 'dispatched', 'on_scene', 'closed']);
    expect(allowedSteps(alarmWith({ status: 'dispatched' }), { role: 'principal', org_code: kSchoolCode })).toEqual(['on_scene', 'closed']);
    expect(allowedSteps(raised, { role: 'bureau_leader', org_code: '410105' })).toEqual([]);
    expect(allowedSteps(raised, { role: 'guard', org_code: kSchoolCode })).toEqual([]);
    expect(allowedSteps(alarmWith({ kind: 'test' }), { role: 'guard', org_code: kSchoolCode })).toEqual(['closed']);
    expect(allowedSteps(alarmWith({ kind: 'drill' }), { role: 'guard', org_code: '9410105002' })).toEqual([]);
    expect(allowedSteps(alarmWith({ status: 'closed' }), { role: 'bureau_admin', org_code: '410105' })).toEqual([]);
    expect(allowedSteps(raised, null)).toEqual([]);
  });
});
