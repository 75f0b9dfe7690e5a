import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import RateTiles, { type RateTile } from './RateTiles.vue';
import { createAppI18n } from '@/locales';
import { kBandColors } from '@/views/compliance/complianceFormat';

const kTiles: RateTile[] = [
  { code: '410105', name: '金水区', rate: 1, headline: '100%', detail: '4/4', data: { reported: 4 } },
  { code: '410102', name: '中原区', rate: 0.2, headline: '20%', detail: '1/5', note: '因病缺课 2' },
  { code: '410103', name: '二七区', rate: null, headline: '无', detail: '0/0' },
];

const render = (noneLabel?: string) =>
  mount(RateTiles, { props: { tiles: kTiles, noneLabel, testId: 'tiles-under-test' }, global: { plugins: [createAppI18n('zh-CN')] } });

// jsdom normalises colours to rgb(); compare through an element styled the same way.
const normalised = (color: string) => {
  const el = document.createElement('i');
  el.style.background = color;
  return el.style.background;
};

describe('RateTiles', () => {
  it('draws one tile per unit, coloured by its band, with its figures and note', () => {
    const wrapper = render();
    const tiles = wrapper.findAll('[data-test="tiles-under-test"] .tile');
    expect(tiles.map((t) => t.attributes('data-code'))).toEqual(['410105', '410102', '410103']);
    expect(tiles.map((t) => t.find('.tile-rate').text())).toEqual(['100%', '20%', '无']);
    expect(tiles[0]!.attributes('data-reported')).toBe('4');
    expect(tiles[0]!.attributes('style')).toContain(normalised(kBandColors.full));
    expect(tiles[2]!.attributes('style')).toContain(normalised(kBandColors.none));
    expect(tiles[1]!.find('.tile-note').text()).toBe('因病缺课 2');
    expect(tiles[0]!.find('.tile-note').exists()).toBe(false);
  });

  it('opens the unit whose tile is clicked', async () => {
    const wrapper = render();
    await wrapper.findAll('.tile')[1]!.trigger('click');
    expect(wrapper.emitted('open')).toEqual([['410102']]);
  });

  it('names the grey band as the page asks, else as the compliance legend does', () => {
    expect(render('今日无应报班级').find('.legend').text()).toContain('今日无应报班级');
    const standard = render().find('.legend').text();
    expect(standard).not.toContain('今日无应报班级');
    expect(standard.length).toBeGreaterThan(0);
  });
});
