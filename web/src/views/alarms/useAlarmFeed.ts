// The alarm events of the live feed (web/src/live.ts) for one page: a client started when the
// page shows and stopped when it goes, alarm events handed over as they come, and a signal to
// read the state again over REST whenever events may have been missed.
import { onBeforeUnmount, onMounted, watch, type ComputedRef } from 'vue';
import { createLiveClient, type LiveEvent, type LiveState } from '@/live';
import type { Alarm } from '@/api/alarms';

export interface AlarmFeedOptions {
  /** An alarm raised, moved on or escalated (the alarm JSON, without steps). */
  onAlarm: (alarm: Alarm) => void;
  /**
   * Read the state again through the REST API: the feed has opened for the first time, came back
   * after it was lost, was reset by the server (too far behind), or the session ended (the REST
   * call then takes the user to the login).
   */
  onCatchUp: () => void;
}

export interface AlarmFeed {
  /** For the connection badge. */
  state: ComputedRef<LiveState>;
}

const kAlarmEvents = new Set(['alarm.raised', 'alarm.updated', 'alarm.escalated']);

export function useAlarmFeed(options: AlarmFeedOptions): AlarmFeed {
  const client = createLiveClient({
    reload: () => options.onCatchUp(),
    onSessionEnded: () => options.onCatchUp(),
  });
  const off = client.subscribe((event: LiveEvent) => {
    if (kAlarmEvents.has(event.type) && event.data && typeof event.data === 'object') options.onAlarm(event.data as Alarm);
  }, 'alarm.');

  // Back after a lost connection: the server replays what it still holds after `since`, but
  // the list is read again all the same, so that the console is right whatever was lost.
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
