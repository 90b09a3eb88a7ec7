// Tabular reads served from the marts (never a cold view evaluation per request): KPIs, warnings, rankings,
// data quality, cadre gaps, communes. A commune officer sees own rows only.
//
// Each request becomes a query — mart, years, equality filters, format — with the row scope in it (a commune
// officer's own commune is a filter like any other). Its answer is encoded once per mart generation and kept
// in a bounded cache keyed by (mart generation, query): leaders' and analysts' whole-table answers are a lookup.
// The ETag is derived from the same key, so a client that already holds the answer gets 304.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AuditLog } from '../ingest/audit.ts';
import type { MartTable, Selection } from '../marts/arrow.ts';
import type { MartName, MartReader } from '../marts/marts.ts';
import type { ApiEnv } from './env.ts';
import {
  apiError,
  EncodedCache,
  encodeTabular,
  etagOf,
  type Format,
  notModified,
  sendEncoded,
  wantsArrow,
  withGzip,
} from './respond.ts';

export interface QueryDeps {
  marts: MartReader;
  audit: AuditLog;
  currentYear: () => number;
  /** Bytes of encoded answers kept (default 64 MB; on Lambda, at most an eighth of the function's memory). */
  cacheBytes?: number;
}

function defaultCacheBytes(): number {
  const lambdaMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 0);
  const mb = lambdaMb > 0 ? Math.min(64, Math.floor(lambdaMb / 8)) : 64;
  return mb * 1024 * 1024;
}

type Years = { year: number } | { from: number; to: number };

/** What a request asks of a mart: everything its answer depends on besides the mart generation. */
interface Query {
  mart: MartName;
  years?: Years;
  /** column = value filters, the row scope included (commune_code of a commune officer). */
  eq: [string, string][];
  format: Format;
}

function keyOf(q: Query): string {
  const years = !q.years
    ? ''
    : 'year' in q.years
      ? `year=${q.years.year}`
      : `from=${q.years.from}&to=${q.years.to}`;
  return JSON.stringify([
    q.mart,
    years,
    [...q.eq].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    q.format,
  ]);
}

/** The rows a query selects, in mart order; undefined = the whole table. */
function select(table: MartTable, q: Query): Selection | undefined {
  let rows: number[] | undefined;
  if (q.years) {
    const index = table.yearIndex();
    if ('year' in q.years) rows = index.get(q.years.year) ?? [];
    else {
      const { from, to } = q.years;
      rows = [...index].filter(([y]) => y >= from && y <= to).flatMap(([, list]) => list);
      rows.sort((a, b) => a - b);
    }
  }
  for (const [column, value] of q.eq) {
    const reader = table.reader(column);
    const all = rows ?? Array.from({ length: table.numRows }, (_, i) => i);
    rows = reader ? all.filter((i) => reader.value(i) === value) : [];
  }
  return rows;
}

export function createQueryApp(deps: QueryDeps) {
  const app = new Hono<ApiEnv>();
  const cache = new EncodedCache(deps.cacheBytes ?? defaultCacheBytes());

  /** Parses ?year= (default: the current plan year) or ?from=&to=. */
  function years(c: Context<ApiEnv>): Years | Response {
    const { year, from, to } = c.req.query();
    if (from !== undefined || to !== undefined) {
      const f = Number(from ?? 0);
      const t = Number(to ?? 9999);
      if (!Number.isInteger(f) || !Number.isInteger(t))
        return apiError(c, 400, 'bad_request', { detail: 'from/to' });
      return { from: f, to: t };
    }
    const y = year === undefined ? deps.currentYear() : Number(year);
    if (!Number.isInteger(y)) return apiError(c, 400, 'bad_request', { detail: 'year' });
    return { year: y };
  }

  /** A commune officer's rows are their own; others may narrow with ?commune=. */
  function communeScope(c: Context<ApiEnv>, param = 'commune'): [string, string][] {
    const actor = c.get('actor');
    const code = actor.role === 'commune' ? actor.commune_code : c.req.query(param);
    return code ? [['commune_code', code]] : [];
  }

  async function serve(c: Context<ApiEnv>, mart: MartName, y: Years | undefined, eq: [string, string][]) {
    const snap = await deps.marts.snapshot();
    const table = snap?.tables[mart];
    if (!snap || !table) return c.json({ refreshed_at: null, rows: [] });
    const q: Query = { mart, eq, format: wantsArrow(c) ? 'arrow' : 'json', ...(y ? { years: y } : {}) };
    const key = keyOf(q);
    const generation = snap.generation;
    const etag = etagOf(generation, key);
    const unchanged = notModified(c, etag, q.format, snap.refreshed_at);
    if (unchanged) return unchanged;
    let encoded = cache.get(generation, key);
    if (!encoded) {
      encoded = encodeTabular(table, select(table, q), snap.refreshed_at, q.format, etag);
      cache.set(generation, key, encoded);
    }
    if (!encoded.gzip) {
      await withGzip(c, encoded);
      if (encoded.gzip) cache.set(generation, key, encoded);
    }
    return sendEncoded(c, encoded);
  }

  const withYears = (c: Context<ApiEnv>, mart: MartName, eq: [string, string][] = []) => {
    const y = years(c);
    if (y instanceof Response) return y;
    return serve(c, mart, y, eq);
  };

  app.get('/communes', (c) => serve(c, 'communes', undefined, []));
  app.get('/kpis', (c) => withYears(c, 'kpi_province_year'));
  app.get('/kpis/communes', (c) => withYears(c, 'kpi_commune_year', communeScope(c)));
  app.get('/warnings', (c) => {
    const severity = c.req.query('severity');
    const scope = c.req.query('scope');
    const eq: [string, string][] = [];
    if (severity) eq.push(['severity', severity]);
    if (scope) eq.push(['scope', scope]);
    eq.push(...communeScope(c));
    return withYears(c, 'gap_warnings', eq);
  });
  app.get('/rankings', (c) => {
    const type = c.req.query('type');
    return withYears(c, 'commune_ranking', [
      ...communeScope(c),
      ...(type ? [['type', type] as [string, string]] : []),
    ]);
  });
  app.get('/data-quality', (c) => withYears(c, 'data_quality', communeScope(c)));
  app.get('/data-quality/findings', (c) => withYears(c, 'data_quality_findings', communeScope(c)));
  app.get('/cadre-gaps', async (c) => {
    const actor = c.get('actor');
    const commune = actor.role === 'commune' ? actor.commune_code : c.req.query('commune');
    if (!commune) return apiError(c, 400, 'bad_request', { detail: 'commune' });
    // Reading cadre-level data is audited (it identifies people by staff code) — every request, cached or not.
    await deps.audit.record(actor, 'cadre_gaps.read', 'ok', commune, { year: c.req.query('year') ?? null });
    return withYears(c, 'cadre_gaps', [['commune_code', commune]]);
  });
  return app;
}
