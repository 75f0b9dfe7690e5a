// The device events of the live feed (web/src/live.ts) for one page: a client started when the
// page shows and stopped when it goes, each status change handed over as it comes, and a signal
// to read the state again over REST whenever events may have been missed.
import { onBeforeUnmount, onMounted, watch, type ComputedRef } from 'vue';
import { createLiveClient, type LiveEvent, type LiveState } from '@/live';
import type { Device } from '@/api/devices';

export interface DeviceFeedOptions {
  /** A device changed status (the device JSON of GET /devices) under the org path `orgPath`. */
  onDevice: (device: Device, orgPath: string) => void;
  /** Read the state again: the feed opened, came back after it was lost, was reset, or the session ended. */
  onCatchUp: () => void;
}

export function useDeviceFeed(options: DeviceFeedOptions): { state: ComputedRef<LiveState> } {
  const client = createLiveClient({
    reload: () => options.onCatchUp(),
    onSessionEnded: () => options.onCatchUp(),
  });
  const off = client.subscribe((event: LiveEvent) => {
    if (event.type === 'device.status' && event.data && typeof event.data === 'object') options.onDevice(event.data as Device, event.org_path);
  }, 'device.');

  watch(client.state, (now, before) => {
    if (now === 'open' && before === 'reconnecting') options.onCatchUp();
  });

  const wake = () => {
    if (document.visibilityState !== 'hidden') client.reconnectNow();
  };
  onMounted(() => {
    client.start();
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
  });
  onBeforeUnmount(() => {
    off();
    client.stop();
    window.removeEventListener('online', wake);
    document.removeEventListener('visibilitychange', wake);
  });

  return { state: client.state };
}
