// Response helpers: errors as {error:{code,message_vi,message_en}} (never a stack trace), validation errors as
// {errors:[...]}, tabular GETs as {refreshed_at, rows} or Arrow IPC when asked.
import { type ErrorCode, type FieldError, message, type Params } from '@scorecard/data-contracts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type MartTable, toArrowIpc } from '../marts/arrow.ts';
import type { SqlRow } from '../ports/sql-engine.ts';

export const ARROW_TYPE = 'application/vnd.apache.arrow.stream';

export function apiError(c: Context, status: ContentfulStatusCode, code: ErrorCode, params: Params = {}) {
  const m = message(code, params);
  return c.json({ error: { code: m.code, message_vi: m.message_vi, message_en: m.message_en } }, status);
}

export function validationErrors(c: Context, errors: FieldError[], status: ContentfulStatusCode = 422) {
  return c.json({ errors }, status);
}

export function tabular(c: Context, table: MartTable, rows: SqlRow[], refreshedAt: string) {
  if ((c.req.header('accept') ?? '').includes(ARROW_TYPE)) {
    const columns = table.columns.filter((col) => rows.length === 0 || col.name in (rows[0] as SqlRow));
    const bytes = toArrowIpc({ columns, rows }, rows);
    return c.body(bytes as unknown as ArrayBuffer, 200, { 'content-type': ARROW_TYPE, 'x-refreshed-at': refreshedAt });
  }
  return c.json({ refreshed_at: refreshedAt, rows });
}
