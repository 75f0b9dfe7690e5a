// How dues, campaigns and their progress read on screen.
import type { Due, DueStatus } from '@/api/inspections';
import { shanghaiDay } from '@/utils/day';

export const kDueTag: Record<DueStatus, 'warning' | 'success' | 'info' | 'danger'> = {
  open: 'warning',
  done: 'success',
  late: 'info',
  missed: 'danger',
};

/** A due as the school sees it: its status, or, for an open one, not yet open (未开始) or past its due date. */
export type DueState = DueStatus | 'upcoming' | 'pastDue';

export const kDueStateTag: Record<DueState, 'warning' | 'success' | 'info' | 'danger'> = { ...kDueTag, upcoming: 'info', pastDue: 'danger' };

/** An open due whose last day has passed: it may still be done, late. */
export function isPastDue(due: Pick<Due, 'status' | 'due_on'>, today: string = shanghaiDay()): boolean {
  return due.status === 'open' && due.due_on < today;
}

/** Whether the due may be inspected now: open, and its window has opened (the server says so). */
export function canStart(due: Pick<Due, 'status' | 'upcoming'>): boolean {
  return due.status === 'open' && !due.upcoming;
}

export function dueState(due: Pick<Due, 'status' | 'due_on' | 'upcoming'>, today: string = shanghaiDay()): DueState {
  if (due.status === 'open' && due.upcoming) return 'upcoming';
  if (isPastDue(due, today)) return 'pastDue';
  return due.status;
}

/**
 * The dues as a school sees them: those it can inspect now first (the nearest due date first), then
 * those not yet open (the soonest first), then the rest newest first.
 */
export function sortDues(dues: readonly Due[]): Due[] {
  const rank = (d: Due) => (canStart(d) ? 0 : d.status === 'open' ? 1 : 2);
  return [...dues].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    return ra < 2 ? a.due_on.localeCompare(b.due_on) || a.id - b.id : b.due_on.localeCompare(a.due_on) || b.id - a.id;
  });
}

/** Round numbers 1…n, newest first, for the round picker. */
export function roundChoices(rounds: number): number[] {
  return Array.from({ length: Math.max(0, rounds) }, (_, i) => rounds - i);
}
