/** A thin typed wrapper over the JSON API: same origin, session cookie, `{error:{code,message,details}}` errors. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** Called when any request answers 401 (the session ended): the app goes back to the login page. */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(handler: (() => void) | null) {
  onUnauthenticated = handler;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(method: string, path: string, options: { body?: unknown; query?: Query } = {}): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (options.body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated?.();
    throw new ApiError(response.status, error?.code ?? `http.${response.status}`, error?.message ?? response.statusText, error?.details);
  }
  return data as T;
}

/** GET requests started before anyone asked (at boot, from the URL): the first `api.get` of the same URL takes it. */
const early = new Map<string, Promise<unknown>>();
export function prefetch<T = unknown>(path: string): Promise<T> {
  const known = early.get(path);
  if (known) return known as Promise<T>;
  const pending = request<T>('GET', path);
  pending.catch(() => undefined); // its taker sees the error; an untaken one must not be "unhandled"
  early.set(path, pending);
  return pending;
}

function get<T>(path: string, query?: Query): Promise<T> {
  const url = withQuery(path, query);
  const hit = early.get(url);
  if (hit) {
    early.delete(url);
    return hit as Promise<T>;
  }
  return request<T>('GET', path, { query });
}

export const api = {
  get,
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  patch: <T>(path: string, body: unknown, query?: Query) => request<T>('PATCH', path, { body, query }),
  put: <T>(path: string, body: unknown, query?: Query) => request<T>('PUT', path, { body, query }),
  del: <T>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
};
