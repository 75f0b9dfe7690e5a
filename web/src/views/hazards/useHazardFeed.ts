// The hazard events of the live feed for one page (see composables/useLiveFeed.ts): the server
// publishes `hazard.changed` with the hazard after every step and every run of the deadline job.
import { useLiveFeed, type LiveFeed } from '@/composables/useLiveFeed';
import type { Hazard } from '@/api/hazards';

export interface HazardFeedOptions {
  /** A hazard changed (the hazard JSON of GET /hazards, without events) under the org path `orgPath`. */
  onHazard: (hazard: Hazard, orgPath: string) => void;
  /** Read the state again through the REST API (see LiveFeedOptions.onCatchUp). */
  onCatchUp: () => void;
}

export function useHazardFeed(options: HazardFeedOptions): LiveFeed {
  return useLiveFeed({
    typePrefix: 'hazard.',
    onEvent: (event) => {
      if (event.type === 'hazard.changed') options.onHazard(event.data as Hazard, event.org_path);
    },
    onCatchUp: options.onCatchUp,
  });
}

/** Calls `fn` once, `delayMs` after the last of a burst of calls (a job run changes many hazards at once). */
export function settle(fn: () => void, delayMs = 1000): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, delayMs);
  };
}
