// The class teacher's check form as data: which session to default to, the
// request body of a full or zero report, the checks run before sending, and
// the server's field errors sorted onto the form and onto each case card.
import type { FieldError } from '@/api/http';
import type { CheckSession, HealthCaseInput, HealthCheck, HealthCheckInput, SchoolClass, Sex, Symptom } from '@/api/health';
import { addDays, shanghaiDateTime, shanghaiInstant, shanghaiTime } from '@/utils/day';

/** The sessions a class reports: morning and noon, and evening for boarding classes (WS/T 772-2020). */
export function sessionsFor(boarding: boolean): CheckSession[] {
  return boarding ? ['morning', 'noon', 'evening'] : ['morning', 'noon'];
}

/**
 * The session to offer at `at` (Shanghai time): morning before 11:30, noon
 * after, evening from 18:00 for boarding classes (noon for the others).
 */
export function defaultSession(at: Date, boarding: boolean): CheckSession {
  const time = shanghaiTime(at);
  if (time < '11:30') return 'morning';
  if (boarding && time >= '18:00') return 'evening';
  return 'noon';
}

/** A likely age for a pupil of `grade` (0 = kindergarten): the card's starting value. */
export function typicalAge(grade: number): number {
  return grade <= 0 ? 5 : Math.min(25, grade + 6);
}

/** One student card as the form holds it; empty strings for what is not filled in. */
export interface CaseForm {
  /** Local id for rendering; never sent. */
  key: number;
  student_no: string;
  name: string;
  sex: Sex | '';
  age: number | null;
  dormitory_id: number | null;
  symptoms: Symptom[];
  /** Onset as Shanghai wall time "YYYY-MM-DD HH:mm", or null. */
  onset: string | null;
  absent: boolean;
  doctor_visit: boolean;
  diagnosis: string;
  suspected_notifiable: boolean;
}

export interface CountsForm {
  present: number;
  absent_ill: number;
  absent_other: number;
}

let nextKey = 1;

/** A new, empty card; `absent` says whether the student is absent through illness. */
export function newCase(grade: number, absent: boolean): CaseForm {
  return {
    key: nextKey++,
    student_no: '',
    name: '',
    sex: '',
    age: typicalAge(grade),
    dormitory_id: null,
    symptoms: [],
    onset: null,
    absent,
    doctor_visit: false,
    diagnosis: '',
    suspected_notifiable: false,
  };
}

/**
 * The counts and cards of a stored report, for correcting it: a correction
 * replaces the whole report, so it starts from what is in force.
 */
export function formFromReport(report: HealthCheck): { counts: CountsForm; cases: CaseForm[] } {
  return {
    counts: { present: report.present, absent_ill: report.absent_ill, absent_other: report.absent_other },
    cases: report.cases.map((c) => ({
      key: nextKey++,
      student_no: c.student_no,
      name: c.name ?? '',
      sex: c.sex,
      age: c.age,
      dormitory_id: c.dormitory_id ?? null,
      symptoms: [...c.symptoms],
      onset: shanghaiDateTime(c.onset_at) || null,
      absent: c.absent,
      doctor_visit: c.doctor_visit ?? false,
      diagnosis: c.diagnosis ?? '',
      suspected_notifiable: c.suspected_notifiable ?? false,
    })),
  };
}

/** Whether a stored report records anybody absent or ill: a zero report would take that back. */
export function recordsAnybody(report: HealthCheck | null): boolean {
  return report !== null && (report.absent_ill > 0 || report.absent_other > 0 || report.cases.length > 0);
}

/** The server takes an onset up to 30 days before the report's date and never in the future. */
export const kOnsetDaysBefore = 30;

/** Whether the date picker offers day `day` (YYYY-MM-DD) as an onset for a report of `reportDay`. */
export function onsetDayAllowed(day: string, reportDay: string, today: string): boolean {
  return day <= today && day >= addDays(reportDay, -kOnsetDaysBefore);
}

/** Adds `symptom` when missing, removes it when present, keeping the fixed order of `order`. */
export function toggleSymptom(symptoms: readonly Symptom[], symptom: Symptom, order: readonly Symptom[]): Symptom[] {
  const set = new Set(symptoms);
  if (set.has(symptom)) set.delete(symptom);
  else set.add(symptom);
  return order.filter((s) => set.has(s));
}

function orNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/** The request body of one card. Call only after checkReport found nothing. */
export function caseInput(c: CaseForm): HealthCaseInput {
  const input: HealthCaseInput = {
    student_no: c.student_no.trim(),
    name: orNull(c.name),
    sex: c.sex as Sex,
    age: c.age ?? 0,
    symptoms: [...c.symptoms],
    absent: c.absent,
    doctor_visit: c.doctor_visit,
    diagnosis: orNull(c.diagnosis),
    suspected_notifiable: c.suspected_notifiable,
  };
  if (c.dormitory_id !== null) input.dormitory_id = c.dormitory_id;
  if (c.onset) {
    const [day, time] = c.onset.split(' ');
    input.onset_at = shanghaiInstant(day, time);
  }
  return input;
}

/** The body of a report with counts and cards; `enrolled` is the class's enrolment. */
export function buildReport(cls: SchoolClass, date: string, session: CheckSession, counts: CountsForm, cases: readonly CaseForm[]): HealthCheckInput {
  return {
    class_id: cls.id,
    date,
    session,
    enrolled: cls.enrolment,
    present: counts.present,
    absent_ill: counts.absent_ill,
    absent_other: counts.absent_other,
    cases: cases.map(caseInput),
  };
}

/** The zero report: everybody present, nobody absent, no cases. */
export function buildZeroReport(cls: SchoolClass, date: string, session: CheckSession): HealthCheckInput {
  return {
    class_id: cls.id,
    date,
    session,
    enrolled: cls.enrolment,
    present: cls.enrolment,
    absent_ill: 0,
    absent_other: 0,
    cases: [],
  };
}

/** Present pupils once the absent are taken from the enrolment (never below 0). */
export function presentFrom(enrolled: number, absent_ill: number, absent_other: number): number {
  return Math.max(0, enrolled - absent_ill - absent_other);
}

/**
 * A reason the form cannot be sent: an i18n key under `health.check.` and its
 * parameters; `index` and `field` place it on a case card.
 */
export interface Problem {
  key: string;
  params?: Record<string, number | string>;
  index?: number;
  field?: keyof CaseForm;
}

/**
 * What is wrong with the counts and cards before sending (empty when nothing):
 * enrolled = present + absent_ill + absent_other; one card per pupil absent
 * through illness; each card with a student number, sex, age 2–25, and for a
 * pupil at school at least one symptom or a diagnosis; no student number twice.
 */
export function checkReport(enrolled: number, counts: CountsForm, cases: readonly CaseForm[]): Problem[] {
  const problems: Problem[] = [];
  const sum = counts.present + counts.absent_ill + counts.absent_other;
  if (sum !== enrolled) problems.push({ key: 'countsMismatch', params: { enrolled, sum } });
  const absentCards = cases.filter((c) => c.absent).length;
  if (absentCards !== counts.absent_ill) problems.push({ key: 'absentCards', params: { absent: counts.absent_ill, cards: absentCards } });
  const seen = new Map<string, number>();
  cases.forEach((c, index) => {
    const no = c.student_no.trim();
    if (no === '') problems.push({ key: 'studentNoRequired', index, field: 'student_no' });
    else if (seen.has(no)) problems.push({ key: 'studentNoTwice', params: { no }, index, field: 'student_no' });
    else seen.set(no, index);
    if (c.sex === '') problems.push({ key: 'sexRequired', index, field: 'sex' });
    if (c.age === null || !Number.isInteger(c.age) || c.age < 2 || c.age > 25) problems.push({ key: 'ageRange', index, field: 'age' });
    if (!c.absent && c.symptoms.length === 0 && c.diagnosis.trim() === '') problems.push({ key: 'symptomRequired', index, field: 'symptoms' });
  });
  return problems;
}

/** Server field errors split into those of the report and those of each case card (by index). */
export interface SortedFieldErrors {
  report: Record<string, string>;
  cases: Record<number, Record<string, string>>;
}

/**
 * Sorts problem+json `errors` onto the form: `cases[2].age`, `cases.2.age` and
 * `/cases/2/age` go to card 2's age; anything else to the report by its last
 * name segment. Two messages for one field are joined with "; ".
 */
export function sortFieldErrors(errors: readonly FieldError[]): SortedFieldErrors {
  const out: SortedFieldErrors = { report: {}, cases: {} };
  const add = (target: Record<string, string>, name: string, message: string) => {
    target[name] = target[name] ? `${target[name]}; ${message}` : message;
  };
  for (const e of errors) {
    const parts = e.field.split(/[.[\]/]+/).filter((p) => p !== '');
    const at = parts.indexOf('cases');
    if (at >= 0 && at + 1 < parts.length && /^\d+$/.test(parts[at + 1])) {
      const index = Number(parts[at + 1]);
      out.cases[index] ??= {};
      add(out.cases[index], parts[at + 2] ?? 'case', e.message);
    } else {
      add(out.report, parts[parts.length - 1] ?? e.field, e.message);
    }
  }
  return out;
}
