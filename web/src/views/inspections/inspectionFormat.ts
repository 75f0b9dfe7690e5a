// How dues, campaigns and their progress read on screen.
import type { Due, DueStatus } from '@/api/inspections';
import { shanghaiDay } from '@/utils/day';

export const kDueTag: Record<DueStatus, 'warning' | 'success' | 'info' | 'danger'> = {
  open: 'warning',
  done: 'success',
  late: 'info',
  missed: 'danger',
};

/** An open due whose last day has passed: it may still be done, late. */
export function isPastDue(due: Pick<Due, 'status' | 'due_on'>, today: string = shanghaiDay()): boolean {
  return due.status === 'open' && due.due_on < today;
}

/** The dues as a school sees them: open ones first (the nearest due date first), then the rest newest first. */
export function sortDues(dues: readonly Due[]): Due[] {
  return [...dues].sort((a, b) => {
    const ra = a.status === 'open' ? 0 : 1;
    const rb = b.status === 'open' ? 0 : 1;
    if (ra !== rb) return ra - rb;
    return ra === 0 ? a.due_on.localeCompare(b.due_on) || a.id - b.id : b.due_on.localeCompare(a.due_on) || b.id - a.id;
  });
}

/** Round numbers 1…n, newest first, for the round picker. */
export function roundChoices(rounds: number): number[] {
  return Array.from({ length: Math.max(0, rounds) }, (_, i) => rounds - i);
}
