// The console's alarm tone through the Web Audio API. Browsers start an AudioContext suspended
// until the user has interacted with the page, so the console shows a button that enables the
// sound (a user gesture); the choice to mute is kept across reloads.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

const kMutedKey = 'xiaoan.alarm-muted';
/** One beep every this long while an alarm waits for an answer. */
export const kBeepEveryMs = 2000;

type AudioContextClass = typeof AudioContext;

function audioContextClass(): AudioContextClass | null {
  const g = globalThis as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass };
  return g.AudioContext ?? g.webkitAudioContext ?? null;
}

function readMuted(): boolean {
  try {
    return globalThis.localStorage?.getItem(kMutedKey) === '1';
  } catch {
    return false;
  }
}

export interface AlarmSound {
  /** The browser has no Web Audio. */
  unsupported: boolean;
  /** The AudioContext runs: beeps are heard (unless muted). */
  enabled: Ref<boolean>;
  muted: Ref<boolean>;
  /** Must be called from a user gesture (a click). */
  enable(): Promise<void>;
  toggleMute(): void;
  /** Three short high tones, when enabled and not muted. */
  beep(): void;
}

/**
 * The alarm tone; while `ringing` is true (an alarm nobody has answered) it beeps every
 * kBeepEveryMs. The AudioContext is closed when the component goes.
 */
export function useAlarmSound(ringing: Ref<boolean>): AlarmSound {
  const Ctx = audioContextClass();
  const enabled = ref(false);
  const muted = ref(readMuted());
  let context: AudioContext | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;

  async function enable(): Promise<void> {
    if (!Ctx) return;
    context ??= new Ctx();
    if (context.state === 'suspended') await context.resume().catch(() => undefined);
    enabled.value = context.state === 'running';
    if (enabled.value && ringing.value) beep();
  }

  function toggleMute(): void {
    muted.value = !muted.value;
    try {
      globalThis.localStorage?.setItem(kMutedKey, muted.value ? '1' : '0');
    } catch {
      // storage disabled: the choice lasts for this page
    }
  }

  function beep(): void {
    if (!context || !enabled.value || muted.value) return;
    const start = context.currentTime;
    for (let i = 0; i < 3; i++) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(context.destination);
      osc.start(start + i * 0.25);
      osc.stop(start + i * 0.25 + 0.15);
    }
  }

  function ring(on: boolean): void {
    clearInterval(timer);
    timer = undefined;
    if (!on) return;
    beep();
    timer = setInterval(beep, kBeepEveryMs);
  }

  watch(ringing, ring, { immediate: true });
  onBeforeUnmount(() => {
    clearInterval(timer);
    void context?.close().catch(() => undefined);
  });

  return { unsupported: Ctx === null, enabled, muted, enable, toggleMute, beep };
}
