import { onBeforeUnmount, ref, type Ref } from 'vue';

export const kMobileQuery = '(max-width: 767px)';

/** True while the viewport is phone-sized (under 768 px); follows resizes. */
export function useIsMobile(): Ref<boolean> {
  const media = typeof window.matchMedia === 'function' ? window.matchMedia(kMobileQuery) : null;
  const mobile = ref(media?.matches ?? false);
  const update = (e: MediaQueryListEvent) => {
    mobile.value = e.matches;
  };
  media?.addEventListener('change', update);
  onBeforeUnmount(() => media?.removeEventListener('change', update));
  return mobile;
}
