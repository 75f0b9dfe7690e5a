// Idempotency-Key handling for a write that a phone may have to retry: one key
// per submission, the same key again when the very same body is retried after
// the answer was lost, so that the server writes it at most once.
import { isApiError } from './http';

/** A fresh random key (a UUID). crypto.randomUUID exists only in secure contexts; plain HTTP on a LAN has getRandomValues. */
export function randomKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Whether the request may have been written although no answer came back: no
 * response at all (network error, status 0) or a server error (5xx). A 4xx is
 * a definite answer: nothing was written.
 */
export function mayHaveBeenWritten(e: unknown): boolean {
  if (!isApiError(e)) return true;
  return e.status === 0 || e.status >= 500;
}

/** The part of Web Storage the submitter uses (sessionStorage in the browser). */
export type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

interface Pending {
  key: string;
  body: string;
}

export interface Submitter<P, R> {
  /**
   * Sends `payload`. Reuses the key of the previous attempt when that attempt
   * may have been written and `payload` is the same; otherwise takes a new key.
   */
  submit(payload: P): Promise<R>;
  /** The key an unanswered attempt used, if any. */
  pendingKey(): string | null;
}

/**
 * Wraps `send` so that retries of one submission share an Idempotency-Key.
 * With `storage` (and `storageKey`), an unanswered attempt survives a reload
 * of the page: re-sending the same body after the reload reuses its key.
 */
export function createSubmitter<P, R>(
  send: (payload: P, key: string) => Promise<R>,
  options: { newKey?: () => string; storage?: KeyStorage | null; storageKey?: string } = {},
): Submitter<P, R> {
  const newKey = options.newKey ?? randomKey;
  const storage = options.storage ?? null;
  const storageKey = options.storageKey ?? 'xiaoan.pending-submission';
  let pending: Pending | null = read();

  function read(): Pending | null {
    try {
      const text = storage?.getItem(storageKey);
      if (!text) return null;
      const parsed = JSON.parse(text) as Partial<Pending>;
      return typeof parsed.key === 'string' && typeof parsed.body === 'string' ? { key: parsed.key, body: parsed.body } : null;
    } catch {
      return null;
    }
  }

  function keep(next: Pending | null): void {
    pending = next;
    try {
      if (next) storage?.setItem(storageKey, JSON.stringify(next));
      else storage?.removeItem(storageKey);
    } catch {
      // storage full or disabled: the key still lives in memory
    }
  }

  return {
    async submit(payload: P): Promise<R> {
      const body = JSON.stringify(payload);
      const key = pending && pending.body === body ? pending.key : newKey();
      keep({ key, body });
      try {
        const result = await send(payload, key);
        keep(null);
        return result;
      } catch (e) {
        if (!mayHaveBeenWritten(e)) keep(null);
        throw e;
      }
    },
    pendingKey: () => pending?.key ?? null,
  };
}
