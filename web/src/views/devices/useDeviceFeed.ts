// The device events of the live feed for one page (see composables/useLiveFeed.ts).
import { useLiveFeed, type LiveFeed } from '@/composables/useLiveFeed';
import type { Device } from '@/api/devices';

export interface DeviceFeedOptions {
  /** A device changed status (the device JSON of GET /devices) under the org path `orgPath`. */
  onDevice: (device: Device, orgPath: string) => void;
  /** Read the state again through the REST API (see LiveFeedOptions.onCatchUp). */
  onCatchUp: () => void;
}

export function useDeviceFeed(options: DeviceFeedOptions): LiveFeed {
  return useLiveFeed({
    typePrefix: 'device.',
    onEvent: (event) => {
      if (event.type === 'device.status') options.onDevice(event.data as Device, event.org_path);
    },
    onCatchUp: options.onCatchUp,
  });
}
