import { describe, expect, it } from 'vitest';
import { kKeepBytes, kMaxSide, planDownscale } from './photo';

const MiB = 1024 * 1024;

describe('planDownscale', () => {
  it('scales a 12-megapixel phone photo to 1600 px on its longest side, keeping the aspect', () => {
    expect(planDownscale({ width: 4032, height: 3024, type: 'image/jpeg', size: 3.2 * MiB })).toEqual({ reencode: true, width: 1600, height: 1200 });
    expect(planDownscale({ width: 3024, height: 4032, type: 'image/jpeg', size: 3.2 * MiB })).toEqual({ reencode: true, width: 1200, height: 1600 });
  });

  it('sends a small JPEG, PNG or WebP unchanged', () => {
    for (const type of ['image/jpeg', 'image/png', 'image/webp']) {
      expect(planDownscale({ width: 1600, height: 900, type, size: 400 * 1024 })).toEqual({ reencode: false, width: 1600, height: 900 });
    }
  });

  it('re-encodes at the boundaries: one pixel or one byte too many, or a format the server refuses', () => {
    expect(planDownscale({ width: kMaxSide + 1, height: 10, type: 'image/jpeg', size: 1000 }).reencode).toBe(true);
    expect(planDownscale({ width: kMaxSide, height: kMaxSide, type: 'image/jpeg', size: kKeepBytes }).reencode).toBe(false);
    expect(planDownscale({ width: 800, height: 600, type: 'image/jpeg', size: kKeepBytes + 1 })).toEqual({ reencode: true, width: 800, height: 600 });
    expect(planDownscale({ width: 800, height: 600, type: 'image/heic', size: 1000 }).reencode).toBe(true);
    expect(planDownscale({ width: 800, height: 600, type: '', size: 1000 }).reencode).toBe(true);
  });

  it('never plans a side of zero pixels', () => {
    expect(planDownscale({ width: 10000, height: 2, type: 'image/png', size: 1000 })).toEqual({ reencode: true, width: 1600, height: 1 });
  });
});
