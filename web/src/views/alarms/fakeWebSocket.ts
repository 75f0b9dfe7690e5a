// A stand-in for the browser's WebSocket (not for the live client under test): records the
// sockets the client opens and lets a spec open them, push the server's messages and drop them.
import type { Alarm } from '@/api/alarms';

export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** Every socket opened since the last reset, oldest first. */
  static sockets: FakeWebSocket[] = [];

  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 0;
  binaryType = 'blob';
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  private readonly listeners = new Map<string, Set<(ev: Event) => void>>();

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeWebSocket.sockets.push(this);
  }

  static reset(): void {
    FakeWebSocket.sockets = [];
  }

  /** The newest socket. */
  static last(): FakeWebSocket {
    const s = FakeWebSocket.sockets.at(-1);
    if (!s) throw new Error('no WebSocket was opened');
    return s;
  }

  addEventListener(type: string, fn: (ev: Event) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }

  removeEventListener(type: string, fn: (ev: Event) => void): void {
    this.listeners.get(type)?.delete(fn);
  }

  send(): void {}

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close', Object.assign(new Event('close'), { code, reason, wasClean: true }));
  }

  // ---- driven by the spec ----

  /** The server accepts and says hello with its newest seq. */
  accept(seq = 100): void {
    this.readyState = 1;
    this.emit('open', new Event('open'));
    this.push({ type: 'hello', seq });
  }

  push(message: unknown): void {
    this.emit('message', Object.assign(new Event('message'), { data: JSON.stringify(message) }));
  }

  pushAlarm(type: 'alarm.raised' | 'alarm.updated' | 'alarm.escalated', seq: number, alarm: Alarm): void {
    this.push({ seq, type, org_path: '/410000/410100/410105/9410105001/', at: alarm.received_at, data: alarm });
  }

  /** The connection is lost (the server went away). */
  drop(code = 1006): void {
    this.readyState = 3;
    this.emit('close', Object.assign(new Event('close'), { code, reason: '', wasClean: false }));
  }

  private emit(type: string, ev: Event): void {
    const handler = (this as unknown as Record<string, ((e: Event) => void) | null>)[`on${type}`];
    handler?.call(this, ev);
    for (const fn of this.listeners.get(type) ?? []) fn(ev);
  }
}
