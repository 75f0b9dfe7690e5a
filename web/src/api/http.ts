// The one HTTP client of the app: fetch with request and error interceptors.
// Every API module (auth.ts, org.ts, users.ts, audit.ts) calls through `http`.

/** One field-level problem, as the server reports it in problem+json `errors`. */
export interface FieldError {
  field: string;
  message: string;
  /** Spreadsheet row number (header row = 1); only on `import_failed`. */
  row?: number;
}

/** A paged list answer: `?page=&page_size=` → `{items,total,page,page_size}`. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export interface PageQuery {
  page?: number;
  page_size?: number;
}

interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  locked_until?: string | null;
  retry_after_minutes?: number;
}

/**
 * A failed request. `code` is the server's stable machine word
 * (`invalid_credentials`, `account_locked`, …) or `network_error` /
 * `http_<status>` when the server sent no problem+json.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly locked_until: string | null;
  readonly retry_after_minutes: number | null;

  constructor(status: number, body: ProblemBody) {
    super(body.detail || body.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? (status === 0 ? 'network_error' : `http_${status}`);
    this.detail = body.detail ?? body.title ?? '';
    this.errors = Array.isArray(body.errors) ? body.errors : [];
    this.locked_until = body.locked_until ?? null;
    this.retry_after_minutes =
      typeof body.retry_after_minutes === 'number' ? body.retry_after_minutes : null;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** Sent as JSON unless it is a string or binary (Blob, ArrayBuffer), which is sent as is with `contentType`. */
  body?: unknown;
  contentType?: string;
  /** Extra request headers (Idempotency-Key, say). */
  headers?: Record<string, string>;
  /**
   * When true a 401 is only thrown to the caller: used by login (401 is its
   * normal "wrong password" answer) and by the session probe at start-up.
   */
  skipAuthHandling?: boolean;
}

/** The request as interceptors see it, before it is sent. */
export interface OutgoingRequest {
  url: string;
  init: RequestInit & { headers: Headers; method: string };
  options: RequestOptions;
}

export type RequestInterceptor = (req: OutgoingRequest) => void;
/** Sees every ApiError before the caller does; it may act (redirect) but must not swallow it. */
export type ErrorInterceptor = (error: ApiError, req: OutgoingRequest) => void;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export class HttpClient {
  private readonly requestInterceptors: RequestInterceptor[] = [];
  private readonly errorInterceptors: ErrorInterceptor[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
  ) {}

  /** Adds an interceptor; returns a function that removes it again. */
  onRequest(fn: RequestInterceptor): () => void {
    this.requestInterceptors.push(fn);
    return () => remove(this.requestInterceptors, fn);
  }

  onError(fn: ErrorInterceptor): () => void {
    this.errorInterceptors.push(fn);
    return () => remove(this.errorInterceptors, fn);
  }

  /** Sends one request; resolves to the parsed JSON body (undefined for 204), rejects with ApiError. */
  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * GETs a file (a workbook, say): resolves to its bytes and the file name from
   * Content-Disposition (or `fallbackName`), rejects with ApiError like `request`.
   */
  async download(path: string, query: Record<string, QueryValue> | undefined, fallbackName: string): Promise<Download> {
    const response = await this.send(path, { query, accept: '*/*' });
    return { blob: await response.blob(), filename: filenameOf(response.headers.get('Content-Disposition')) ?? fallbackName };
  }

  /** Sends the request through the interceptors; resolves to a 2xx response, rejects with ApiError. */
  private async send(path: string, options: RequestOptions & { accept?: string }): Promise<Response> {
    const method = options.method ?? 'GET';
    const headers = new Headers({ Accept: options.accept ?? 'application/json, application/problem+json' });
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === 'string') {
        body = options.body;
        headers.set('Content-Type', options.contentType ?? 'text/plain; charset=utf-8');
      } else if (options.body instanceof Blob || options.body instanceof ArrayBuffer) {
        body = options.body;
        headers.set('Content-Type', options.contentType ?? ((options.body instanceof Blob && options.body.type) || 'application/octet-stream'));
      } else {
        body = JSON.stringify(options.body);
        headers.set('Content-Type', 'application/json');
      }
    }
    const req: OutgoingRequest = {
      url: this.baseUrl + path + buildQuery(options.query),
      init: { method, headers, body, credentials: 'same-origin' },
      options,
    };
    for (const fn of this.requestInterceptors) fn(req);

    let response: Response;
    try {
      response = await this.fetchImpl(req.url, req.init);
    } catch (e) {
      throw this.fail(new ApiError(0, { detail: e instanceof Error ? e.message : String(e) }), req);
    }
    if (response.ok) return response;
    throw this.fail(new ApiError(response.status, await readProblem(response)), req);
  }

  get<T>(path: string, query?: Record<string, QueryValue>): Promise<T> {
    return this.request<T>(path, { query });
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'POST', body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, { method: 'PATCH', body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, { method: 'PUT', body });
  }

  private fail(error: ApiError, req: OutgoingRequest): ApiError {
    for (const fn of this.errorInterceptors) fn(error, req);
    return error;
  }
}

/** A downloaded file. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** The file name of a Content-Disposition header: `filename*=UTF-8''…` first, then `filename="…"`. */
export function filenameOf(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // malformed percent-encoding: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(header);
  const name = plain ? (plain[1] ?? plain[2]).trim() : '';
  return name || null;
}

async function readProblem(response: Response): Promise<ProblemBody> {
  const text = await response.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as ProblemBody;
  } catch {
    // not JSON: a proxy's HTML error page, for instance
  }
  return { title: response.statusText, status: response.status };
}

export function buildQuery(query?: Record<string, QueryValue>): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/** Path segment encoding for codes and ids taken from user input or the URL. */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}

export const http = new HttpClient('/api/v1');
