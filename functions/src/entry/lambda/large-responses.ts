// Lambda answers at most 6 MB (and binary bodies travel base64-encoded, a third larger). An answer above
// `maxInlineBytes` — a multi-year mart as JSON at national scale, a large pack file — is handed over instead:
// written once under exports/downloads/ (a lifecycle rule deletes it after a day) and answered with
// 303 See Other to a pre-signed GET URL valid a few minutes. Browsers and fetch follow a 303 with a plain GET
// and drop the Authorization header on the way: the signature in the URL is the only credential it needs.
import type { MiddlewareHandler } from 'hono';
import { uuidv7 } from 'uuidv7';
import type { Clock } from '../../ports/clock.ts';

/** 4 MB: 4 × 4/3 (base64) plus headers stays under Lambda's 6 MB response payload. */
const DEFAULT_MAX_INLINE_BYTES = 4 * 1024 * 1024;
const DOWNLOAD_PREFIX = 'exports/downloads/';
const URL_SECONDS = 300;

export interface DownloadStore {
  put(
    key: string,
    body: Uint8Array,
    options?: { contentType?: string; contentEncoding?: string },
  ): Promise<void>;
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
}

export function handOverLargeResponses(o: {
  store: DownloadStore;
  clock: Clock;
  maxInlineBytes?: number;
}): MiddlewareHandler {
  const max = o.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES;
  return async (c, next) => {
    await next();
    const res = c.res;
    if (c.req.method !== 'GET' || res.status !== 200 || !res.body) return;
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared <= max) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    if (body.byteLength <= max) {
      c.res = new Response(body, { status: res.status, headers });
      return;
    }
    const day = o.clock.now().toISOString().slice(0, 10);
    const key = `${DOWNLOAD_PREFIX}date=${day}/${uuidv7()}`;
    // A compressed answer is handed over compressed: S3 sends its Content-Encoding back, and the browser
    // decompresses it as it would have the inline answer.
    const encoding = headers.get('content-encoding');
    await o.store.put(key, body, {
      contentType: headers.get('content-type') ?? 'application/octet-stream',
      ...(encoding ? { contentEncoding: encoding } : {}),
    });
    const location = await o.store.presignGet(key, URL_SECONDS);
    c.res = new Response(null, {
      status: 303,
      headers: {
        location,
        'cache-control': 'no-store',
        'x-scorecard-handover-bytes': String(body.byteLength),
      },
    });
  };
}
