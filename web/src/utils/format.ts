function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-03-01T08:05:09+08:00` → `2026-03-01 08:05:09` in the browser's time zone; '' for null. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Whether a `locked_until` time is still in the future at `now`. */
export function isLockedAt(locked_until: string | null, now: number = Date.now()): boolean {
  return locked_until !== null && Date.parse(locked_until) > now;
}
