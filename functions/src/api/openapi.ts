// The OpenAPI 3.1 document, generated from the same zod schemas the validators use (data-contracts) and the
// role × route table (access.ts). Public at /api/v1/openapi.json.
import {
  ApiErrorSchema,
  FieldErrorsSchema,
  PLAN,
  ROW_SCHEMAS,
  SubmissionAcceptedSchema,
  SubmissionSchema,
  tabularSchema,
} from '@scorecard/data-contracts';
import { z } from 'zod';
import { ACCESS } from './access.ts';

const TABULAR: Record<string, keyof typeof ROW_SCHEMAS> = {
  '/kpis': 'kpi_province_year',
  '/kpis/communes': 'kpi_commune_year',
  '/warnings': 'gap_warnings',
  '/cadre-gaps': 'cadre_gaps',
  '/rankings': 'commune_ranking',
  '/data-quality': 'data_quality',
  '/communes': 'communes',
};

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { unrepresentable: 'any' }) } });

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ACCESS) {
    const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const roles = r.grants ? Object.entries(r.grants).filter(([, g]) => g !== 'deny').map(([role, g]) => (g === 'own' ? `${role} (own commune)` : role)) : [];
    const op: Record<string, unknown> = {
      summary: `${r.method} ${r.path}`,
      description: r.public ? 'Public.' : `Roles: ${roles.join(', ')}.`,
      security: r.public ? [] : [{ bearer: [] }],
      responses: {
        '401': { description: 'No or invalid token', content: json(ApiErrorSchema) },
        '403': { description: 'Role or commune not allowed', content: json(ApiErrorSchema) },
      } as Record<string, unknown>,
    };
    const responses = op.responses as Record<string, unknown>;
    const table = TABULAR[r.path];
    if (table) {
      op.parameters = [
        { name: 'year', in: 'query', schema: { type: 'integer', enum: PLAN.years } },
        ...(r.communeParam ? [{ name: r.communeParam, in: 'query', schema: { type: 'string', pattern: '^[0-9]{5}$' } }] : []),
      ];
      responses['200'] = {
        description: 'Rows from the marts; Arrow IPC with Accept: application/vnd.apache.arrow.stream (X-Refreshed-At header)',
        content: { ...json(tabularSchema(ROW_SCHEMAS[table])), 'application/vnd.apache.arrow.stream': {} },
      };
    }
    if (r.method === 'POST' && r.path === '/submissions') {
      op.parameters = [
        { name: 'dry_run', in: 'query', schema: { type: 'boolean' } },
        { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } },
      ];
      op.requestBody = {
        content: {
          ...json(SubmissionSchema),
          'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } },
        },
      };
      responses['201'] = { description: 'Accepted as a new version', content: json(SubmissionAcceptedSchema) };
      responses['200'] = { description: 'Identical to the latest version (same id), or the dry-run result', content: json(SubmissionAcceptedSchema) };
      responses['409'] = { description: 'Idempotency-Key reused with another body', content: json(ApiErrorSchema) };
      responses['413'] = { description: 'Body over 4 MB', content: json(ApiErrorSchema) };
      responses['422'] = { description: 'Every validation error', content: json(FieldErrorsSchema) };
    }
    if (!responses['200']) responses['200'] = { description: 'OK' };
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Commune Scorecard API', version: '1.0.0', description: PLAN.title_vi },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
