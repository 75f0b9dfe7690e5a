// The days of the 护学岗 grid: today, when it is a school day (listed so that what was just recorded
// shows, though it counts towards the four 100% only from tomorrow), then the window of the last
// school days, newest first.
import type { PostDays } from '@/api/ledger';

export function postGridDays(posts: Pick<PostDays, 'school_days' | 'today'>): string[] {
  const window = [...posts.school_days].sort().reverse();
  return posts.today && !window.includes(posts.today) ? [posts.today, ...window] : window;
}
