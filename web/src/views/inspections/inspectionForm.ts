// The inspection form's logic, without the screen: one answer per checklist item, what each
// answer still lacks before it can be sent, the progress, the request body, and where the
// server's field errors belong.
import type { FieldError } from '@/api/http';
import type {
  BuildingGrade,
  Checklist,
  ChecklistItem,
  HazardGrade,
  InspectionInput,
  InspectionSource,
  ItemAnswer,
  ItemResult,
} from '@/api/inspections';

export interface HazardForm {
  grade: HazardGrade | undefined;
  location: string;
  description: string;
  /** Buildings only (房屋安全鉴定等级); D means out of use at once. */
  building_grade: BuildingGrade | undefined;
  /** 已当场整改: fixed while inspecting, still accepted by someone else. */
  fixed_at_once: boolean;
}

export interface ItemForm {
  code: string;
  result: ItemResult | null;
  note: string;
  photos: string[];
  hazard: HazardForm;
}

/** What an answer still lacks; each is an i18n key under inspections.check. */
export type ItemProblem = 'unanswered' | 'photoRequired' | 'gradeRequired' | 'locationRequired' | 'descriptionRequired';

export function newItemForm(item: ChecklistItem): ItemForm {
  return { code: item.code, result: null, note: '', photos: [], hazard: { grade: undefined, location: '', description: '', building_grade: undefined, fixed_at_once: false } };
}

export function newForms(checklist: Checklist): ItemForm[] {
  return checklist.items.map(newItemForm);
}

/**
 * The problems of one answer: unanswered; a required photo missing (not for 不适用); a failed
 * item without grade, location or description.
 */
export function itemProblems(item: ChecklistItem, form: ItemForm): ItemProblem[] {
  if (form.result === null) return ['unanswered'];
  const out: ItemProblem[] = [];
  if (item.photo_required && form.result !== 'na' && form.photos.length === 0) out.push('photoRequired');
  if (form.result === 'fail') {
    if (!form.hazard.grade) out.push('gradeRequired');
    if (!form.hazard.location.trim()) out.push('locationRequired');
    if (!form.hazard.description.trim()) out.push('descriptionRequired');
  }
  return out;
}

/** Indexes of the items that are not ready to send, in order. */
export function incompleteItems(items: readonly ChecklistItem[], forms: readonly ItemForm[]): number[] {
  return items.flatMap((item, i) => (itemProblems(item, forms[i]).length > 0 ? [i] : []));
}

export interface Tally {
  answered: number;
  total: number;
  pass: number;
  fail: number;
  na: number;
}

export function tally(forms: readonly ItemForm[]): Tally {
  const count = (r: ItemResult) => forms.filter((f) => f.result === r).length;
  const pass = count('pass');
  const fail = count('fail');
  const na = count('na');
  return { answered: pass + fail + na, total: forms.length, pass, fail, na };
}

/** A failed building item's description starts from the item text, so the inspector only adds what differs. */
export function prefillHazard(item: ChecklistItem, form: ItemForm): void {
  if (form.result === 'fail' && !form.hazard.description.trim()) form.hazard.description = item.text;
}

/** The answer as the server takes it: a note and photos only when given, a hazard only for a fail. */
export function buildAnswer(item: ChecklistItem, form: ItemForm): ItemAnswer {
  const answer: ItemAnswer = { code: item.code, result: form.result ?? 'na' };
  if (form.note.trim()) answer.note = form.note.trim();
  if (form.photos.length > 0) answer.photos = [...form.photos];
  if (form.result === 'fail' && form.hazard.grade) {
    answer.hazard = { grade: form.hazard.grade, location: form.hazard.location.trim(), description: form.hazard.description.trim() };
    if (item.category === 'building' && form.hazard.building_grade) answer.hazard.building_grade = form.hazard.building_grade;
    if (form.hazard.fixed_at_once) answer.hazard.fixed_at_once = true;
  }
  return answer;
}

export interface InspectionMeta {
  school: string;
  source: InspectionSource;
  due_id?: number | null;
  notes?: string;
}

export function buildInspection(checklist: Checklist, forms: readonly ItemForm[], meta: InspectionMeta): InspectionInput {
  const body: InspectionInput = {
    school: meta.school,
    template_id: checklist.id,
    source: meta.source,
    results: checklist.items.map((item, i) => buildAnswer(item, forms[i])),
  };
  if (meta.source === 'campaign' && meta.due_id) body.due_id = meta.due_id;
  if (meta.notes?.trim()) body.notes = meta.notes.trim();
  return body;
}

/** A D-grade building leaves use at once: the form says so before sending. */
export function isOutOfUse(item: ChecklistItem, form: ItemForm): boolean {
  return form.result === 'fail' && item.category === 'building' && form.hazard.building_grade === 'D';
}

/**
 * The server's field errors sorted by item: `results[3].photos` goes to item 3 (as "photos"),
 * anything else to the form.
 */
export function sortFieldErrors(errors: readonly FieldError[]): { form: string[]; items: Record<number, string[]> } {
  const out: { form: string[]; items: Record<number, string[]> } = { form: [], items: {} };
  for (const e of errors) {
    const m = /^results\[(\d+)\](?:\.(.+))?$/.exec(e.field);
    if (m) (out.items[Number(m[1])] ??= []).push(e.message);
    else out.form.push(e.field ? `${e.field}: ${e.message}` : e.message);
  }
  return out;
}
