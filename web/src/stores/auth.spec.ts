import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useAuthStore } from './auth';
import { fakeServer, json, problem } from '@/testing/fakeServer';
import { kCountyUser } from '@/testing/fixtures';


describe('auth store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps the user and CSRF token after login, with must_change_password from the answer', async () => {
    const server = fakeServer({
      'POST /api/v1/auth/login': () =>
        json({ token: 't', csrf_token: 'c1', user: kCountyUser, must_change_password: true }),
    });
    vi.stubGlobal('fetch', server.fetch);
    const auth = useAuthStore();
    await auth.login({ username: 'demo-county', password: 'pw' });
    expect(auth.user?.org_code).toBe('410105');
    expect(auth.csrfToken).toBe('c1');
    expect(auth.mustChangePassword).toBe(true);
    expect(JSON.parse(server.seen[0].body ?? '{}')).toEqual({ username: 'demo-county', password: 'pw' });
  });

  it('leaves the store empty when login fails', async () => {
    vi.stubGlobal('fetch', fakeServer({ 'POST /api/v1/auth/login': () => problem(401, 'totp_required') }).fetch);
    const auth = useAuthStore();
    await expect(auth.login({ username: 'sys', password: 'pw' })).rejects.toMatchObject({ code: 'totp_required' });
    expect(auth.isLoggedIn).toBe(false);
  });

  it('asks /auth/me once however many guards wait for it', async () => {
    const server = fakeServer({ 'GET /api/v1/auth/me': () => json({ user: kCountyUser, csrf_token: 'c2' }) });
    vi.stubGlobal('fetch', server.fetch);
    const auth = useAuthStore();
    const [a, b] = await Promise.all([auth.ensureSession(), auth.ensureSession()]);
    await auth.ensureSession();
    expect(a?.username).toBe('demo-county');
    expect(b).toBe(a);
    expect(server.seen).toHaveLength(1);
    expect(auth.csrfToken).toBe('c2');
  });

  it('treats 401 from /auth/me as logged out, and other failures as errors', async () => {
    vi.stubGlobal('fetch', fakeServer({ 'GET /api/v1/auth/me': () => problem(401, 'unauthenticated') }).fetch);
    const auth = useAuthStore();
    await expect(auth.ensureSession()).resolves.toBeNull();
    expect(auth.probed).toBe(true);

    setActivePinia(createPinia());
    vi.stubGlobal('fetch', fakeServer({ 'GET /api/v1/auth/me': () => problem(500, 'internal') }).fetch);
    await expect(useAuthStore().refresh()).rejects.toMatchObject({ status: 500 });
  });

  it('clears the session on logout even when the server call fails', async () => {
    vi.stubGlobal('fetch', fakeServer({
      'POST /api/v1/auth/login': () => json({ token: 't', csrf_token: 'c1', user: kCountyUser, must_change_password: false }),
      'POST /api/v1/auth/logout': () => problem(500, 'internal'),
    }).fetch);
    const auth = useAuthStore();
    await auth.login({ username: 'demo-county', password: 'pw' });
    await expect(auth.logout()).rejects.toBeDefined();
    expect(auth.user).toBeNull();
    expect(auth.csrfToken).toBeNull();
  });

  it('marks the password as changed', async () => {
    vi.stubGlobal('fetch', fakeServer({
      'POST /api/v1/auth/login': () => json({ token: 't', csrf_token: 'c1', user: kCountyUser, must_change_password: true }),
      'POST /api/v1/auth/password': () => new Response(null, { status: 204 }),
    }).fetch);
    const auth = useAuthStore();
    await auth.login({ username: 'demo-county', password: 'old' });
    await auth.changePassword('old', 'N3w-Passw0rd!');
    expect(auth.mustChangePassword).toBe(false);
  });
});
