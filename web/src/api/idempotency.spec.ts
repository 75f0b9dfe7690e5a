import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './http';
import { createSubmitter, mayHaveBeenWritten, randomKey, type KeyStorage } from './idempotency';
import { submitHealthCheck, type HealthCheckInput } from './health';
import { fakeServer, json, problem } from '@/testing/fakeServer';

const kBody: HealthCheckInput = { class_id: 7, date: '2026-11-30', session: 'morning', enrolled: 45, present: 45, absent_ill: 0, absent_other: 0, cases: [] };

function keys(): () => string {
  let n = 0;
  return () => `key-${++n}`;
}

function memoryStorage(): KeyStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const offline = new ApiError(0, { detail: 'Failed to fetch' });

describe('createSubmitter', () => {
  it('reuses the key when the same body is retried after a network error, then forgets it after success', async () => {
    const seen: string[] = [];
    const send = vi.fn(async (_: HealthCheckInput, key: string) => {
      seen.push(key);
      if (seen.length === 1) throw offline;
      return { ok: key };
    });
    const submitter = createSubmitter(send, { newKey: keys() });
    await expect(submitter.submit(kBody)).rejects.toBe(offline);
    expect(submitter.pendingKey()).toBe('key-1');
    await expect(submitter.submit({ ...kBody })).resolves.toEqual({ ok: 'key-1' });
    expect(submitter.pendingKey()).toBeNull();
    await submitter.submit(kBody);
    expect(seen).toEqual(['key-1', 'key-1', 'key-2']);
  });

  it('reuses the key after a server error (5xx) too, but not after a definite refusal (4xx)', async () => {
    const answers = [new ApiError(503, { code: 'unavailable' }), new ApiError(400, { code: 'validation_failed' }), null];
    const seen: string[] = [];
    const submitter = createSubmitter(
      async (_: HealthCheckInput, key: string) => {
        seen.push(key);
        const a = answers.shift();
        if (a) throw a;
        return key;
      },
      { newKey: keys() },
    );
    await expect(submitter.submit(kBody)).rejects.toMatchObject({ status: 503 });
    await expect(submitter.submit(kBody)).rejects.toMatchObject({ status: 400 });
    await submitter.submit(kBody);
    expect(seen).toEqual(['key-1', 'key-1', 'key-2']);
  });

  it('takes a new key when the body changed after a lost answer (that is a correction, not a retry)', async () => {
    const seen: string[] = [];
    const submitter = createSubmitter(
      async (_: HealthCheckInput, key: string) => {
        seen.push(key);
        throw offline;
      },
      { newKey: keys() },
    );
    await submitter.submit(kBody).catch(() => undefined);
    await submitter.submit({ ...kBody, present: 44, absent_other: 1 }).catch(() => undefined);
    expect(seen).toEqual(['key-1', 'key-2']);
  });

  it('keeps an unanswered key across a reload of the page through storage', async () => {
    const storage = memoryStorage();
    const first = createSubmitter(async () => Promise.reject(offline), { newKey: () => 'before-reload', storage, storageKey: 'k' });
    await first.submit(kBody).catch(() => undefined);
    expect(JSON.parse(storage.data.get('k')!)).toEqual({ key: 'before-reload', body: JSON.stringify(kBody) });

    const used: string[] = [];
    const second = createSubmitter(
      async (_: HealthCheckInput, key: string) => {
        used.push(key);
        return key;
      },
      { newKey: () => 'after-reload', storage, storageKey: 'k' },
    );
    expect(second.pendingKey()).toBe('before-reload');
    await second.submit(kBody);
    expect(used).toEqual(['before-reload']);
    expect(storage.data.has('k')).toBe(false);
  });

  it('judges which failures may have been written', () => {
    expect(mayHaveBeenWritten(offline)).toBe(true);
    expect(mayHaveBeenWritten(new ApiError(502, {}))).toBe(true);
    expect(mayHaveBeenWritten(new ApiError(409, {}))).toBe(false);
    expect(mayHaveBeenWritten(new ApiError(400, {}))).toBe(false);
    expect(mayHaveBeenWritten(new TypeError('x'))).toBe(true);
  });
});

describe('randomKey', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('makes a version-4 UUID even where crypto.randomUUID is missing (plain HTTP)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array<ArrayBuffer>) => real.getRandomValues(b) });
    const a = randomKey();
    const b = randomKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});

describe('submitHealthCheck', () => {
  it('sends the Idempotency-Key header with the JSON body', async () => {
    const server = fakeServer({ 'POST /api/v1/health-checks': () => json({ id: 1 }, 201) });
    vi.stubGlobal('fetch', server.fetch);
    await submitHealthCheck(kBody, 'abc-123');
    expect(server.seen[0].headers.get('Idempotency-Key')).toBe('abc-123');
    expect(server.seen[0].headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(server.seen[0].body!)).toEqual(kBody);
  });

  it('rejects with the server’s field errors', async () => {
    const server = fakeServer({ 'POST /api/v1/health-checks': () => problem(400, 'validation_failed', { errors: [{ field: 'present', message: 'sum' }] }) });
    vi.stubGlobal('fetch', server.fetch);
    await expect(submitHealthCheck(kBody, 'k')).rejects.toMatchObject({ status: 400, errors: [{ field: 'present', message: 'sum' }] });
  });
});
