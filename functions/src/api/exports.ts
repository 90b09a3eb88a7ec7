// Meeting packs over HTTP: POST /exports → 202 {export_id}; GET /exports, /exports/:id, /exports/:id/:file.
import { ExportRequestSchema, MEETINGS } from '@scorecard/data-contracts';
import { type Context, Hono } from 'hono';
import type { AuditLog } from '../ingest/audit.ts';
import type { ExportService } from '../packs/export-service.ts';
import { ExportRequestError } from '../packs/pack-request.ts';
import type { ApiEnv } from './env.ts';
import { jsonBody } from './json-body.ts';
import { apiError } from './respond.ts';

export function createExportsApp(deps: { exports: ExportService; audit: AuditLog }) {
  const app = new Hono<ApiEnv>();
  const refused = (c: Context<ApiEnv>) =>
    apiError(c, 400, 'bad_request', { detail: `JSON {year, meeting (${MEETINGS.join('|')}), as_of?}` });
  app.post('/', ...jsonBody(ExportRequestSchema, { malformed: refused, invalid: refused }), async (c) => {
    const actor = c.get('actor');
    const body = c.req.valid('json');
    const { year, meeting } = body;
    const asOf = body.as_of === undefined ? undefined : new Date(body.as_of);
    if (asOf && Number.isNaN(asOf.getTime()))
      return apiError(c, 400, 'bad_request', { detail: 'as_of (ISO-8601)' });
    try {
      const { export_id } = await deps.exports.request({
        meeting,
        year,
        requestedBy: actor.sub,
        ...(asOf ? { asOf } : {}),
      });
      await deps.audit.record(actor, 'export.create', 'queued', export_id, {
        meeting,
        year,
        as_of: asOf?.toISOString() ?? null,
      });
      return c.json({ export_id }, 202);
    } catch (e) {
      if (e instanceof ExportRequestError) return apiError(c, 400, 'bad_request', { detail: e.detail });
      throw e;
    }
  });
  app.get('/', async (c) => c.json({ rows: await deps.exports.list() }));
  app.get('/:id', async (c) => {
    const s = await deps.exports.get(c.req.param('id'));
    return s ? c.json(s) : apiError(c, 404, 'not_found');
  });
  app.get('/:id/:file', async (c) => {
    const f = await deps.exports.file(c.req.param('id'), c.req.param('file'));
    if (!f) return apiError(c, 404, 'not_found');
    await deps.audit.record(c.get('actor'), 'export.download', 'ok', c.req.param('id'), {
      file: c.req.param('file'),
    });
    return c.body(f.bytes as unknown as ArrayBuffer, 200, {
      'content-type': f.contentType,
      'content-disposition': `attachment; filename="${c.req.param('file').replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    });
  });
  return app;
}
