import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** The current time in ms, updated every `intervalMs` while the component lives (for countdowns). */
export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => {
      now.value = Date.now();
    }, intervalMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}

/**
 * Calls `fn` every `intervalMs` while the component lives, skipping the turns
 * when the page is hidden (a phone in a pocket) and when the previous call has
 * not finished.
 */
export function useEvery(fn: () => Promise<void>, intervalMs: number): void {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running = false;
  onMounted(() => {
    timer = setInterval(async () => {
      if (running || (typeof document !== 'undefined' && document.visibilityState === 'hidden')) return;
      running = true;
      try {
        await fn();
      } finally {
        running = false;
      }
    }, intervalMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
}
