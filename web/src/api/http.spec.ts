import { describe, expect, it, vi } from 'vitest';
import { ApiError, HttpClient, buildQuery, filenameOf } from './http';
import { installInterceptors, type SessionHooks } from './interceptors';
import { fakeServer, json, problem } from '@/testing/fakeServer';

function hooks(overrides: Partial<SessionHooks> = {}): SessionHooks {
  return {
    csrfToken: () => 'tok-123',
    locale: () => 'zh-CN',
    onSessionExpired: vi.fn(),
    onPasswordChangeRequired: vi.fn(),
    ...overrides,
  };
}

describe('HttpClient', () => {
  it('sends same-origin credentials and parses JSON', async () => {
    const server = fakeServer({ 'GET /api/v1/health': () => json({ status: 'ok' }) });
    const client = new HttpClient('/api/v1', server.fetch);
    await expect(client.get('/health')).resolves.toEqual({ status: 'ok' });
    expect(server.seen[0].credentials).toBe('same-origin');
  });

  it('drops empty query values and encodes the rest', async () => {
    expect(buildQuery({ q: '金水 区', page: 2, role: '', x: undefined, active: false })).toBe('?q=%E9%87%91%E6%B0%B4+%E5%8C%BA&page=2&active=false');
    expect(buildQuery({})).toBe('');
  });

  it('sends extra headers given by the caller', async () => {
    const server = fakeServer({ 'POST /api/v1/x': () => json({}, 201) });
    const client = new HttpClient('/api/v1', server.fetch);
    await client.post('/x', { a: 1 }, { headers: { 'Idempotency-Key': 'k-1' } });
    expect(server.seen[0].headers.get('Idempotency-Key')).toBe('k-1');
    expect(server.seen[0].headers.get('Content-Type')).toBe('application/json');
  });

  it('resolves 204 to undefined', async () => {
    const server = fakeServer({ 'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }) });
    const client = new HttpClient('/api/v1', server.fetch);
    await expect(client.post('/auth/logout')).resolves.toBeUndefined();
  });

  it('turns problem+json into a typed ApiError', async () => {
    const server = fakeServer({
      'POST /api/v1/auth/login': () =>
        problem(401, 'account_locked', { locked_until: '2026-01-01T10:15:00+08:00', retry_after_minutes: 15 }),
      'POST /api/v1/org-units': () =>
        problem(400, 'validation_failed', { errors: [{ field: 'code', message: 'must be 10 digits' }] }),
    });
    const client = new HttpClient('/api/v1', server.fetch);
    const locked = await client.post('/auth/login', { username: 'a', password: 'b' }).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(ApiError);
    expect(locked).toMatchObject({ status: 401, code: 'account_locked', retry_after_minutes: 15, locked_until: '2026-01-01T10:15:00+08:00' });

    const invalid = (await client.post('/org-units', {}).catch((e: unknown) => e)) as ApiError;
    expect(invalid.code).toBe('validation_failed');
    expect(invalid.detail).toBe('validation_failed detail');
    expect(invalid.errors).toEqual([{ field: 'code', message: 'must be 10 digits' }]);
  });

  it('gives a code to failures without a problem body', async () => {
    const client = new HttpClient('/api/v1', async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(client.get('/x')).rejects.toMatchObject({ status: 502, code: 'http_502' });
    const offline = new HttpClient('/api/v1', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(offline.get('/x')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('sends JSON bodies as JSON and strings with their content type', async () => {
    const server = fakeServer({ 'POST /api/v1/import': () => json({ created: 1 }) });
    const client = new HttpClient('/api/v1', server.fetch);
    await client.post('/import', { rows: [] });
    await client.post('/import', 'code,name\n', { contentType: 'text/csv' });
    expect(server.seen[0].headers.get('Content-Type')).toBe('application/json');
    expect(server.seen[0].body).toBe('{"rows":[]}');
    expect(server.seen[1].headers.get('Content-Type')).toBe('text/csv');
    expect(server.seen[1].body).toBe('code,name\n');
  });
});

describe('binary bodies and downloads', () => {
  it('sends a Blob as is with the given content type', async () => {
    const server = fakeServer({ 'POST /api/v1/files': () => json({ id: 'abc', content_type: 'image/jpeg', size: 3 }, 201) });
    const client = new HttpClient('/api/v1', server.fetch);
    const bytes = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/png' });
    await expect(client.post('/files', bytes, { query: { school: '9410105001' }, contentType: 'image/jpeg' })).resolves.toMatchObject({ id: 'abc' });
    expect(server.seen[0].url).toBe('/api/v1/files?school=9410105001');
    expect(server.seen[0].headers.get('Content-Type')).toBe('image/jpeg');
    await client.post('/files', bytes);
    expect(server.seen[1].headers.get('Content-Type')).toBe('image/png');
  });

  it('downloads a file with its name from Content-Disposition, through the interceptors', async () => {
    const server = fakeServer({
      'GET /api/v1/compliance/gaps.xlsx': () =>
        new Response(new Uint8Array([80, 75, 3, 4]), {
          headers: { 'Content-Disposition': "attachment; filename=\"gaps.xlsx\"; filename*=UTF-8''%E6%9C%AA%E8%BE%BE%E6%A0%87.xlsx" },
        }),
      'GET /api/v1/ledger/export.xlsx': () => problem(404, 'not_found'),
    });
    const client = new HttpClient('/api/v1', server.fetch);
    const seenErrors: string[] = [];
    client.onError((e) => seenErrors.push(e.code));
    const file = await client.download('/compliance/gaps.xlsx', { org: '410105', item: 'guards' }, 'fallback.xlsx');
    expect(file.filename).toBe('未达标.xlsx');
    expect(new Uint8Array(await file.blob.arrayBuffer())).toEqual(new Uint8Array([80, 75, 3, 4]));
    expect(server.seen[0].url).toBe('/api/v1/compliance/gaps.xlsx?org=410105&item=guards');
    await expect(client.download('/ledger/export.xlsx', { org: '410105' }, 'x.xlsx')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(seenErrors).toEqual(['not_found']);
  });

  it('reads file names from Content-Disposition', () => {
    expect(filenameOf('attachment; filename="ledger-410105.xlsx"')).toBe('ledger-410105.xlsx');
    expect(filenameOf('attachment; filename=plain.xlsx')).toBe('plain.xlsx');
    expect(filenameOf("attachment; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx")).toBe('台账.xlsx');
    expect(filenameOf("attachment; filename*=UTF-8''%E5%ZZ.xlsx; filename=\"ok.xlsx\"")).toBe('ok.xlsx');
    expect(filenameOf(null)).toBeNull();
    expect(filenameOf('inline')).toBeNull();
  });
});

describe('interceptors', () => {
  it('adds X-CSRF-Token on writes only, and Accept-Language always', async () => {
    const server = fakeServer({
      'GET /api/v1/users': () => json({ items: [], total: 0, page: 1, page_size: 50 }),
      'PATCH /api/v1/users/7': () => json({}),
      'POST /api/v1/users/7/unlock': () => json({}),
    });
    const client = new HttpClient('/api/v1', server.fetch);
    installInterceptors(client, hooks());
    await client.get('/users');
    await client.patch('/users/7', { active: false });
    await client.post('/users/7/unlock');
    expect(server.seen[0].headers.has('X-CSRF-Token')).toBe(false);
    expect(server.seen[1].headers.get('X-CSRF-Token')).toBe('tok-123');
    expect(server.seen[2].headers.get('X-CSRF-Token')).toBe('tok-123');
    expect(server.seen[0].headers.get('Accept-Language')).toBe('zh-CN');
  });

  it('sends no CSRF header when logged out', async () => {
    const server = fakeServer({ 'POST /api/v1/auth/login': () => json({}) });
    const client = new HttpClient('/api/v1', server.fetch);
    installInterceptors(client, hooks({ csrfToken: () => null }));
    await client.post('/auth/login', {});
    expect(server.seen[0].headers.has('X-CSRF-Token')).toBe(false);
  });

  it('reports an expired session on 401, but not for requests that handle 401 themselves', async () => {
    const server = fakeServer({
      'GET /api/v1/org-units/410105': () => problem(401, 'unauthenticated'),
      'POST /api/v1/auth/login': () => problem(401, 'invalid_credentials'),
      'POST /api/v1/auth/password': () => problem(401, 'invalid_credentials'),
    });
    const client = new HttpClient('/api/v1', server.fetch);
    const h = hooks();
    installInterceptors(client, h);
    await expect(client.post('/auth/login', {}, { skipAuthHandling: true })).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(client.post('/auth/password', {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(h.onSessionExpired).not.toHaveBeenCalled();
    await expect(client.get('/org-units/410105')).rejects.toMatchObject({ status: 401 });
    expect(h.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('sends the user to the password page on 403 password_change_required only', async () => {
    const server = fakeServer({
      'GET /api/v1/users': () => problem(403, 'password_change_required'),
      'GET /api/v1/audit': () => problem(403, 'forbidden'),
    });
    const client = new HttpClient('/api/v1', server.fetch);
    const h = hooks();
    const remove = installInterceptors(client, h);
    await expect(client.get('/audit')).rejects.toMatchObject({ code: 'forbidden' });
    expect(h.onPasswordChangeRequired).not.toHaveBeenCalled();
    await expect(client.get('/users')).rejects.toMatchObject({ code: 'password_change_required' });
    expect(h.onPasswordChangeRequired).toHaveBeenCalledTimes(1);
    remove();
    await expect(client.get('/users')).rejects.toBeInstanceOf(ApiError);
    expect(h.onPasswordChangeRequired).toHaveBeenCalledTimes(1);
  });
});
