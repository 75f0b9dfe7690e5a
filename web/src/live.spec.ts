import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, createLiveClient, kCloseSessionEnded, type LiveEvent, type WebSocketLike } from './live';

/** A WebSocket the test drives: the server's messages and closes are method calls. */
class FakeSocket implements WebSocketLike {
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  closedByClient: { code?: number; reason?: string } | null = null;

  constructor(readonly url: string) {}

  send(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
  hello(seq: number): void {
    this.send({ type: 'hello', seq });
  }
  event(seq: number, type = 'alarm.raised'): void {
    this.send({ seq, type, org_path: '/410000/410100/410105/9410105001/', at: '2026-11-28T20:09:11+08:00', data: { seq } });
  }
  serverClose(code = 1006): void {
    this.onclose?.({ code } as CloseEvent);
  }
  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
  }
}

function setup(options: Parameters<typeof createLiveClient>[0] = {}) {
  const sockets: FakeSocket[] = [];
  const reload = vi.fn();
  const client = createLiveClient({
    url: 'ws://test/api/v1/live',
    reload,
    random: () => 0.5,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    ...options,
  });
  const events: LiveEvent[] = [];
  client.subscribe((e) => events.push(e));
  const last = () => sockets[sockets.length - 1];
  return { client, sockets, last, reload, events };
}

describe('live client', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects without since, opens on hello and loads the state once', () => {
    const { client, last, reload } = setup();
    expect(client.state.value).toBe('stopped');
    client.start();
    expect(client.state.value).toBe('connecting');
    expect(last().url).toBe('ws://test/api/v1/live');
    last().hello(41);
    expect(client.state.value).toBe('open');
    expect(client.lastSeq).toBe(41);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(reload).toHaveBeenCalledWith('initial');
  });

  it('emits events in order, remembers the last seq and drops repeats', () => {
    const { client, last, events } = setup();
    client.start();
    last().hello(10);
    last().event(12);
    last().event(15, 'alarm.acknowledged');
    last().event(15); // a repeat
    last().event(11); // older than what was seen
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [12, 'alarm.raised'],
      [15, 'alarm.acknowledged'],
    ]);
    expect(events[0].data).toEqual({ seq: 12 });
    expect(client.lastSeq).toBe(15);
  });

  it('filters by type prefix and stops calling after unsubscribe', () => {
    const { client, last } = setup();
    const alarms: number[] = [];
    const off = client.subscribe((e) => alarms.push(e.seq), 'alarm.');
    client.start();
    last().hello(0);
    last().event(1, 'alarm.raised');
    last().event(2, 'device.offline');
    off();
    last().event(3, 'alarm.closed');
    expect(alarms).toEqual([1]);
  });

  it('reconnects with since after a drop, with growing delays, and catches up', () => {
    const { client, sockets, last, reload, events } = setup();
    client.start();
    last().hello(100);
    last().event(101);
    last().serverClose(1006);
    expect(client.state.value).toBe('reconnecting');
    // Attempt 0 waits between 0.5 and 1 s (here 0.75 s with random 0.5).
    vi.advanceTimersByTime(749);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(last().url).toBe('ws://test/api/v1/live?since=101');
    // The handshake fails twice more: 1.5 s, then 3 s.
    last().serverClose(1006);
    vi.advanceTimersByTime(1499);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    last().serverClose(1006);
    vi.advanceTimersByTime(3000);
    expect(sockets).toHaveLength(4);
    // The server replays what was missed.
    last().hello(104);
    last().event(102);
    last().event(104);
    expect(client.state.value).toBe('open');
    expect(events.map((e) => e.seq)).toEqual([101, 102, 104]);
    expect(reload).toHaveBeenCalledTimes(1); // the initial load only
    // A successful connection starts the delays over.
    last().serverClose(1013);
    vi.advanceTimersByTime(750);
    expect(sockets).toHaveLength(5);
    expect(last().url).toBe('ws://test/api/v1/live?since=104');
  });

  it('reloads on reset and continues from its seq', () => {
    const { client, last, reload, events } = setup();
    client.start();
    last().hello(5);
    last().serverClose();
    vi.runOnlyPendingTimers();
    last().hello(90000);
    last().send({ type: 'reset', seq: 90000 });
    expect(reload).toHaveBeenLastCalledWith('reset');
    expect(client.lastSeq).toBe(90000);
    last().event(90001);
    expect(events.map((e) => e.seq)).toEqual([90001]);
  });

  it('never waits more than 30 s between attempts, with jitter', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 30_000, () => 0.999999)).toBe(1000);
    expect(backoffDelay(4, 1000, 30_000, () => 0.5)).toBe(12_000);
    for (const attempt of [5, 6, 20, 1000]) {
      expect(backoffDelay(attempt, 1000, 30_000, () => 0)).toBe(15_000);
      expect(backoffDelay(attempt, 1000, 30_000, () => 0.999999)).toBe(30_000);
    }
    const { client, sockets, last } = setup();
    client.start();
    for (let i = 0; i < 12; i++) {
      last().serverClose();
      vi.advanceTimersByTime(30_000);
      expect(sockets).toHaveLength(i + 2);
    }
  });

  it('stops retrying when the session ended, and says so', () => {
    const onSessionEnded = vi.fn();
    const { client, sockets, last } = setup({ onSessionEnded });
    client.start();
    last().hello(1);
    last().serverClose(kCloseSessionEnded);
    expect(client.state.value).toBe('unauthorized');
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(120_000);
    expect(sockets).toHaveLength(1);
    // After logging in again, start() catches up from the last seq.
    client.start();
    expect(last().url).toBe('ws://test/api/v1/live?since=1');
  });

  it('stop closes the socket and cancels a pending retry', () => {
    const { client, sockets, last } = setup();
    client.start();
    last().hello(1);
    const first = last();
    client.stop();
    expect(first.closedByClient).toEqual({ code: 1000, reason: 'stopped' });
    expect(client.state.value).toBe('stopped');
    first.serverClose(1000); // the close completing does not bring it back
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);

    client.start();
    last().serverClose();
    client.stop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('reconnectNow skips the wait', () => {
    const { client, sockets, last } = setup();
    client.start();
    last().serverClose();
    expect(sockets).toHaveLength(1);
    client.reconnectNow();
    expect(sockets).toHaveLength(2);
  });

  it('ignores messages it does not understand and survives a throwing listener', () => {
    const { client, last, events } = setup();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    client.subscribe(() => {
      throw new Error('listener bug');
    });
    client.start();
    last().onmessage?.({ data: 'not json' } as MessageEvent);
    last().send({ type: 'something-new' });
    last().hello(1);
    last().event(2);
    expect(events.map((e) => e.seq)).toEqual([2]);
    expect(errors).toHaveBeenCalled();
  });
});
