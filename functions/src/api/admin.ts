// Analysts' SQL (read-only over the analysts' views) and the audit trail.
import { fieldError, fieldErrorsOf, LIMITS, SqlRequestSchema } from '@scorecard/data-contracts';
import { Hono } from 'hono';
import type { AuditLog } from '../ingest/audit.ts';
import { DamagedFiles } from '../integrity/verify.ts';
import type { SqlEngine } from '../ports/sql-engine.ts';
import type { ApiEnv } from './env.ts';
import { jsonBody } from './json-body.ts';
import { apiError, validationErrors } from './respond.ts';

type GuardVerdict = { ok: true } | { ok: false; detail: string };

export interface SqlDeps {
  /** The hardened analysts' engine (read-only, allowed views only); it applies the guard itself too. */
  analystEngine: () => SqlEngine;
  /** Rejects (with a reason) SQL that is not one SELECT over the analysts' views; fails closed. */
  guard: (sql: string) => GuardVerdict | Promise<GuardVerdict>;
  audit: AuditLog;
  /** The engine's deadline for one statement (default LIMITS.sqlTimeoutMs; Athena: LIMITS.sqlTimeoutMsAthena). */
  timeoutMs?: number;
}

export function createSqlApp(deps: SqlDeps) {
  const app = new Hono<ApiEnv>();
  const body = jsonBody(SqlRequestSchema, {
    malformed: (c) => validationErrors(c, [fieldError('', 'invalid_json')]),
    invalid: (c, issues, sent) => validationErrors(c, fieldErrorsOf(issues, sent)),
  });
  app.post('/', ...body, async (c) => {
    const actor = c.get('actor');
    const { sql } = c.req.valid('json');
    if (sql.trim() === '') return validationErrors(c, [fieldError('/sql', 'required')]);
    // The audit keeps the SQL text (never its results), bounded like the guard bounds it.
    const text = sql.slice(0, LIMITS.sqlMaxTextChars);
    const verdict = await deps.guard(sql);
    if (!verdict.ok) {
      await deps.audit.record(actor, 'sql.query', 'rejected', undefined, { sql: text, length: sql.length });
      return apiError(c, 400, 'sql_rejected', { detail: verdict.detail });
    }
    const engine = deps.analystEngine();
    try {
      const r = await engine.query(sql, {
        maxRows: LIMITS.sqlMaxRows,
        timeoutMs: deps.timeoutMs ?? LIMITS.sqlTimeoutMs,
        maxBytes: LIMITS.sqlMaxResultBytes,
      });
      await deps.audit.record(actor, 'sql.query', 'ok', undefined, {
        sql: text,
        rows: r.rows.length,
        truncated: r.truncated,
      });
      return c.json({ columns: r.columns, rows: r.rows, truncated: r.truncated });
    } catch (e) {
      const err = e as Error & { code?: string; detail?: string };
      await deps.audit.record(actor, 'sql.query', 'failed', undefined, {
        sql: text,
        code: err.code ?? 'sql_failed',
      });
      if (e instanceof DamagedFiles) return apiError(c, 503, 'data_damaged');
      if (err.code === 'sql_timeout')
        return apiError(c, 400, 'sql_timeout', { seconds: (deps.timeoutMs ?? LIMITS.sqlTimeoutMs) / 1000 });
      if (err.code === 'sql_rejected') return apiError(c, 400, 'sql_rejected', { detail: err.detail ?? '' });
      if (err.code === 'sql_too_large')
        return apiError(c, 413, 'sql_too_large', { max_mb: LIMITS.sqlMaxResultBytes / 1024 / 1024 });
      if (err.code === 'sql_out_of_memory') return apiError(c, 400, 'sql_out_of_memory');
      if (err.code === 'sql_engine_restarted') {
        c.header('Retry-After', '1');
        return apiError(c, 503, 'sql_engine_restarted');
      }
      return apiError(c, 400, 'sql_failed', {
        detail: (err.detail ?? err.message).split('\n')[0]?.slice(0, 300) ?? '',
      });
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
    if (t.getTime() - f.getTime() > 366 * 86_400_000)
      return apiError(c, 400, 'bad_request', { detail: 'at most one year' });
    const rows = await audit.query({
      from: f,
      to: t,
      ...(actor ? { actor } : {}),
      ...(action ? { action } : {}),
    });
    return c.json({ rows });
  });
  return app;
}
