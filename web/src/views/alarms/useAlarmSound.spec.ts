import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, nextTick, ref } from 'vue';
import { mount } from '@vue/test-utils';
import { kBeepEveryMs, useAlarmSound, type AlarmSound } from './useAlarmSound';

/** Records the tones started; starts suspended, as browsers do before a user gesture. */
class FakeAudioContext {
  static instances: FakeAudioContext[] = [];
  state: 'suspended' | 'running' | 'closed' = 'suspended';
  currentTime = 0;
  destination = {};
  tones = 0;
  constructor() {
    FakeAudioContext.instances.push(this);
  }
  async resume(): Promise<void> {
    this.state = 'running';
  }
  async close(): Promise<void> {
    this.state = 'closed';
  }
  createOscillator() {
    return { type: '', frequency: { value: 0 }, connect: () => undefined, start: () => (this.tones += 1), stop: () => undefined };
  }
  createGain() {
    return { gain: { value: 0 }, connect: () => undefined };
  }
}

function mountSound(ringing = ref(false)) {
  let sound!: AlarmSound;
  const wrapper = mount(
    defineComponent({
      setup() {
        sound = useAlarmSound(ringing);
        return () => null;
      },
    }),
  );
  return { sound, ringing, wrapper };
}

describe('useAlarmSound', () => {
  beforeEach(() => {
    FakeAudioContext.instances = [];
    localStorage.clear();
    vi.stubGlobal('AudioContext', FakeAudioContext);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays silent until enabled, then beeps while an alarm rings, and not when muted', async () => {
    const { sound, ringing, wrapper } = mountSound();
    ringing.value = true;
    await nextTick();
    expect(FakeAudioContext.instances).toHaveLength(0);
    expect(sound.enabled.value).toBe(false);

    await sound.enable();
    const ctx = FakeAudioContext.instances[0];
    expect(sound.enabled.value).toBe(true);
    expect(ctx.tones).toBe(3);
    vi.advanceTimersByTime(kBeepEveryMs);
    expect(ctx.tones).toBe(6);

    sound.toggleMute();
    vi.advanceTimersByTime(kBeepEveryMs * 2);
    expect(ctx.tones).toBe(6);
    expect(localStorage.getItem('xiaoan.alarm-muted')).toBe('1');
    sound.toggleMute();

    ringing.value = false;
    await nextTick();
    vi.advanceTimersByTime(kBeepEveryMs * 2);
    expect(ctx.tones).toBe(6);
    wrapper.unmount();
    expect(ctx.state).toBe('closed');
  });

  it('remembers the mute across pages and says when the browser has no Web Audio', () => {
    localStorage.setItem('xiaoan.alarm-muted', '1');
    expect(mountSound().sound.muted.value).toBe(true);
    vi.stubGlobal('AudioContext', undefined);
    expect(mountSound().sound.unsupported).toBe(true);
  });
});
