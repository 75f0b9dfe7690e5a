// How device status reads on screen: the tag of a status and "x 分钟前" for the last message.
import type { DeviceStatus } from '@/api/devices';

/** Element Plus tag types: online green, offline red, unknown grey. */
export const kStatusTagTypes: Record<DeviceStatus, 'success' | 'danger' | 'info'> = {
  online: 'success',
  offline: 'danger',
  unknown: 'info',
};

/** An age in the largest whole unit: under a minute, minutes, hours or days. */
export interface Age {
  unit: 'justNow' | 'minutes' | 'hours' | 'days';
  n: number;
}

/** How long before `now` (ms) the RFC 3339 time `iso` was; null for no time or an unreadable one. A time ahead of `now` (clock skew) counts as just now. */
export function ageOf(iso: string | null | undefined, now: number): Age | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return { unit: 'justNow', n: 0 };
  if (minutes < 60) return { unit: 'minutes', n: minutes };
  if (minutes < 24 * 60) return { unit: 'hours', n: Math.floor(minutes / 60) };
  return { unit: 'days', n: Math.floor(minutes / (24 * 60)) };
}
