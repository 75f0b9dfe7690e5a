// The audit search's time bounds from the page's date-time range picker.

/**
 * The times the picker sets when only days are clicked: the start of the first day and the last
 * second of the last, so that picking one day searches that whole day.
 */
export const kDefaultTimes: [Date, Date] = [new Date(2000, 0, 1, 0, 0, 0), new Date(2000, 0, 1, 23, 59, 59)];

/**
 * `from` and `to` for GET /audit from a picked range (RFC 3339 strings, or null for none). The
 * API's `to` is exclusive and the picker counts whole seconds, so `to` is one second after the
 * picked end: a record made in the end's own second is found too.
 */
export function searchBounds(range: [string, string] | null): { from?: string; to?: string } {
  if (!range) return {};
  const end = Date.parse(range[1]);
  if (Number.isNaN(end)) return { from: range[0], to: range[1] };
  return { from: range[0], to: new Date(end + 1000).toISOString().replace('.000Z', 'Z') };
}
