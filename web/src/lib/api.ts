// The API client: bearer token, JSON or Arrow, errors as values with both languages. Only the pages' *.data.ts
// files call it.
import { DEFAULT_API_BASE } from './cognito.ts';
import { renewSession } from './renewal.ts';
import { session, signOut } from './session.ts';
import type { FieldError, Table } from './types.ts';

export const API_BASE = DEFAULT_API_BASE;
const ARROW_MIME = 'application/vnd.apache.arrow.stream';

/**
 * Where requests go: this origin's /api/v1, unless the startup says otherwise (cognito.json may name the API's
 * URL). While that answer is pending, requests wait for it rather than go to the wrong place.
 */
let base: string | Promise<string> = API_BASE;

export function setApiBase(next: string | Promise<string>): void {
  base = next;
  if (typeof next !== 'string') {
    void next.then((resolved) => {
      if (base === next) base = resolved;
    });
  }
}

// apache-arrow (the largest library of the dashboard: bench/README.md, "Measured once") is not part of the first download, so the sign-in screen never loads it: the
// decoder loads alongside the first tabular request, or from startup when a session is already there.
const arrowDecoder = () => import('./arrow.ts');

export function preloadArrowDecoder(): void {
  arrowDecoder().catch(() => undefined); // reported by the request that needs it
}

/** An API failure: `{error:{code,message_vi,message_en}}`, `{errors:[...]}`, or no answer at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message_vi: string | null,
    readonly message_en: string | null,
    readonly errors: FieldError[] = [],
  ) {
    super(message_en ?? code);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

function apiUrl(
  path: string,
  query: Query = {},
  apiBase = typeof base === 'string' ? base : API_BASE,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${apiBase}${path}${qs ? `?${qs}` : ''}`;
}

/** The request's URL; a promise only while the startup has not said where the API is. */
function requestUrl(path: string, query: Query = {}): string | Promise<string> {
  return typeof base === 'string' ? apiUrl(path, query, base) : base.then((b) => apiUrl(path, query, b));
}

function headers(extra: Record<string, string> = {}, token?: string): Headers {
  const h = new Headers(extra);
  const bearer = token ?? session()?.token;
  if (bearer) h.set('Authorization', `Bearer ${bearer}`);
  return h;
}

async function fetchOnce(url: string | Promise<string>, init: RequestInit): Promise<Response> {
  try {
    // With the base known, fetch starts synchronously (callers and tests rely on the request being out).
    return await fetch(typeof url === 'string' ? url : await url, init);
  } catch {
    throw new ApiError(0, 'network', null, null);
  }
}

/**
 * Sends the request; when it carried the session's token and the API answers 401, the session is renewed once
 * (a hosted sign-in's refresh token, lib/renewal.ts) and the request repeated with the new token.
 */
async function send(
  url: string | Promise<string>,
  init: RequestInit,
  sessionToken: boolean,
): Promise<Response> {
  const res = await fetchOnce(url, init);
  if (res.status !== 401 || !sessionToken || !session()?.refresh_token) return res;
  if (!(await renewSession())) return res;
  const retried = new Headers(init.headers);
  const token = session()?.token;
  if (token) retried.set('Authorization', `Bearer ${token}`);
  return fetchOnce(url, { ...init, headers: retried });
}

async function failure(res: Response, sessionToken: boolean): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: reported by status
  }
  // The session's token expired or was revoked (and could not be renewed): back to the sign-in screen, which
  // says why, rather than a page full of errors.
  if (res.status === 401 && sessionToken && session()) signOut('expired');
  const b = body as { error?: FieldError; errors?: FieldError[] } | null;
  if (b?.error) return new ApiError(res.status, b.error.code, b.error.message_vi, b.error.message_en);
  if (Array.isArray(b?.errors)) {
    return new ApiError(
      res.status,
      'validation',
      b.errors[0]?.message_vi ?? null,
      b.errors[0]?.message_en ?? null,
      b.errors,
    );
  }
  return new ApiError(res.status, 'unexpected', null, null);
}

export interface RequestOptions {
  /** Use this token instead of the session's (the sign-in screen checking a pasted token). */
  token?: string;
}

export async function getJson<T>(path: string, query: Query = {}, opts: RequestOptions = {}): Promise<T> {
  const h = headers({ Accept: 'application/json' }, opts.token);
  const mine = !opts.token && h.has('Authorization');
  const res = await send(requestUrl(path, query), { headers: h }, mine);
  if (!res.ok) throw await failure(res, mine);
  return (await res.json()) as T;
}

/** A tabular GET, asked as Arrow; a server that answers JSON is read as JSON. */
export async function getTable<T>(path: string, query: Query = {}): Promise<Table<T>> {
  const h = headers({ Accept: `${ARROW_MIME}, application/json;q=0.5` });
  const decoder = arrowDecoder();
  decoder.catch(() => undefined); // a JSON answer never needs it; an Arrow one reports the failure below
  const mine = h.has('Authorization');
  const res = await send(requestUrl(path, query), { headers: h }, mine);
  if (!res.ok) throw await failure(res, mine);
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes(ARROW_MIME)) {
    const bytes = await res.arrayBuffer();
    const { rowsFromArrow } = await decoder.catch(() => {
      throw new ApiError(0, 'network', null, null);
    });
    const rows = rowsFromArrow<T>(bytes);
    return { refreshed_at: res.headers.get('X-Refreshed-At'), rows };
  }
  const body = (await res.json()) as Partial<Table<T>>;
  return { refreshed_at: body.refreshed_at ?? null, rows: body.rows ?? [] };
}

/** A file download (the Excel template): the bytes and the name the server gave it. */
export async function getFile(
  path: string,
  query: Query = {},
): Promise<{ blob: Blob; filename: string | null }> {
  const h = headers();
  const mine = h.has('Authorization');
  const res = await send(requestUrl(path, query), { headers: h }, mine);
  if (!res.ok) throw await failure(res, mine);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
  return { blob: await res.blob(), filename };
}

export interface Posted<T> {
  status: number;
  body: T;
}

/**
 * POST a JSON or multipart body. `acceptStatuses` lists non-2xx answers that are results, not failures
 * (a dry run's 422 carries the field errors the page shows).
 */
export async function post<T>(
  path: string,
  body: unknown,
  opts: { query?: Query; headers?: Record<string, string>; acceptStatuses?: number[]; token?: string } = {},
): Promise<Posted<T>> {
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  const h = headers(
    {
      Accept: 'application/json',
      ...(isForm ? {} : { 'Content-Type': 'application/json' }),
      ...opts.headers,
    },
    opts.token,
  );
  const mine = !opts.token && h.has('Authorization');
  const res = await send(
    requestUrl(path, opts.query),
    {
      method: 'POST',
      headers: h,
      body: isForm ? (body as FormData) : typeof body === 'string' ? body : JSON.stringify(body),
    },
    mine,
  );
  if (!res.ok && !opts.acceptStatuses?.includes(res.status)) throw await failure(res, mine);
  return { status: res.status, body: (await res.json()) as T };
}
