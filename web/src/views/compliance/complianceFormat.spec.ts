import { describe, expect, it } from 'vitest';
import type { Compliance, Figure } from '@/api/compliance';
import { childBarOption, figureOf, formatFigure, formatRate, rateBand, sortByRate, trendOption } from './complianceFormat';

const fig = (compliant: number, applicable: number): Figure => ({ compliant, applicable, rate: applicable === 0 ? null : compliant / applicable });

function unit(code: string, name: string, guards: Figure, all: Figure = guards): Compliance {
  return {
    org: { code, name, level: 'county' },
    schools: guards.applicable,
    items: { guards, closed_management: fig(1, 1), protection_posts: fig(0, 0), alarm_video: fig(1, 2) },
    all_four: all,
  };
}

describe('formatRate', () => {
  it.each([
    [1, '100%'],
    [0.9996, '99.9%'],
    [999 / 1000, '99.9%'],
    [99 / 100, '99%'],
    [0.5, '50%'],
    [2 / 3, '66.6%'],
    [0.0004, '<0.1%'],
    [0, '0%'],
    [null, '—'],
    [undefined, '—'],
  ])('%s → %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });

  it('writes figures as compliant/applicable', () => {
    expect(formatFigure(fig(12, 15))).toBe('12/15');
    expect(formatFigure(null)).toBe('—');
  });
});

describe('rateBand', () => {
  it.each([
    [1, 'full'],
    [0.9999, 'high'],
    [0.9, 'high'],
    [0.8999, 'mid'],
    [0.6, 'mid'],
    [0.5999, 'low'],
    [0, 'low'],
    [null, 'none'],
  ] as const)('%s is %s', (rate, band) => {
    expect(rateBand(rate)).toBe(band);
  });
});

describe('child units', () => {
  const children = [unit('410102', '中原区', fig(3, 4)), unit('410105', '金水区', fig(1, 4)), unit('410103', '二七区', fig(0, 0)), unit('410104', '管城区', fig(1, 4))];

  it('orders worst first, units where nothing applies last, ties by code', () => {
    expect(sortByRate(children, 'guards').map((c) => c.org.code)).toEqual(['410104', '410105', '410102', '410103']);
    expect(figureOf(children[0], 'all_four')).toBe(children[0].all_four);
    expect(figureOf(children[0], 'alarm_video').compliant).toBe(1);
  });

  it('builds one coloured bar per unit carrying its code for drill-down', () => {
    const option = childBarOption(children, 'guards', { rate: '达标率', none: '不适用' }, false) as {
      series: { data: { value: number; code: string; figure: string; rateText: string; itemStyle: { color: string } }[] }[];
      xAxis: { data: string[] };
    };
    expect(option.xAxis.data).toEqual(['中原区', '金水区', '二七区', '管城区']);
    const bars = option.series[0].data;
    expect(bars.map((b) => b.value)).toEqual([75, 25, 0, 25]);
    expect(bars.map((b) => b.code)).toEqual(['410102', '410105', '410103', '410104']);
    expect(bars[2]).toMatchObject({ rateText: '不适用', figure: '0/0', itemStyle: { color: '#c8c9cc' } });
    expect(bars[1].itemStyle.color).toBe('#f56c6c');
  });

  it('draws the trend in percent with gaps where nothing applied', () => {
    const names = { all_four: '四个100%', guards: '保安', closed_management: '封闭', protection_posts: '护学岗', alarm_video: '报警' };
    const option = trendOption(
      [
        { day: '2026-11-27', ...unit('x', 'x', fig(1, 3), fig(0, 3)) },
        { day: '2026-11-28', ...unit('x', 'x', fig(3, 3), fig(1, 3)) },
      ],
      names,
    ) as { xAxis: { data: string[] }; series: { name: string; data: (number | null)[] }[] };
    expect(option.xAxis.data).toEqual(['11-27', '11-28']);
    expect(option.series.map((s) => s.name)).toEqual(['保安', '封闭', '护学岗', '报警', '四个100%']);
    expect(option.series[0].data).toEqual([33.3, 100]);
    expect(option.series[2].data).toEqual([null, null]);
    expect(option.series[4].data).toEqual([0, 33.3]);
  });
});
