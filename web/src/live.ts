// The live feed (GET /api/v1/live, a WebSocket): events of the caller's jurisdiction pushed by
// the server, with reconnection and catch-up. Wire format: docs/openapi.yaml, /api/v1/live.
//
//   const live = createLiveClient({ reload: () => alarms.refresh() });
//   const off = live.subscribe((e) => alarms.apply(e), 'alarm.');
//   live.start();            // live.state.value drives a status badge
//   …                        // on logout: live.stop()
import { computed, shallowRef, type ComputedRef } from 'vue';

/** One event as the server sends it. */
export interface LiveEvent<T = unknown> {
  seq: number;
  /** Module and change, e.g. `alarm.raised`. */
  type: string;
  /** Materialised path of the org unit the event is about. */
  org_path: string;
  /** RFC 3339. */
  at: string;
  data: T;
}

/**
 * `connecting` (first attempt), `open`, `reconnecting` (lost, waiting or trying again),
 * `unauthorized` (the session ended: log in again, then start()), `stopped`.
 */
export type LiveState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized' | 'stopped';

/** Why `reload` is called. */
export type ReloadReason = 'initial' | 'reset';

/** The part of the browser's WebSocket the client uses (tests pass a fake). */
export interface WebSocketLike {
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface LiveOptions {
  /**
   * Load (or reload) the state the events apply to through the REST API: called once the feed
   * is first open (so nothing falls between the load and the feed) and whenever the server says
   * events were lost (`reset`).
   */
  reload?: (reason: ReloadReason) => void | Promise<void>;
  /** The server closed the feed because the session ended (close code 4401). */
  onSessionEnded?: () => void;
  /** The feed's URL without `since`; default ws(s)://<this host>/api/v1/live. */
  url?: string;
  /** Delay before the first retry; doubles on each failure up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** For tests: the socket factory and the jitter source (0 ≤ x < 1). */
  createSocket?: (url: string) => WebSocketLike;
  random?: () => number;
}

export type LiveListener = (event: LiveEvent) => void;

export interface LiveClient {
  /** Reactive connection state, for a status badge. */
  readonly state: ComputedRef<LiveState>;
  /** The newest seq seen (sent as `since` on reconnection); null before the first hello. */
  readonly lastSeq: number | null;
  /**
   * Connects (again after stop() or unauthorized, catching up from lastSeq). Does nothing while
   * running. One client per session: after logging in as someone else, create a new one.
   */
  start(): void;
  /** Closes the feed and stops reconnecting. */
  stop(): void;
  /** Skips the wait of a pending retry (the network is back, the page is visible again). */
  reconnectNow(): void;
  /** Calls `listener` for each event whose type starts with `typePrefix` (all when omitted). Returns the unsubscribe function. */
  subscribe(listener: LiveListener, typePrefix?: string): () => void;
}

/** Close code of a session that ended (revoked, expired): do not retry before logging in. */
export const kCloseSessionEnded = 4401;

export function defaultLiveUrl(): string {
  const scheme = globalThis.location?.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${globalThis.location?.host ?? 'localhost'}/api/v1/live`;
}

/**
 * The delay before retry number `attempt` (0-based): exponential from `base`, capped at `max`,
 * with half of it random ("equal jitter") so that consoles cut off together do not all come back
 * in the same instant.
 */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function createLiveClient(options: LiveOptions = {}): LiveClient {
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as WebSocketLike);
  const state = shallowRef<LiveState>('stopped');
  const listeners = new Set<{ fn: LiveListener; prefix: string }>();
  let socket: WebSocketLike | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let lastSeq: number | null = null;
  let loaded = false; // reload('initial') has been called
  let running = false;

  function connect(): void {
    timer = null;
    const url = options.url ?? defaultLiveUrl();
    const ws = createSocket(lastSeq === null ? url : `${url}?since=${lastSeq}`);
    socket = ws;
    ws.onmessage = (ev) => {
      if (socket === ws) onMessage(ev.data);
    };
    ws.onclose = (ev) => {
      if (socket === ws) onClose(ev.code);
    };
    ws.onerror = () => {
      // A close event follows; the retry is decided there.
    };
  }

  function onMessage(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: Partial<LiveEvent> & { type?: string };
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (message.type === 'hello' && typeof message.seq === 'number') {
      attempt = 0;
      state.value = 'open';
      if (lastSeq === null) lastSeq = message.seq;
      if (!loaded) {
        loaded = true;
        void callReload('initial');
      }
    } else if (message.type === 'reset' && typeof message.seq === 'number') {
      lastSeq = message.seq;
      void callReload('reset');
    } else if (typeof message.seq === 'number' && typeof message.type === 'string') {
      if (lastSeq !== null && message.seq <= lastSeq) return; // already seen
      lastSeq = message.seq;
      const event = message as LiveEvent;
      for (const { fn, prefix } of [...listeners]) {
        if (!event.type.startsWith(prefix)) continue;
        try {
          fn(event);
        } catch (e) {
          console.error('live listener failed', e);
        }
      }
    }
  }

  async function callReload(reason: ReloadReason): Promise<void> {
    try {
      await options.reload?.(reason);
    } catch (e) {
      console.error('live reload failed', e);
    }
  }

  function onClose(code: number): void {
    socket = null;
    if (!running) return;
    if (code === kCloseSessionEnded) {
      running = false;
      state.value = 'unauthorized';
      options.onSessionEnded?.();
      return;
    }
    state.value = 'reconnecting';
    timer = setTimeout(connect, backoffDelay(attempt, base, max, random));
    attempt++;
  }

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  return {
    state: computed(() => state.value),
    get lastSeq() {
      return lastSeq;
    },
    start() {
      if (running) return;
      running = true;
      attempt = 0;
      state.value = 'connecting';
      connect();
    },
    stop() {
      running = false;
      clearTimer();
      const ws = socket;
      socket = null;
      ws?.close(1000, 'stopped');
      state.value = 'stopped';
    },
    reconnectNow() {
      if (!running || timer === null) return;
      clearTimer();
      connect();
    },
    subscribe(fn, prefix = '') {
      const entry = { fn, prefix };
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}
