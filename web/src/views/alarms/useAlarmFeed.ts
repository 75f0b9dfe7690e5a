// The alarm events of the live feed for one page (see composables/useLiveFeed.ts).
import { useLiveFeed, type LiveFeed } from '@/composables/useLiveFeed';
import type { Alarm } from '@/api/alarms';

export interface AlarmFeedOptions {
  /** An alarm raised, moved on or escalated (the alarm JSON, without steps). */
  onAlarm: (alarm: Alarm) => void;
  /** Read the state again through the REST API (see LiveFeedOptions.onCatchUp). */
  onCatchUp: () => void;
}

const kAlarmEvents = new Set(['alarm.raised', 'alarm.updated', 'alarm.escalated']);

export function useAlarmFeed(options: AlarmFeedOptions): LiveFeed {
  return useLiveFeed({
    typePrefix: 'alarm.',
    onEvent: (event) => {
      if (kAlarmEvents.has(event.type)) options.onAlarm(event.data as Alarm);
    },
    onCatchUp: options.onCatchUp,
  });
}
