// The checklist editor's rows and the server's limits on a checklist (ValidateChecklist in
// modules/inspections/inspection_rules.cpp), checked before sending, and the field errors of a
// 400 (`items[2].text`) placed on the row they name.
import type { Checklist, ChecklistInput, HazardCategory } from '@/api/inspections';
import type { FieldError } from '@/api/http';

export const kChecklistLimits = {
  keyMax: 40,
  nameMax: 60,
  codeMax: 20,
  textMax: 200,
  howMax: 500,
  itemsMax: 100,
} as const;

/** Identifies a checklist across its versions: lower-case latin letters, digits and _. */
const kKeyPattern = /^[a-z0-9_]+$/;
const kCodePattern = /^[A-Za-z0-9_.-]+$/;

/** One row of the items editor; `uid` keeps a row's identity (and its errors) through moves. */
export interface ItemRow {
  uid: number;
  code: string;
  text: string;
  category: HazardCategory | '';
  how: string;
  photo_required: boolean;
}

export interface ChecklistDraft {
  key: string;
  name: string;
  items: ItemRow[];
}

export type ItemField = 'code' | 'text' | 'category' | 'how';

/**
 * What is wrong, as i18n keys under `inspections.checklist.check` with their arguments:
 * `key`, `name` and `items` for the whole checklist, `<uid>.<field>` for a row.
 */
export type DraftErrors = Record<string, { key: string; args?: Record<string, number> }>;

let nextUid = 1;

export function newRow(partial: Partial<Omit<ItemRow, 'uid'>> = {}): ItemRow {
  return { uid: nextUid++, code: '', text: '', category: '', how: '', photo_required: false, ...partial };
}

/** A code not used by `rows`: 01, 02, … after the number of rows. */
export function suggestCode(rows: readonly ItemRow[]): string {
  const used = new Set(rows.map((r) => r.code.trim()));
  for (let n = rows.length + 1; ; n += 1) {
    const code = String(n).padStart(2, '0');
    if (!used.has(code)) return code;
  }
}

/** The editor filled from `base` (a new version of it), or empty with one row. */
export function draftFrom(base: Checklist | null): ChecklistDraft {
  if (!base) return { key: '', name: '', items: [newRow({ code: '01' })] };
  return {
    key: base.key,
    name: base.name,
    items: base.items.map((it) => newRow({ code: it.code, text: it.text, category: it.category, how: it.how, photo_required: it.photo_required })),
  };
}

/** Characters as the server counts them (code points, not UTF-16 units). */
function length(s: string): number {
  return [...s].length;
}

/** The server's rules, on the trimmed values that would be sent. Empty when the draft may go. */
export function checkDraft(draft: ChecklistDraft): DraftErrors {
  const L = kChecklistLimits;
  const errors: DraftErrors = {};
  const key = draft.key.trim();
  if (!key) errors.key = { key: 'keyRequired' };
  else if (length(key) > L.keyMax || !kKeyPattern.test(key)) errors.key = { key: 'keyFormat', args: { max: L.keyMax } };
  const name = draft.name.trim();
  if (!name) errors.name = { key: 'nameRequired' };
  else if (length(name) > L.nameMax) errors.name = { key: 'tooLong', args: { max: L.nameMax } };
  if (draft.items.length === 0 || draft.items.length > L.itemsMax) errors.items = { key: 'itemCount', args: { max: L.itemsMax } };
  const seen = new Set<string>();
  for (const row of draft.items) {
    const code = row.code.trim();
    if (!code) errors[`${row.uid}.code`] = { key: 'codeRequired' };
    else if (length(code) > L.codeMax || !kCodePattern.test(code)) errors[`${row.uid}.code`] = { key: 'codeFormat', args: { max: L.codeMax } };
    else if (seen.has(code)) errors[`${row.uid}.code`] = { key: 'codeDuplicate' };
    seen.add(code);
    const text = row.text.trim();
    if (!text) errors[`${row.uid}.text`] = { key: 'textRequired' };
    else if (length(text) > L.textMax) errors[`${row.uid}.text`] = { key: 'tooLong', args: { max: L.textMax } };
    if (!row.category) errors[`${row.uid}.category`] = { key: 'categoryRequired' };
    if (length(row.how.trim()) > L.howMax) errors[`${row.uid}.how`] = { key: 'tooLong', args: { max: L.howMax } };
  }
  return errors;
}

/** The request body; call after `checkDraft` answered no errors. */
export function toInput(draft: ChecklistDraft): ChecklistInput {
  return {
    key: draft.key.trim(),
    name: draft.name.trim(),
    items: draft.items.map((r) => ({
      code: r.code.trim(),
      text: r.text.trim(),
      category: r.category as HazardCategory,
      how: r.how.trim(),
      photo_required: r.photo_required,
    })),
  };
}

/**
 * The server's field errors keyed as `checkDraft` keys them: `items[2].text` on the row that was
 * third when sent (`<uid>.text`); others (`key`, `name`, `items`) as they are. Messages joined.
 */
export function placeServerErrors(errors: readonly FieldError[], sent: readonly ItemRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const m = /^items\[(\d+)\]\.(\w+)$/.exec(e.field);
    const row = m ? sent[Number(m[1])] : undefined;
    const name = m && row ? `${row.uid}.${m[2]}` : e.field;
    out[name] = out[name] ? `${out[name]}; ${e.message}` : e.message;
  }
  return out;
}

/** Swaps row `index` with its neighbour `by` (-1 up, +1 down) in place; no-op at the ends. */
export function moveRow(rows: ItemRow[], index: number, by: -1 | 1): void {
  const to = index + by;
  if (to < 0 || to >= rows.length) return;
  [rows[index], rows[to]] = [rows[to], rows[index]];
}
