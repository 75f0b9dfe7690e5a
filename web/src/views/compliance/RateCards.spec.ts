import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import RateCards from './RateCards.vue';
import { createAppI18n } from '@/locales';
import type { ComplianceFigures, Figure } from '@/api/compliance';
import type { NetworkPart } from '@/api/devices';

const figure = (compliant: number, applicable: number): Figure => ({ compliant, applicable, rate: applicable === 0 ? null : compliant / applicable });
const kFigures: ComplianceFigures = {
  schools: 4,
  items: { guards: figure(4, 4), closed_management: figure(3, 4), protection_posts: figure(2, 4), alarm_video: figure(1, 4) },
  all_four: figure(1, 4),
};

async function render(telemetry?: { org: string; figure: NetworkPart } | null) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: RateCards }, { path: '/devices', name: 'devices', component: RateCards }] });
  await router.push('/');
  return mount(RateCards, { props: { figures: kFigures, telemetry }, global: { plugins: [router, createAppI18n('zh-CN')] } });
}

describe('RateCards', () => {
  it('shows each item’s rate with compliant / applicable', async () => {
    const wrapper = await render();
    expect(wrapper.find('[data-test="rate-guards"] [data-test="rate-value"]').text()).toBe('100%');
    expect(wrapper.find('[data-test="rate-alarm_video"] [data-test="rate-figure"]').text()).toBe('达标 1 / 适用 4');
    expect(wrapper.find('[data-test="telemetry"]').exists()).toBe(false);
  });

  it('shows the unit’s devices online beside the alarm-and-video item, linking to its device page', async () => {
    const wrapper = await render({ org: '410105', figure: { online: 2, expected: 3, rate: 2 / 3 } });
    const link = wrapper.find('[data-test="rate-alarm_video"] [data-test="telemetry"]');
    expect(link.text()).toBe('设备在线联网率 66.6%（在线 2/应联网 3）');
    expect(link.attributes('href')).toBe('/devices?org=410105');
    expect(wrapper.findAll('[data-test="telemetry"]')).toHaveLength(1);
  });

  it('says there is no telemetry when no device is expected', async () => {
    const wrapper = await render({ org: '410105', figure: { online: 0, expected: 0, rate: null } });
    expect(wrapper.find('[data-test="telemetry"]').text()).toBe('暂无设备遥测');
  });
});
