import { describe, expect, it } from 'vitest';
import { kDefaultTimes, searchBounds } from './auditRange';

describe('searchBounds', () => {
  it('asks up to one second after the picked end, since the API excludes its to', () => {
    expect(searchBounds(['2026-12-01T00:00:00+08:00', '2026-12-01T23:59:59+08:00'])).toEqual({
      from: '2026-12-01T00:00:00+08:00',
      to: '2026-12-01T16:00:00Z',
    });
  });

  it('keeps any offset the picker writes', () => {
    expect(searchBounds(['2026-12-01T08:00:00Z', '2026-12-01T09:30:59-01:00']).to).toBe('2026-12-01T10:31:00Z');
  });

  it('searches everything without a range', () => {
    expect(searchBounds(null)).toEqual({});
  });

  it('passes an end it cannot read to the server, which names the field', () => {
    expect(searchBounds(['2026-12-01T00:00:00+08:00', 'soon'])).toEqual({ from: '2026-12-01T00:00:00+08:00', to: 'soon' });
  });

  it('picks whole days by default: from midnight to the last second', () => {
    expect(kDefaultTimes.map((d) => [d.getHours(), d.getMinutes(), d.getSeconds()])).toEqual([
      [0, 0, 0],
      [23, 59, 59],
    ]);
  });
});
