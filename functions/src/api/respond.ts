// Response helpers: errors as {error:{code,message_vi,message_en}} (never a stack trace), validation errors as
// {errors:[...]}, tabular GETs as {refreshed_at, rows} or Arrow IPC when asked — encoded once per mart
// generation and kept in a bounded cache (EncodedCache), with an ETag so that a client repeating a request
// gets 304 Not Modified.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type ErrorCode, type FieldError, message, type Params } from '@scorecard/data-contracts';
import type { Context } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ByteWriter, type MartTable, type Selection } from '../marts/arrow.ts';

export const ARROW_TYPE = 'application/vnd.apache.arrow.stream';

export function apiError(c: Context, status: ContentfulStatusCode, code: ErrorCode, params: Params = {}) {
  const m = message(code, params);
  return c.json({ error: { code: m.code, message_vi: m.message_vi, message_en: m.message_en } }, status);
}

export function validationErrors(c: Context, errors: FieldError[], status: ContentfulStatusCode = 422) {
  return c.json({ errors }, status);
}

export type Format = 'json' | 'arrow';

export function wantsArrow(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes(ARROW_TYPE);
}

/** One encoded answer: the exact bytes sent, for every client asking the same thing of the same generation. */
export interface Encoded {
  format: Format;
  body: Uint8Array;
  refreshedAt: string;
  etag: string;
  /** The body gzipped, made once on the first request that accepts gzip and kept with the answer. */
  gzip?: Uint8Array;
}

const gzipAsync = promisify(gzip);

/** Answers smaller than this go as they are (hono/compress's own threshold). */
const GZIP_THRESHOLD = 1024;

/**
 * Whether the client takes gzip for this answer, exactly as hono/compress chooses (its candidates gzip then deflate:
 * q = 1 wins at once, otherwise the highest q > 0, gzip on a tie). Parsed with hono's own Accept parser, so that
 * every spelling — weights, `Q=`, `q=abc` (read as 1), duplicates, quotes, `*` for anything not named — is read
 * the same way for kept answers as for the answers compress() handles.
 */
function prefersGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  const accepts = parseAccept(acceptEncoding);
  const wildcard = accepts.find((a) => a.type === '*')?.q;
  let best: { encoding: string; q: number } | undefined;
  for (const encoding of ['gzip', 'deflate']) {
    const explicit = accepts.find((a) => a.type.toLowerCase() === encoding);
    const q = explicit ? explicit.q : (wildcard ?? 0);
    if (q === 1) return encoding === 'gzip';
    if (q > 0 && (!best || q > best.q)) best = { encoding, q };
  }
  return best?.encoding === 'gzip';
}

/**
 * `{refreshed_at, rows}` as JSON (the same bytes as c.json of the row objects) or the rows as an Arrow IPC
 * stream, for a selection of a mart's rows.
 */
export function encodeTabular(
  table: MartTable,
  selection: Selection | undefined,
  refreshedAt: string,
  format: Format,
  etag: string,
): Encoded {
  if (format === 'arrow') return { format, body: table.toIpc(selection), refreshedAt, etag };
  const n = selection ? selection.length : table.numRows;
  const w = new ByteWriter(Math.max(1 << 12, n * 24 * Math.max(1, table.columns.length)));
  w.utf8(`{"refreshed_at":${JSON.stringify(refreshedAt)},"rows":`);
  table.writeJsonRows(w, selection);
  w.ascii('}');
  return { format, body: w.result(), refreshedAt, etag };
}

/**
 * A validator for (mart generation, what was asked, of which rows, in which format). Weak (W/"…"): the same
 * answer may travel gzip-compressed, deflated or as is (hono/compress), and a 304 must carry the same tag as the
 * 200 it stands for, whichever encoding that had.
 */
export function etagOf(generation: string, key: string): string {
  return `W/"${createHash('sha256').update(generation).update('\n').update(key).digest('base64url').slice(0, 32)}"`;
}

function ifNoneMatch(c: Context, etag: string): boolean {
  const header = c.req.header('if-none-match');
  if (!header) return false;
  // Weak comparison (RFC 9110 13.1.2): W/"x" and "x" match.
  const opaque = (tag: string) => tag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || opaque(tag) === opaque(etag);
  });
}

/** Sends an encoded answer, or 304 when the client already holds these bytes (If-None-Match). */
export function sendEncoded(c: Context, e: Encoded): Response {
  const headers: Record<string, string> = {
    etag: e.etag,
    // Private (the rows depend on who asks), revalidated on every use: a new mart generation is a new ETag.
    'cache-control': 'private, no-cache',
    vary: 'Accept, Authorization',
  };
  if (e.format === 'arrow') headers['x-refreshed-at'] = e.refreshedAt;
  if (ifNoneMatch(c, e.etag)) return c.body(null, 304, headers);
  headers['content-type'] = e.format === 'arrow' ? ARROW_TYPE : 'application/json';
  // Gzipped once per answer, not per request (hono/compress would compress a national answer — 7.6 MB of JSON —
  // on every request: p95 119 ms instead of 19 in bench/README.md). Set here, the encoding makes compress() pass.
  if (e.gzip && prefersGzip(c.req.header('accept-encoding'))) {
    headers['content-encoding'] = 'gzip';
    headers.vary = 'Accept, Authorization, Accept-Encoding';
    return c.body(e.gzip as unknown as ArrayBuffer, 200, headers);
  }
  return c.body(e.body as unknown as ArrayBuffer, 200, headers);
}

/** The answer's gzip, made on first need off the event loop (zlib's thread pool) and kept with it. */
export async function withGzip(c: Context, e: Encoded): Promise<Encoded> {
  if (e.gzip || e.body.byteLength < GZIP_THRESHOLD || !prefersGzip(c.req.header('accept-encoding'))) return e;
  e.gzip = new Uint8Array(await gzipAsync(e.body));
  return e;
}

/** 304 without encoding anything, when the client's ETag is the one this answer would have. */
export function notModified(c: Context, etag: string, format: Format, refreshedAt: string): Response | null {
  if (!ifNoneMatch(c, etag)) return null;
  return sendEncoded(c, { format, body: new Uint8Array(0), refreshedAt, etag });
}

/**
 * Encoded answers of the current mart generation, least recently used first out, bounded by bytes. A new
 * generation (refreshed_at) empties it: nothing of an older generation is ever served from it.
 */
export class EncodedCache {
  private generation: string | null = null;
  /** Each answer with the bytes it was counted at (its body, and its gzip once made: set again then). */
  private readonly entries = new Map<string, { e: Encoded; bytes: number }>();
  private total = 0;

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  private use(generation: string): void {
    if (generation === this.generation) return;
    this.entries.clear();
    this.total = 0;
    this.generation = generation;
  }

  get(generation: string, key: string): Encoded | undefined {
    this.use(generation);
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit?.e;
  }

  /** Stores (or, after its gzip was made, re-counts) an answer; the least recently used go past the bound. */
  set(generation: string, key: string, e: Encoded): void {
    this.use(generation);
    const bytes = e.body.byteLength + (e.gzip?.byteLength ?? 0);
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { e, bytes });
    this.total += bytes;
    for (const [k, v] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(k);
      this.total -= v.bytes;
    }
  }
}
