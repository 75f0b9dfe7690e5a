// How the four-100% figures read on screen: rates, colour bands, and the
// ECharts options of the child-unit bar chart and the trend line.
import type { Compliance, ComplianceFigures, Figure, GapItem, TrendPoint } from '@/api/compliance';
import { kFourItems } from '@/api/ledger';
import type { EChartsCoreOption } from 'echarts/core';

/**
 * A rate as a percentage with at most one decimal, never rounded up to a
 * target it misses: 0.9996 → "99.9%", 1 → "100%", 0.5 → "50%", 0.0004 →
 * "<0.1%", null (nothing applies) → "—".
 */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  if (rate >= 1) return '100%';
  if (rate <= 0) return '0%';
  const tenths = Math.floor(rate * 1000 + 1e-9) / 10;
  if (tenths === 0) return '<0.1%';
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}

/** "compliant/applicable", e.g. "12/15". */
export function formatFigure(f: Figure | null | undefined): string {
  return f ? `${f.compliant}/${f.applicable}` : '—';
}

/** The colour band of a rate: 100%, ≥ 90%, ≥ 60%, below, or nothing applies. */
export type RateBand = 'full' | 'high' | 'mid' | 'low' | 'none';

export function rateBand(rate: number | null | undefined): RateBand {
  if (rate === null || rate === undefined) return 'none';
  if (rate >= 1) return 'full';
  if (rate >= 0.9) return 'high';
  if (rate >= 0.6) return 'mid';
  return 'low';
}

/** Element Plus palette colours of the bands (also used in the chart). */
export const kBandColors: Record<RateBand, string> = {
  full: '#67c23a',
  high: '#95d475',
  mid: '#e6a23c',
  low: '#f56c6c',
  none: '#c8c9cc',
};

/** The figure of `item` ('all_four' for the four together). */
export function figureOf(figures: ComplianceFigures, item: GapItem): Figure {
  return item === 'all_four' ? figures.all_four : figures.items[item];
}

/** Children ordered worst first by `item` (units where nothing applies last), then by code. */
export function sortByRate(children: readonly Compliance[], item: GapItem): Compliance[] {
  return [...children].sort((a, b) => {
    const ra = figureOf(a, item).rate;
    const rb = figureOf(b, item).rate;
    if (ra === null && rb === null) return a.org.code.localeCompare(b.org.code);
    if (ra === null) return 1;
    if (rb === null) return -1;
    return ra - rb || a.org.code.localeCompare(b.org.code);
  });
}

/** A rate in percent for a chart, rounded down to 0.1 like formatRate; null stays a gap. */
function percent(rate: number | null): number | null {
  if (rate === null) return null;
  return rate >= 1 ? 100 : Math.floor(rate * 1000 + 1e-9) / 10;
}

/**
 * The bar chart of child units for `item`: one bar per unit in the given order,
 * coloured by band; the unit code travels in each bar's data for clicks.
 */
export function childBarOption(children: readonly Compliance[], item: GapItem, labels: { rate: string; none: string }, horizontal: boolean): EChartsCoreOption {
  const names = children.map((c) => c.org.name);
  const data = children.map((c) => {
    const f = figureOf(c, item);
    return {
      value: percent(f.rate) ?? 0,
      code: c.org.code,
      figure: formatFigure(f),
      rateText: f.rate === null ? labels.none : formatRate(f.rate),
      itemStyle: { color: kBandColors[rateBand(f.rate)] },
    };
  });
  const categoryAxis = { type: 'category', data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : names.length > 8 ? 40 : 0 } };
  const valueAxis = { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } };
  return {
    grid: { left: horizontal ? 110 : 48, right: 24, top: 24, bottom: horizontal ? 24 : names.length > 8 ? 90 : 40, containLabel: false },
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; data: { rateText: string; figure: string } }) => `${p.name}<br/>${labels.rate}: ${p.data.rateText} (${p.data.figure})`,
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: [{ type: 'bar', data, barMaxWidth: 28, label: { show: children.length <= 20, position: horizontal ? 'right' : 'top', formatter: (p: { data: { rateText: string } }) => p.data.rateText } }],
  };
}

/** The trend chart: one line per item and one for all four, in percent by day. */
export function trendOption(points: readonly TrendPoint[], names: Record<GapItem, string>): EChartsCoreOption {
  const items: GapItem[] = [...kFourItems, 'all_four'];
  return {
    grid: { left: 48, right: 24, top: 48, bottom: 32 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v}%`) },
    legend: { top: 0, type: 'scroll' },
    xAxis: { type: 'category', data: points.map((p) => p.day.slice(5)), boundaryGap: false },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: items.map((item) => ({
      name: names[item],
      type: 'line',
      connectNulls: false,
      symbolSize: 5,
      lineStyle: item === 'all_four' ? { width: 3 } : { width: 1.5 },
      data: points.map((p) => percent(figureOf(p, item).rate)),
    })),
  };
}
