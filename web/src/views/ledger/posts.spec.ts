import { describe, expect, it } from 'vitest';
import { postGridDays } from './posts';

describe('the 护学岗 grid', () => {
  const window = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];

  it('starts with today when today is a school day, then the window newest first', () => {
    expect(postGridDays({ school_days: window, today: '2026-11-30' })).toEqual([
      '2026-11-30',
      '2026-11-27',
      '2026-11-26',
      '2026-11-25',
      '2026-11-24',
      '2026-11-23',
    ]);
  });

  it('is the window alone on a day without school', () => {
    expect(postGridDays({ school_days: [...window].reverse(), today: null })).toEqual([...window].reverse());
  });

  it('lists a day once', () => {
    expect(postGridDays({ school_days: window, today: '2026-11-27' })).toEqual([...window].reverse());
  });
});
