// The live feed (web/src/live.ts) for one page: a client started when the page shows and stopped
// when it goes, the events of one family handed over as they come, and a signal to read the state
// again over REST whenever events may have been missed. The alarm console, the alarm button and
// the devices page use it through their own small wrappers.
import { onBeforeUnmount, onMounted, watch, type ComputedRef } from 'vue';
import { createLiveClient, type LiveEvent, type LiveState } from '@/live';

export interface LiveFeedOptions {
  /** Only events whose type starts with this (`alarm.`, `device.`). */
  typePrefix: string;
  /** An event of that family with an object as its data. */
  onEvent: (event: LiveEvent) => void;
  /**
   * Read the state again through the REST API: the feed has opened for the first time, came back
   * after it was lost, was reset by the server (too far behind), or the session ended (the REST
   * call then takes the user to the login).
   */
  onCatchUp: () => void;
}

export interface LiveFeed {
  /** For the connection badge. */
  state: ComputedRef<LiveState>;
}

export function useLiveFeed(options: LiveFeedOptions): LiveFeed {
  const client = createLiveClient({
    reload: () => options.onCatchUp(),
    onSessionEnded: () => options.onCatchUp(),
  });
  const off = client.subscribe((event: LiveEvent) => {
    if (event.data && typeof event.data === 'object') options.onEvent(event);
  }, options.typePrefix);

  // Back after a lost connection: the server replays what it still holds after `since`, but the
  // state is read again all the same, so that the page is right whatever was lost.
  watch(client.state, (now, before) => {
    if (now === 'open' && before === 'reconnecting') options.onCatchUp();
  });

  // A phone coming out of a pocket or back on the network should not wait out the backoff.
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
