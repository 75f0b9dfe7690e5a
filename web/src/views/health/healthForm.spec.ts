import { describe, expect, it } from 'vitest';
import { kSymptoms, type SchoolClass } from '@/api/health';
import { buildReport, buildZeroReport, checkReport, defaultSession, formFromReport, newCase, onsetDayAllowed, presentFrom, recordsAnybody, sessionsFor, sortFieldErrors, toggleSymptom, typicalAge, type CaseForm } from './healthForm';
import type { HealthCheck } from '@/api/health';

const kClass: SchoolClass = { id: 7, grade: 1, name: '一年级1班', enrolment: 45, boarding: false, active: true };

/** A Shanghai wall-clock instant, whatever the test machine's zone. */
function at(time: string): Date {
  return new Date(`2026-11-30T${time}+08:00`);
}

function filled(overrides: Partial<CaseForm> = {}): CaseForm {
  return { ...newCase(1, true), student_no: '2026001', sex: 'male', age: 7, symptoms: ['fever'], ...overrides };
}

describe('defaultSession', () => {
  it.each([
    ['00:00:00', false, 'morning'],
    ['07:40:00', false, 'morning'],
    ['11:29:59', false, 'morning'],
    ['11:30:00', false, 'noon'],
    ['17:59:00', true, 'noon'],
    ['18:00:00', true, 'evening'],
    ['18:00:00', false, 'noon'],
    ['23:59:00', true, 'evening'],
    ['23:59:00', false, 'noon'],
  ] as const)('at %s (boarding %s) offers %s', (time, boarding, expected) => {
    expect(defaultSession(at(time), boarding)).toBe(expected);
  });

  it('reads Shanghai time, not the browser zone: 03:29 UTC is 11:29 in Shanghai', () => {
    expect(defaultSession(new Date('2026-11-30T03:29:00Z'), false)).toBe('morning');
    expect(defaultSession(new Date('2026-11-30T03:30:00Z'), false)).toBe('noon');
  });

  it('offers the evening check to boarding classes only', () => {
    expect(sessionsFor(false)).toEqual(['morning', 'noon']);
    expect(sessionsFor(true)).toEqual(['morning', 'noon', 'evening']);
  });
});

describe('report bodies', () => {
  it('builds the zero report: everybody present, nobody absent, no cases', () => {
    expect(buildZeroReport(kClass, '2026-11-30', 'morning')).toEqual({
      class_id: 7,
      date: '2026-11-30',
      session: 'morning',
      enrolled: 45,
      present: 45,
      absent_ill: 0,
      absent_other: 0,
      cases: [],
    });
  });

  it('builds a report with cases: trimmed text, empty optional fields as null, onset in Shanghai time', () => {
    const absent = filled({ student_no: ' 2026001 ', name: '  ', diagnosis: ' 流感 ', onset: '2026-11-29 20:15', doctor_visit: true });
    const present = filled({ student_no: '2026002', name: '李小红', sex: 'female', age: 6, absent: false, symptoms: ['cough', 'fever'], dormitory_id: 3, suspected_notifiable: true });
    const body = buildReport(kClass, '2026-11-30', 'noon', { present: 43, absent_ill: 1, absent_other: 1 }, [absent, present]);
    expect(body).toEqual({
      class_id: 7,
      date: '2026-11-30',
      session: 'noon',
      enrolled: 45,
      present: 43,
      absent_ill: 1,
      absent_other: 1,
      cases: [
        {
          student_no: '2026001',
          name: null,
          sex: 'male',
          age: 7,
          symptoms: ['fever'],
          absent: true,
          doctor_visit: true,
          diagnosis: '流感',
          suspected_notifiable: false,
          onset_at: '2026-11-29T20:15:00+08:00',
        },
        {
          student_no: '2026002',
          name: '李小红',
          sex: 'female',
          age: 6,
          dormitory_id: 3,
          symptoms: ['cough', 'fever'],
          absent: false,
          doctor_visit: false,
          diagnosis: null,
          suspected_notifiable: true,
        },
      ],
    });
    // Keys the contract forbids never travel (additionalProperties: false).
    expect(Object.keys(body.cases![0])).not.toContain('key');
    expect(Object.keys(body.cases![0])).not.toContain('onset');
  });

  it('keeps symptoms in the fixed order whatever the order of taps', () => {
    let s = toggleSymptom([], 'rash', kSymptoms);
    s = toggleSymptom(s, 'fever', kSymptoms);
    s = toggleSymptom(s, 'cough', kSymptoms);
    expect(s).toEqual(['fever', 'cough', 'rash']);
    expect(toggleSymptom(s, 'cough', kSymptoms)).toEqual(['fever', 'rash']);
  });

  it('guesses an age from the grade and takes absences from the enrolment', () => {
    expect([typicalAge(0), typicalAge(1), typicalAge(9), typicalAge(12)]).toEqual([5, 7, 15, 18]);
    expect(presentFrom(45, 2, 1)).toBe(42);
    expect(presentFrom(3, 2, 5)).toBe(0);
  });
});

describe('checkReport', () => {
  it('accepts counts that add up with one card per pupil absent through illness', () => {
    expect(checkReport(45, { present: 43, absent_ill: 1, absent_other: 1 }, [filled(), filled({ student_no: '2', absent: false })])).toEqual([]);
    expect(checkReport(45, { present: 45, absent_ill: 0, absent_other: 0 }, [])).toEqual([]);
  });

  it('refuses counts that do not add up to the enrolment, either way', () => {
    expect(checkReport(45, { present: 44, absent_ill: 0, absent_other: 0 }, [])).toEqual([{ key: 'countsMismatch', params: { enrolled: 45, sum: 44 } }]);
    expect(checkReport(45, { present: 45, absent_ill: 0, absent_other: 1 }, [])).toEqual([{ key: 'countsMismatch', params: { enrolled: 45, sum: 46 } }]);
  });

  it('wants exactly as many absent cards as pupils absent through illness', () => {
    expect(checkReport(45, { present: 43, absent_ill: 2, absent_other: 0 }, [filled()])).toEqual([{ key: 'absentCards', params: { absent: 2, cards: 1 } }]);
    // A present pupil with symptoms does not count as absent.
    expect(checkReport(45, { present: 44, absent_ill: 1, absent_other: 0 }, [filled({ absent: false })])).toEqual([{ key: 'absentCards', params: { absent: 1, cards: 0 } }]);
  });

  it('places card problems on the card and field', () => {
    const cards = [
      filled({ student_no: ' ', sex: '', age: 1 }),
      filled({ student_no: '9', absent: false, symptoms: [] }),
      filled({ student_no: '9', age: 26 }),
      filled({ student_no: '10', age: null }),
    ];
    expect(checkReport(45, { present: 41, absent_ill: 3, absent_other: 1 }, cards)).toEqual([
      { key: 'studentNoRequired', index: 0, field: 'student_no' },
      { key: 'sexRequired', index: 0, field: 'sex' },
      { key: 'ageRange', index: 0, field: 'age' },
      { key: 'symptomRequired', index: 1, field: 'symptoms' },
      { key: 'studentNoTwice', params: { no: '9' }, index: 2, field: 'student_no' },
      { key: 'ageRange', index: 2, field: 'age' },
      { key: 'ageRange', index: 3, field: 'age' },
    ]);
  });

  it('takes a diagnosis in place of symptoms for a pupil at school, as the server does', () => {
    expect(checkReport(45, { present: 45, absent_ill: 0, absent_other: 0 }, [filled({ absent: false, symptoms: [], diagnosis: '水痘' })])).toEqual([]);
    expect(checkReport(45, { present: 45, absent_ill: 0, absent_other: 0 }, [filled({ absent: false, symptoms: [], diagnosis: '  ' })])).toEqual([
      { key: 'symptomRequired', index: 0, field: 'symptoms' },
    ]);
  });

  it('accepts the age bounds 2 and 25', () => {
    expect(checkReport(2, { present: 0, absent_ill: 2, absent_other: 0 }, [filled({ age: 2 }), filled({ student_no: 'b', age: 25 })])).toEqual([]);
  });
});

describe('sortFieldErrors', () => {
  it('puts case errors on their card in any path style, and the rest on the report', () => {
    const sorted = sortFieldErrors([
      { field: 'cases[1].age', message: 'must be 2 to 25' },
      { field: 'cases.0.student_no', message: 'required' },
      { field: '/cases/1/symptoms/0', message: 'unknown symptom' },
      { field: 'cases[1].age', message: 'whole number' },
      { field: 'present', message: 'enrolled must equal present + absent' },
      { field: 'cases', message: 'too many' },
    ]);
    expect(sorted).toEqual({
      report: { present: 'enrolled must equal present + absent', cases: 'too many' },
      cases: {
        0: { student_no: 'required' },
        1: { age: 'must be 2 to 25; whole number', symptoms: 'unknown symptom' },
      },
    });
  });
});

describe('correcting a stored report', () => {
  const report: HealthCheck = {
    id: 5,
    school_code: '9410105001',
    class_id: 7,
    class_name: '一年级1班',
    date: '2026-11-30',
    session: 'noon',
    version: 1,
    enrolled: 45,
    present: 43,
    absent_ill: 1,
    absent_other: 1,
    cases: [
      { id: 1, student_no: '2026001', name: null, sex: 'female', age: 7, symptoms: ['fever', 'cough'], onset_at: '2026-11-29T12:15:00Z', absent: true, doctor_visit: true, diagnosis: '流感', suspected_notifiable: false },
      { id: 2, student_no: '2026002', name: '李小红', sex: 'male', age: 6, dormitory_id: 3, symptoms: ['rash'], absent: false },
    ],
    submitted_by: 'demo-teacher',
    submitted_at: '2026-11-30T12:01:00+08:00',
    late: false,
    warnings: [],
  };

  it('fills the form with the report in force, onset in Shanghai time, and sends the same report back', () => {
    const form = formFromReport(report);
    expect(form.counts).toEqual({ present: 43, absent_ill: 1, absent_other: 1 });
    expect(form.cases[0]).toMatchObject({ student_no: '2026001', name: '', onset: '2026-11-29 20:15', diagnosis: '流感', dormitory_id: null });
    expect(form.cases[1]).toMatchObject({ name: '李小红', onset: null, diagnosis: '', doctor_visit: false, dormitory_id: 3 });
    expect(checkReport(45, form.counts, form.cases)).toEqual([]);
    const body = buildReport(kClass, '2026-11-30', 'noon', form.counts, form.cases);
    expect(body.cases![0]).toMatchObject({ student_no: '2026001', name: null, onset_at: '2026-11-29T20:15:00+08:00', symptoms: ['fever', 'cough'] });
    expect(body.cases![1]).toMatchObject({ name: '李小红', dormitory_id: 3, absent: false, symptoms: ['rash'] });
  });

  it('knows a report that records anybody from a zero report', () => {
    expect(recordsAnybody(report)).toBe(true);
    expect(recordsAnybody({ ...report, absent_ill: 0, absent_other: 1, cases: [] })).toBe(true);
    expect(recordsAnybody({ ...report, present: 45, absent_ill: 0, absent_other: 0, cases: [] })).toBe(false);
    expect(recordsAnybody(null)).toBe(false);
  });

  it('offers onset days from 30 days before the report to today', () => {
    expect(onsetDayAllowed('2026-11-30', '2026-11-30', '2026-11-30')).toBe(true);
    expect(onsetDayAllowed('2026-12-01', '2026-11-30', '2026-11-30')).toBe(false);
    expect(onsetDayAllowed('2026-10-31', '2026-11-30', '2026-11-30')).toBe(true);
    expect(onsetDayAllowed('2026-10-30', '2026-11-30', '2026-11-30')).toBe(false);
  });
});
