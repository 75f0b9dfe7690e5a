// Small readings of ledger data shared by the ledger tabs.
import type { ItemEvaluation, ItemState } from '@/api/ledger';
import type { AppLocale } from '@/locales';

/** The reasons of an evaluation in the UI language. */
export function reasonsIn(evaluation: ItemEvaluation, locale: AppLocale): string[] {
  return locale === 'en' ? evaluation.reasons_en : evaluation.reasons_zh;
}

/** The Element Plus tag type of an item state. */
export function stateTagType(state: ItemState): 'success' | 'danger' | 'info' {
  return state === 'met' ? 'success' : state === 'not_met' ? 'danger' : 'info';
}

/** Age reached in `year` by someone born in `birthYear`; null when unknown. */
export function ageIn(birthYear: number | null, year: number): number | null {
  return birthYear === null ? null : year - birthYear;
}
