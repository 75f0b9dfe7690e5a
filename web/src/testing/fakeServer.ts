import type { FetchLike } from '@/api/http';

/** One request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  path: string;
  headers: Headers;
  body: string | null;
  credentials: RequestCredentials | undefined;
}

export type Handler = (req: SeenRequest) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function problem(status: number, code: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: code, status, detail: `${code} detail`, code, ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

/**
 * A stand-in for the network (not for the code under test): routes
 * "METHOD /path" to handlers and records every request.
 */
export function fakeServer(routes: Record<string, Handler>): { fetch: FetchLike; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input, 'http://localhost');
    const req: SeenRequest = {
      method: init.method ?? 'GET',
      url: input,
      path: url.pathname,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : null,
      credentials: init.credentials,
    };
    seen.push(req);
    const handler = routes[`${req.method} ${req.path}`];
    if (!handler) return problem(404, 'not_found');
    return handler(req);
  };
  return { fetch, seen };
}
