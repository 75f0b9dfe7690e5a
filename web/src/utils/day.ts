// Calendar days and clock times in Asia/Shanghai, the time zone of every
// `YYYY-MM-DD` in the API, whatever the browser's own zone.

export const kServerTimeZone = 'Asia/Shanghai';
/** China has had no daylight saving time since 1991. */
const kOffset = '+08:00';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: kServerTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: kServerTimeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The day `at` falls on in Shanghai, as YYYY-MM-DD. */
export function shanghaiDay(at: Date = new Date()): string {
  const parts = Object.fromEntries(dayFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The Shanghai wall-clock time of `at`, as HH:MM. */
export function shanghaiTime(at: Date = new Date()): string {
  return timeFormat.format(at);
}

const secondsFormat = new Intl.DateTimeFormat('en-GB', { timeZone: kServerTimeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** `at` as RFC 3339 in Shanghai time: 2026-03-01T08:05:09+08:00. */
export function toShanghaiRfc3339(at: Date): string {
  return `${shanghaiDay(at)}T${secondsFormat.format(at)}${kOffset}`;
}

/** An RFC 3339 instant for a Shanghai day and HH:MM (or HH:MM:SS) time. */
export function shanghaiInstant(day: string, time: string): string {
  const hms = /^\d\d:\d\d$/.test(time) ? `${time}:00` : time;
  return `${day}T${hms}${kOffset}`;
}

/** Whether `day` (YYYY-MM-DD) is after today in Shanghai. */
export function isFutureDay(day: string, now: Date = new Date()): boolean {
  return day > shanghaiDay(now);
}

/** ISO weekday of a YYYY-MM-DD day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** The day `n` days after `day` (negative for before). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The calendar day of a date picker's Date (local midnight) as YYYY-MM-DD. */
export function pickerDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** For el-date-picker's `disabled-date`: days after today in Shanghai. */
export function disableFutureDays(d: Date): boolean {
  return isFutureDay(pickerDay(d));
}

/**
 * An RFC 3339 instant as Shanghai wall time, "YYYY-MM-DD HH:MM", so that it
 * reads on the same clock as the API's days; '' for null or an unreadable value.
 */
export function shanghaiDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return `${shanghaiDay(at)} ${shanghaiTime(at)}`;
}
