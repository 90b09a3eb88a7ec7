// Tabular reads served from the marts (never a cold view evaluation per request): KPIs, warnings, rankings,
// data quality, cadre gaps, communes. A commune officer sees own rows only.
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AuditLog } from '../ingest/audit.ts';
import type { MartName, MartReader } from '../marts/marts.ts';
import type { SqlRow } from '../ports/sql-engine.ts';
import type { ApiEnv } from './env.ts';
import { apiError, tabular } from './respond.ts';

export interface QueryDeps {
  marts: MartReader;
  audit: AuditLog;
  currentYear: () => number;
}

type Filter = (row: SqlRow) => boolean;

export function createQueryApp(deps: QueryDeps) {
  const app = new Hono<ApiEnv>();

  /** Parses ?year= (default: the current plan year) or ?from=&to=. */
  function years(c: Context<ApiEnv>): Filter | Response {
    const { year, from, to } = c.req.query();
    if (from !== undefined || to !== undefined) {
      const f = Number(from ?? 0);
      const t = Number(to ?? 9999);
      if (!Number.isInteger(f) || !Number.isInteger(t)) return apiError(c, 400, 'bad_request', { detail: 'from/to' });
      return (r) => Number(r.year) >= f && Number(r.year) <= t;
    }
    const y = year === undefined ? deps.currentYear() : Number(year);
    if (!Number.isInteger(y)) return apiError(c, 400, 'bad_request', { detail: 'year' });
    return (r) => Number(r.year) === y;
  }

  /** A commune officer's rows are their own; others may narrow with ?commune=. */
  function communeFilter(c: Context<ApiEnv>, param = 'commune'): Filter {
    const actor = c.get('actor');
    const code = actor.role === 'commune' ? actor.commune_code : c.req.query(param);
    return code ? (r) => r.commune_code === code : () => true;
  }

  async function serve(c: Context<ApiEnv>, mart: MartName, filters: Filter[]) {
    const snap = await deps.marts.snapshot();
    const table = snap?.tables[mart];
    if (!snap || !table) return c.json({ refreshed_at: null, rows: [] });
    const rows = table.rows.filter((r) => filters.every((f) => f(r)));
    return tabular(c, table, rows, snap.refreshed_at);
  }

  const withYears = (c: Context<ApiEnv>, mart: MartName, extra: Filter[] = []) => {
    const y = years(c);
    if (y instanceof Response) return y;
    return serve(c, mart, [y, ...extra]);
  };

  app.get('/communes', (c) => serve(c, 'communes', []));
  app.get('/kpis', (c) => withYears(c, 'kpi_province_year'));
  app.get('/kpis/communes', (c) => withYears(c, 'kpi_commune_year', [communeFilter(c)]));
  app.get('/warnings', (c) => {
    const severity = c.req.query('severity');
    const scope = c.req.query('scope');
    const actor = c.get('actor');
    const filters: Filter[] = [];
    if (severity) filters.push((r) => r.severity === severity);
    if (scope) filters.push((r) => r.scope === scope);
    if (actor.role === 'commune' || c.req.query('commune')) filters.push(communeFilter(c));
    return withYears(c, 'gap_warnings', filters);
  });
  app.get('/rankings', (c) => {
    const type = c.req.query('type');
    return withYears(c, 'commune_ranking', [communeFilter(c), ...(type ? [(r: SqlRow) => r.type === type] : [])]);
  });
  app.get('/data-quality', (c) => withYears(c, 'data_quality', [communeFilter(c)]));
  app.get('/data-quality/findings', (c) => withYears(c, 'data_quality_findings', [communeFilter(c)]));
  app.get('/cadre-gaps', async (c) => {
    const actor = c.get('actor');
    const commune = actor.role === 'commune' ? actor.commune_code : c.req.query('commune');
    if (!commune) return apiError(c, 400, 'bad_request', { detail: 'commune' });
    // Reading cadre-level data is audited (it identifies people by staff code).
    await deps.audit.record(actor, 'cadre_gaps.read', 'ok', commune, { year: c.req.query('year') ?? null });
    return withYears(c, 'cadre_gaps', [(r) => r.commune_code === commune]);
  });
  return app;
}
