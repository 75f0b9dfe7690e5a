import type { HttpClient } from './http';

/** What the interceptors need from the rest of the app (session store, router, locale). */
export interface SessionHooks {
  /** The CSRF token of the current session, or null when logged out. */
  csrfToken(): string | null;
  /** BCP 47 tag of the UI language, sent as Accept-Language. */
  locale(): string;
  /** A request was answered 401: the session is gone (idle timeout, logout elsewhere). */
  onSessionExpired(): void;
  /** A request was answered 403 `password_change_required`. */
  onPasswordChangeRequired(): void;
}

const kSafeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
// 401 answers that are about the credentials just typed, not about the session.
const kCredentialCodes = new Set(['invalid_credentials', 'account_locked', 'totp_required', 'totp_invalid']);

/** Installs the app's interceptors on `client`; returns a function that removes them. */
export function installInterceptors(client: HttpClient, hooks: SessionHooks): () => void {
  const off_request = client.onRequest((req) => {
    req.init.headers.set('Accept-Language', hooks.locale());
    const token = hooks.csrfToken();
    if (token && !kSafeMethods.has(req.init.method)) {
      req.init.headers.set('X-CSRF-Token', token);
    }
  });
  const off_error = client.onError((error, req) => {
    if (error.status === 401 && !req.options.skipAuthHandling && !kCredentialCodes.has(error.code)) {
      hooks.onSessionExpired();
    } else if (error.status === 403 && error.code === 'password_change_required') {
      hooks.onPasswordChangeRequired();
    }
  });
  return () => {
    off_request();
    off_error();
  };
}
