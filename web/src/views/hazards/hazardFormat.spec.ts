import { describe, expect, it } from 'vitest';
import {
  acceptanceNeedsOther,
  allowedActions,
  daysLeft,
  deadlineDisabler,
  figuresBarOption,
  fiveInPlace,
  formatDays,
  levelOfCode,
  planChanges,
  planFrom,
  sortFigures,
  sortHazards,
  startBlockers,
} from './hazardFormat';
import { figuresWith, hazardWith, kSchoolCode } from './hazardFixtures';
import type { HazardActor } from './hazardFormat';

const principal: HazardActor = { role: 'principal', org_code: kSchoolCode, username: 'demo-principal' };
const safety: HazardActor = { role: 'school_safety_officer', org_code: kSchoolCode, username: 'demo-safety' };
const secretary: HazardActor = { role: 'party_secretary', org_code: kSchoolCode, username: 'demo-secretary' };
const guard: HazardActor = { role: 'guard', org_code: kSchoolCode, username: 'demo-guard' };
const county: HazardActor = { role: 'bureau_safety_officer', org_code: '410105', username: 'demo-county' };
const city: HazardActor = { role: 'bureau_safety_officer', org_code: '410100', username: 'demo-city' };
const otherSchool: HazardActor = { role: 'principal', org_code: '9410105002', username: 'p2' };

describe('hazard format', () => {
  it('lists what each state allows the school’s leaders, in order', () => {
    expect(allowedActions(hazardWith({ state: 'registered' }), principal)).toEqual(['plan', 'start', 'fix_now']);
    expect(allowedActions(hazardWith({ state: 'registered', grade: 'major' }), principal)).toEqual(['plan', 'start']);
    expect(allowedActions(hazardWith({ state: 'rectifying' }), secretary)).toEqual(['plan', 'submit']);
    expect(allowedActions(hazardWith({ state: 'closed', explanation_required: true }), principal)).toEqual([]);
    expect(allowedActions(hazardWith({ state: 'rectifying', explanation_required: true }), principal)).toEqual(['plan', 'submit', 'explain']);
    expect(allowedActions(hazardWith({ state: 'registered' }), guard)).toEqual([]);
    expect(allowedActions(hazardWith({ state: 'registered' }), otherSchool)).toEqual([]);
    expect(allowedActions(hazardWith({}), null)).toEqual([]);
  });

  it('lets someone other than the finder accept: the principal, the safety officer or a bureau officer, not the Party secretary', () => {
    const waiting = hazardWith({ state: 'awaiting_acceptance', found_by: 'demo-principal' });
    expect(allowedActions(waiting, principal)).toEqual([]);
    expect(acceptanceNeedsOther(waiting, principal)).toBe(true);
    expect(allowedActions(waiting, safety)).toEqual(['accept', 'reject']);
    expect(acceptanceNeedsOther(waiting, safety)).toBe(false);
    expect(allowedActions(waiting, secretary)).toEqual([]);
    expect(allowedActions(waiting, county)).toEqual(['accept', 'reject']);
    expect(allowedActions(waiting, { ...county, role: 'bureau_leader' })).toEqual([]);
  });

  it('lets only the bureau at the supervising level write a supervision note', () => {
    const atCounty = hazardWith({ state: 'rectifying', overdue: true, supervising_level: 'county', explanation_required: true });
    expect(allowedActions(atCounty, county)).toEqual(['supervise']);
    expect(allowedActions(atCounty, city)).toEqual([]);
    expect(allowedActions({ ...atCounty, supervising_level: 'city' }, city)).toEqual(['supervise']);
    expect(allowedActions(hazardWith({ state: 'rectifying' }), county)).toEqual([]);
  });

  it('tells the level of a unit from its code', () => {
    expect(levelOfCode('410000')).toBe('province');
    expect(levelOfCode('410100')).toBe('city');
    expect(levelOfCode('419001')).toBe('city');
    expect(levelOfCode('410105')).toBe('county');
    expect(levelOfCode('9410105001')).toBe('school');
  });

  it('names what a start still lacks: the five for a major hazard, interim measures and a deadline unless fixed at once', () => {
    expect(startBlockers(hazardWith({ grade: 'major' }))).toEqual(['responsible', 'measures', 'funds', 'deadline', 'contingency_plan', 'interim_measures']);
    const five = { responsible: '王校长', measures: '更换', funds: '5000 元', deadline: '2026-12-10', contingency_plan: '疏散' };
    expect(startBlockers(hazardWith({ grade: 'major', ...five }))).toEqual(['interim_measures']);
    expect(startBlockers(hazardWith({ grade: 'major', ...five, interim_measures: '警戒线' }))).toEqual([]);
    expect(startBlockers(hazardWith({}))).toEqual(['interim_measures', 'deadline']);
    expect(startBlockers(hazardWith({ fixed_at_once: true }))).toEqual([]);
    expect(fiveInPlace(hazardWith({ responsible: ' ', measures: 'x' }))).toEqual({ responsible: false, measures: true, funds: false, deadline: false, contingency_plan: false });
  });

  it('sends only the plan fields that changed, trimmed', () => {
    const h = hazardWith({ responsible: '王校长', deadline: '2026-12-10' });
    const before = planFrom(h);
    expect(before).toEqual({ responsible: '王校长', measures: '', funds: '', deadline: '2026-12-10', contingency_plan: '', interim_measures: '' });
    expect(planChanges(before, { ...before, measures: '  更换灭火器 ', responsible: '王校长 ' })).toEqual({ measures: '更换灭火器' });
    expect(planChanges(before, before)).toEqual({});
  });

  it('orders a list as the server does: out of use, then overdue, then newest', () => {
    const list = [hazardWith({ id: 1 }), hazardWith({ id: 2, overdue: true }), hazardWith({ id: 3 }), hazardWith({ id: 4, out_of_use: true, grade: 'major' })];
    expect(sortHazards(list).map((h) => h.id)).toEqual([4, 2, 3, 1]);
    expect(list.map((h) => h.id)).toEqual([1, 2, 3, 4]);
  });

  it('counts days to the deadline across months, and none without one', () => {
    expect(daysLeft('2026-12-01', '2026-11-28')).toBe(3);
    expect(daysLeft('2026-11-28', '2026-11-28')).toBe(0);
    expect(daysLeft('2026-11-27', '2026-11-28')).toBe(-1);
    expect(daysLeft('2027-01-01', '2026-12-31')).toBe(1);
    expect(daysLeft(null, '2026-11-28')).toBeNull();
  });

  it('allows no deadline before the day the hazard was found (in Shanghai)', () => {
    const disabled = deadlineDisabler('2026-11-27T23:30:00+08:00');
    expect(disabled(new Date(2026, 10, 26))).toBe(true);
    expect(disabled(new Date(2026, 10, 27))).toBe(false);
    expect(disabled(new Date(2026, 10, 30))).toBe(false);
  });

  it('writes median days with at most one decimal', () => {
    expect(formatDays(null)).toBe('—');
    expect(formatDays(3)).toBe('3');
    expect(formatDays(3.25)).toBe('3.3');
  });

  it('charts the child units with the most open hazards first, the code in each bar', () => {
    const children = sortFigures([figuresWith('410105', '金水区', 'county', { open: 2 }), figuresWith('410102', '中原区', 'county', { open: 5, overdue: 1 }), figuresWith('410103', '二七区', 'county', { open: 2, overdue: 1 })]);
    expect(children.map((c) => c.code)).toEqual(['410102', '410103', '410105']);
    const option = figuresBarOption(children, { open: '未销号', overdue: '逾期', major: '重大隐患', out_of_use: '停用' }) as { series: { name: string; data: { value: number; code: string }[] }[]; xAxis: { data: string[] } };
    expect(option.series.map((s) => s.name)).toEqual(['未销号', '逾期', '重大隐患', '停用']);
    expect(option.series[0].data).toEqual([{ value: 5, code: '410102' }, { value: 2, code: '410103' }, { value: 2, code: '410105' }]);
    expect(option.xAxis.data).toEqual(['中原区', '二七区', '金水区']);
  });
});
