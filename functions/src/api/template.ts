// GET /template.xlsx[?prefill=COMMUNE&year=] — the Excel template, optionally pre-filled from the commune's
// latest accepted submission (never with national IDs: they carry over by staff code on re-submission).
// A pre-filled template is a roster (staff codes, titles, scores, birth years): only the commune itself and
// admin may download one (access.ts communeParamGrants), and every such download is audited.
import { COMMUNE_BY_CODE } from '@scorecard/data-contracts';
import { Hono } from 'hono';
import { buildTemplate, type TemplatePrefill } from '../excel/index.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { ApiEnv } from './env.ts';
import { apiError } from './respond.ts';

export function createTemplateApp(deps: { ingest: IngestService; currentYear: () => number }) {
  const app = new Hono<ApiEnv>();
  app.get('/', async (c) => {
    const prefillCode = c.req.query('prefill');
    const year = Number(c.req.query('year') ?? deps.currentYear());
    let prefill: TemplatePrefill | undefined;
    let name = 'mau-bao-cao-can-bo-cap-xa.xlsx';
    if (prefillCode) {
      if (!COMMUNE_BY_CODE.has(prefillCode)) return apiError(c, 404, 'not_found');
      if (!Number.isInteger(year)) return apiError(c, 400, 'bad_request', { detail: 'year' });
      const latest = await deps.ingest.latestAccepted(prefillCode, year);
      if (!latest) {
        await deps.ingest.audit.record(c.get('actor'), 'template.prefill', 'not_found', prefillCode, {
          year,
        });
        return apiError(c, 404, 'not_found');
      }
      await deps.ingest.audit.record(c.get('actor'), 'template.prefill', 'ok', latest.submission_id, {
        commune_code: prefillCode,
        year,
        version: latest.version,
      });
      const { cadres, ...rest } = latest.submission;
      prefill = { ...rest, cadres: cadres.map(({ person_key: _pk, ...cadre }) => cadre) };
      name = `bao-cao-${prefillCode}-${year}-v${latest.version}.xlsx`;
    }
    const bytes = await buildTemplate(prefill ? { prefill } : {});
    return c.body(bytes as unknown as ArrayBuffer, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${name}"`,
    });
  });
  return app;
}
