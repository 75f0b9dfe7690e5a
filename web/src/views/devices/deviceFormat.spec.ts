import { describe, expect, it } from 'vitest';
import { ageOf } from './deviceFormat';

const kNow = Date.parse('2026-11-30T09:00:00+08:00');

describe('ageOf', () => {
  it.each([
    ['2026-11-30T09:00:00+08:00', { unit: 'justNow', n: 0 }],
    ['2026-11-30T08:59:01+08:00', { unit: 'justNow', n: 0 }],
    ['2026-11-30T08:59:00+08:00', { unit: 'minutes', n: 1 }],
    ['2026-11-30T08:00:01+08:00', { unit: 'minutes', n: 59 }],
    ['2026-11-30T08:00:00+08:00', { unit: 'hours', n: 1 }],
    ['2026-11-29T09:00:01+08:00', { unit: 'hours', n: 23 }],
    ['2026-11-29T09:00:00+08:00', { unit: 'days', n: 1 }],
    ['2026-11-30T09:05:00+08:00', { unit: 'justNow', n: 0 }],
  ])('reads %s as %o', (iso, age) => {
    expect(ageOf(iso, kNow)).toEqual(age);
  });

  it('has no age without a readable time', () => {
    expect(ageOf(null, kNow)).toBeNull();
    expect(ageOf('never', kNow)).toBeNull();
  });
});
