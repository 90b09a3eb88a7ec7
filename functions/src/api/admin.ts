// Analysts' SQL (read-only over the analysts' views) and the audit trail.
import { fieldError, LIMITS } from '@scorecard/data-contracts';
import { Hono } from 'hono';
import type { AuditLog } from '../ingest/audit.ts';
import type { SqlEngine } from '../ports/sql-engine.ts';
import type { ApiEnv } from './env.ts';
import { apiError, validationErrors } from './respond.ts';

export interface SqlDeps {
  /** Opens the hardened analysts' engine (read-only, allowed views only). */
  analystEngine: () => Promise<SqlEngine>;
  /** Throws with a reason when the SQL is not allowed; fails closed. */
  guard: (sql: string) => void;
  audit: AuditLog;
}

export function createSqlApp(deps: SqlDeps) {
  const app = new Hono<ApiEnv>();
  app.post('/', async (c) => {
    const actor = c.get('actor');
    let sql = '';
    try {
      const body = (await c.req.json()) as { sql?: unknown };
      sql = typeof body.sql === 'string' ? body.sql : '';
    } catch {
      return validationErrors(c, [fieldError('', 'invalid_json')]);
    }
    if (sql.trim() === '') return validationErrors(c, [fieldError('/sql', 'required')]);
    try {
      deps.guard(sql);
    } catch (e) {
      await deps.audit.record(actor, 'sql.query', 'rejected', undefined, { sql_sha_len: sql.length });
      return apiError(c, 400, 'sql_rejected', { detail: (e as Error).message });
    }
    const engine = await deps.analystEngine();
    try {
      const r = await engine.query(sql, { maxRows: LIMITS.sqlMaxRows, timeoutMs: LIMITS.sqlTimeoutMs });
      await deps.audit.record(actor, 'sql.query', 'ok', undefined, { rows: r.rows.length, truncated: r.truncated });
      return c.json({ columns: r.columns, rows: r.rows, truncated: r.truncated });
    } catch (e) {
      const msg = (e as Error).message;
      await deps.audit.record(actor, 'sql.query', 'failed');
      if (/interrupt|timeout/i.test(msg)) return apiError(c, 400, 'sql_timeout', { seconds: LIMITS.sqlTimeoutMs / 1000 });
      return apiError(c, 400, 'sql_failed', { detail: msg.split('\n')[0]?.slice(0, 300) ?? '' });
    } finally {
      await engine.close();
    }
  });
  return app;
}

export function createAuditApp(audit: AuditLog) {
  const app = new Hono<ApiEnv>();
  app.get('/', async (c) => {
    const { from, to, actor, action } = c.req.query();
    const f = from ? new Date(from) : null;
    const t = to ? new Date(to) : null;
    if (!f || !t || Number.isNaN(f.getTime()) || Number.isNaN(t.getTime()) || t < f) {
      return apiError(c, 400, 'bad_request', { detail: 'from, to (ISO-8601)' });
    }
    if (t.getTime() - f.getTime() > 366 * 86_400_000) return apiError(c, 400, 'bad_request', { detail: 'at most one year' });
    const rows = await audit.query({ from: f, to: t, ...(actor ? { actor } : {}), ...(action ? { action } : {}) });
    return c.json({ rows });
  });
  return app;
}
