import { describe, expect, it } from 'vitest';
import { kFireChecklist } from '@/views/hazards/hazardFixtures';
import { buildInspection, incompleteItems, isOutOfUse, itemProblems, newForms, prefillHazard, sortFieldErrors, tally } from './inspectionForm';
import { canStart, dueState, isPastDue, roundChoices, sortDues } from './inspectionFormat';
import type { Due } from '@/api/inspections';

const [fire, exits, building] = kFireChecklist.items;

describe('inspection form', () => {
  it('asks for an answer, a required photo unless 不适用, and a failed item’s grade, location and description', () => {
    const forms = newForms(kFireChecklist);
    expect(itemProblems(fire, forms[0])).toEqual(['unanswered']);
    forms[1].result = 'pass';
    expect(itemProblems(exits, forms[1])).toEqual(['photoRequired']);
    forms[1].result = 'na';
    expect(itemProblems(exits, forms[1])).toEqual([]);
    forms[0].result = 'fail';
    expect(itemProblems(fire, forms[0])).toEqual(['gradeRequired', 'locationRequired', 'descriptionRequired']);
    prefillHazard(fire, forms[0]);
    expect(forms[0].hazard.description).toBe('灭火器在有效期内且压力正常');
    forms[0].hazard.grade = 'ordinary';
    forms[0].hazard.location = ' ';
    expect(itemProblems(fire, forms[0])).toEqual(['locationRequired']);
    expect(incompleteItems(kFireChecklist.items, forms)).toEqual([0, 2]);
    expect(tally(forms)).toEqual({ answered: 2, total: 3, pass: 0, fail: 1, na: 1 });
  });

  it('builds the body: a hazard only for a fail, the D grade only for buildings, the due only for a campaign', () => {
    const forms = newForms(kFireChecklist);
    forms[0] = { ...forms[0], result: 'fail', note: ' 二楼 ', hazard: { grade: 'ordinary', location: ' 二楼走廊 ', description: '压力不足', building_grade: 'D', fixed_at_once: true } };
    forms[1] = { ...forms[1], result: 'pass', photos: ['abc'] };
    forms[2] = { ...forms[2], result: 'fail', hazard: { grade: 'major', location: '老办公楼', description: 'D级危房', building_grade: 'D', fixed_at_once: false } };
    expect(isOutOfUse(building, forms[2])).toBe(true);
    expect(isOutOfUse(fire, forms[0])).toBe(false);
    const body = buildInspection(kFireChecklist, forms, { school: '9410105001', source: 'campaign', due_id: 7, notes: ' 总体良好 ' });
    expect(body).toEqual({
      school: '9410105001',
      template_id: 3,
      source: 'campaign',
      due_id: 7,
      notes: '总体良好',
      results: [
        { code: 'F01', result: 'fail', note: '二楼', hazard: { grade: 'ordinary', location: '二楼走廊', description: '压力不足', fixed_at_once: true } },
        { code: 'F02', result: 'pass', photos: ['abc'] },
        { code: 'B01', result: 'fail', hazard: { grade: 'major', location: '老办公楼', description: 'D级危房', building_grade: 'D' } },
      ],
    });
    expect(buildInspection(kFireChecklist, forms, { school: '9410105001', source: 'self', due_id: 7 }).due_id).toBeUndefined();
  });

  it('puts the server’s field errors on their items', () => {
    expect(sortFieldErrors([{ field: 'results[1].photos', message: '须拍照' }, { field: 'results[2]', message: 'x' }, { field: 'school', message: '不在辖区' }])).toEqual({
      form: ['school: 不在辖区'],
      items: { 1: ['须拍照'], 2: ['x'] },
    });
  });
});

describe('inspection dues', () => {
  const due = (id: number, status: Due['status'], due_on: string): Due => ({ id, campaign_id: 1, campaign_name: 'c', template_id: 3, template_name: 't', round: 1, opens_on: '2026-11-01', due_on, status, inspection_id: null, upcoming: false });

  it('lists open dues first by due date, then the rest newest first', () => {
    const list = [due(1, 'done', '2026-11-10'), due(2, 'open', '2026-12-05'), due(3, 'missed', '2026-11-20'), due(4, 'open', '2026-11-30')];
    expect(sortDues(list).map((d) => d.id)).toEqual([4, 2, 3, 1]);
  });

  it('marks an open due past its last day, and not a done one', () => {
    expect(isPastDue(due(1, 'open', '2026-11-27'), '2026-11-28')).toBe(true);
    expect(isPastDue(due(1, 'open', '2026-11-28'), '2026-11-28')).toBe(false);
    expect(isPastDue(due(1, 'late', '2026-11-27'), '2026-11-28')).toBe(false);
  });

  it('keeps a round not yet open from being started, and lists it after the ones that can be', () => {
    const upcoming: Due = { ...due(5, 'open', '2027-01-31'), opens_on: '2027-01-01', upcoming: true };
    expect(canStart(upcoming)).toBe(false);
    expect(canStart(due(4, 'open', '2026-11-27'))).toBe(true); // past due: done late
    expect(canStart(due(1, 'done', '2026-11-10'))).toBe(false);
    expect(dueState(upcoming, '2026-11-28')).toBe('upcoming');
    expect(dueState(due(4, 'open', '2026-11-27'), '2026-11-28')).toBe('pastDue');
    expect(dueState(due(2, 'open', '2026-12-05'), '2026-11-28')).toBe('open');
    expect(dueState(due(3, 'missed', '2026-11-20'), '2026-11-28')).toBe('missed');
    const list = [upcoming, due(1, 'done', '2026-11-10'), due(2, 'open', '2026-12-05'), due(4, 'open', '2027-02-05')];
    expect(sortDues(list).map((d) => d.id)).toEqual([2, 4, 5, 1]);
  });

  it('offers the rounds newest first', () => {
    expect(roundChoices(3)).toEqual([3, 2, 1]);
    expect(roundChoices(0)).toEqual([]);
  });
});
