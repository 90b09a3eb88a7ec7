// The OpenAPI 3.1 document, public at /api/v1/openapi.json. Generated from the role × route table (access.ts)
// and one description per route below, whose bodies are the zod schemas of data-contracts (api.ts): every
// parameter, request body and status a route can answer, with the schema of what it sends. Nothing here is
// checked by hand: the API tests check every answer they receive against this document (tests/helpers/
// openapi-check.ts), a linter (Redocly's recommended rules) must find no error in it, and a client generated
// from it (openapi-typescript) must compile against a program that calls every route.
import {
  ApiErrorSchema,
  AuditSchema,
  AuthConfigSchema,
  DemoLoginRequestSchema,
  DemoLoginSchema,
  DryRunSchema,
  ExportListSchema,
  ExportQueuedSchema,
  ExportRequestSchema,
  ExportStatusSchema,
  FieldErrorsSchema,
  HealthSchema,
  LIMITS,
  MeSchema,
  PLAN,
  ROW_SCHEMAS,
  SqlRequestSchema,
  SqlResultSchema,
  SubmissionAcceptedSchema,
  SubmissionHistorySchema,
  SubmissionSchema,
  tabularSchema,
  VoidedSchema,
  VoidRequestSchema,
  YearsSchema,
} from '@scorecard/data-contracts';
import { z } from 'zod';
import { ACCESS, type RouteAccess } from './access.ts';
import { ARROW_TYPE } from './respond.ts';

type JsonSchema = Record<string, unknown>;

/** Named schemas: each becomes components/schemas/<name>, referenced wherever it is used. */
const NAMED = {
  ApiError: ApiErrorSchema,
  FieldErrors: FieldErrorsSchema,
  Submission: SubmissionSchema,
  SubmissionAccepted: SubmissionAcceptedSchema,
  DryRun: DryRunSchema,
  SubmissionHistory: SubmissionHistorySchema,
  VoidRequest: VoidRequestSchema,
  Voided: VoidedSchema,
  Health: HealthSchema,
  AuthConfig: AuthConfigSchema,
  DemoLoginRequest: DemoLoginRequestSchema,
  DemoLogin: DemoLoginSchema,
  Me: MeSchema,
  Years: YearsSchema,
  ExportRequest: ExportRequestSchema,
  ExportQueued: ExportQueuedSchema,
  ExportStatus: ExportStatusSchema,
  ExportList: ExportListSchema,
  SqlRequest: SqlRequestSchema,
  SqlResult: SqlResultSchema,
  Audit: AuditSchema,
  KpiProvinceRows: tabularSchema(ROW_SCHEMAS.kpi_province_year),
  KpiCommuneRows: tabularSchema(ROW_SCHEMAS.kpi_commune_year),
  WarningRows: tabularSchema(ROW_SCHEMAS.gap_warnings),
  CadreGapRows: tabularSchema(ROW_SCHEMAS.cadre_gaps),
  RankingRows: tabularSchema(ROW_SCHEMAS.commune_ranking),
  DataQualityRows: tabularSchema(ROW_SCHEMAS.data_quality),
  DataQualityFindingRows: tabularSchema(ROW_SCHEMAS.data_quality_findings),
  CommuneRows: tabularSchema(ROW_SCHEMAS.communes),
} as const;
type Name = keyof typeof NAMED;
/** Request bodies are read as input (defaults optional); answers as output. */
const INPUTS: ReadonlySet<Name> = new Set([
  'Submission',
  'VoidRequest',
  'DemoLoginRequest',
  'ExportRequest',
  'SqlRequest',
]);

function toJsonSchema(name: Name): JsonSchema {
  const { $schema: _drop, ...schema } = z.toJSONSchema(NAMED[name], {
    unrepresentable: 'any',
    io: INPUTS.has(name) ? 'input' : 'output',
  }) as JsonSchema;
  return schema;
}

const ref = (name: Name): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const jsonOf = (name: Name) => ({ 'application/json': { schema: ref(name) } });
const binary = { type: 'string', contentMediaType: 'application/octet-stream' };

interface Answer {
  description: string;
  content?: Record<string, { schema?: JsonSchema }>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}
const error = (description: string): Answer => ({ description, content: jsonOf('ApiError') });
const fieldErrors = (description: string): Answer => ({ description, content: jsonOf('FieldErrors') });
const ok = (description: string, name: Name): Answer => ({ description, content: jsonOf(name) });

interface Param {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}
const query = (name: string, schema: JsonSchema, description?: string): Param => ({
  name,
  in: 'query',
  schema,
  ...(description ? { description } : {}),
});
const pathParam = (name: string, description: string): Param => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const COMMUNE = { type: 'string', pattern: '^[0-9]{5}$' };
const YEAR = { type: 'integer', examples: [PLAN.years[0]] };

interface RouteDoc {
  operationId: string;
  summary: string;
  parameters?: Param[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, Answer>;
}

/** A tabular read from the marts: JSON rows or Arrow IPC, ETag / 304, ?year= or ?from=&to=. */
function tabular(
  operationId: string,
  summary: string,
  rows: Name,
  extra: Param[] = [],
  communeFilter = true,
): RouteDoc {
  return {
    operationId,
    summary,
    parameters: [
      query('year', YEAR, 'Plan year (default: the current year)'),
      query('from', { type: 'integer' }, 'First year of a range (with `to`)'),
      query('to', { type: 'integer' }, 'Last year of a range (with `from`)'),
      ...(communeFilter
        ? [query('commune', COMMUNE, 'One commune (a commune officer: own commune only)')]
        : []),
      ...extra,
      {
        name: 'If-None-Match',
        in: 'header',
        description: 'The ETag of an answer already held',
        schema: { type: 'string' },
      },
    ],
    responses: {
      '200': {
        description: `Rows from the marts; Arrow IPC with Accept: ${ARROW_TYPE} (refreshed_at in X-Refreshed-At)`,
        content: { ...jsonOf(rows), [ARROW_TYPE]: { schema: binary } },
        headers: {
          ETag: {
            description: 'Validator of this answer (weak: the same answer may travel compressed or not)',
            schema: { type: 'string' },
          },
        },
      },
      '304': { description: 'Not modified: the client already holds this answer (If-None-Match)' },
      '400': error('A year or range that is not a whole number'),
    },
  };
}

const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /health': {
    operationId: 'getHealth',
    summary: 'Liveness, mode and whether the data verified',
    responses: {
      '200': ok('Serving verified data', 'Health'),
      '503': ok('Degraded: the last good figures are served; the damaged files are named', 'Health'),
    },
  },
  'GET /openapi.json': {
    operationId: 'getOpenApi',
    summary: 'This document',
    responses: {
      '200': {
        description: 'The OpenAPI 3.1 document',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
    },
  },
  'GET /auth/config': {
    operationId: 'getAuthConfig',
    summary: 'How to sign in (local demo users or Cognito)',
    responses: { '200': ok('Sign-in configuration', 'AuthConfig') },
  },
  'POST /auth/demo-login': {
    operationId: 'demoLogin',
    summary: 'Local mode: sign in as a demo user (a one-time code once the folder holds real data)',
    requestBody: { required: true, content: { 'application/json': { schema: ref('DemoLoginRequest') } } },
    responses: {
      '200': ok('A bearer token for the role', 'DemoLogin'),
      '400': error('Not JSON, or an unknown role or commune'),
      '403': error('The one-time sign-in code is required, or wrong'),
      '404': error('Not in local mode'),
      '415': error('The body must be application/json'),
      '429': error('Too many sign-in attempts'),
    },
  },
  'GET /me': {
    operationId: 'getMe',
    summary: 'Who the token says you are',
    responses: { '200': ok('The signed-in user', 'Me') },
  },
  'GET /years': {
    operationId: 'getYears',
    summary: 'The current plan year, the years with data, the report deadline',
    responses: { '200': ok('The reporting calendar', 'Years') },
  },
  'GET /communes': tabular(
    'getCommunes',
    'The reference list of communes and wards',
    'CommuneRows',
    [],
    false,
  ),
  'POST /submissions': {
    operationId: 'postSubmission',
    summary: 'Submit a yearly report and roster: the contract JSON, or the .xlsx template as multipart',
    parameters: [
      query('dry_run', { type: 'boolean' }, 'Validate only: writes nothing'),
      {
        name: 'Idempotency-Key',
        in: 'header',
        description: 'The same key and body within 24 h answers as the first time; another body → 409',
        schema: { type: 'string', maxLength: 200 },
      },
    ],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: ref('Submission') },
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: {
              file: {
                type: 'string',
                contentMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
              },
            },
          },
        },
      },
    },
    responses: {
      '201': ok('Accepted as a new version', 'SubmissionAccepted'),
      '200': {
        description: 'Identical to the latest version (status duplicate), or the dry-run verdict',
        content: { 'application/json': { schema: { oneOf: [ref('SubmissionAccepted'), ref('DryRun')] } } },
      },
      '403': error('Not your commune (a workbook: which cell names which commune)'),
      '409': error('Idempotency-Key reused with another body'),
      '413': {
        description: `Body over ${LIMITS.maxBodyBytes / 1024 / 1024} MB, or a workbook too costly to read`,
        content: { 'application/json': { schema: { oneOf: [ref('ApiError'), ref('FieldErrors')] } } },
      },
      '422': fieldErrors('Every validation error, by JSON pointer or by cell (Sheet!Cell)'),
      '503': fieldErrors('Too many workbooks being read at once: send again in a few minutes'),
    },
  },
  'GET /submissions': {
    operationId: 'getSubmissions',
    summary: 'The register of versions received for a year',
    parameters: [query('year', YEAR, 'Plan year (default: the current year)'), query('commune', COMMUNE)],
    responses: {
      '200': ok('Every version, voided or not', 'SubmissionHistory'),
      '400': error('A year that is not a whole number'),
    },
  },
  'POST /submissions/{id}/void': {
    operationId: 'voidSubmission',
    summary: 'Void a version (admin), with a reason',
    parameters: [pathParam('id', 'The submission id')],
    requestBody: { required: true, content: { 'application/json': { schema: ref('VoidRequest') } } },
    responses: {
      '200': ok('Voided', 'Voided'),
      '404': error('No such submission'),
      '409': error('Already voided'),
      '415': error('The body must be application/json'),
      '422': fieldErrors('A reason is required (at most 500 characters)'),
    },
  },
  'GET /kpis': tabular(
    'getKpis',
    'Province KPIs against the phase targets, with coverage',
    'KpiProvinceRows',
    [],
    false,
  ),
  'GET /kpis/communes': tabular('getCommuneKpis', 'KPIs by commune', 'KpiCommuneRows'),
  'GET /warnings': tabular('getWarnings', 'Gap warnings', 'WarningRows', [
    query('severity', { type: 'string', enum: ['critical', 'high', 'medium', 'missing'] }),
    query('scope', { type: 'string', enum: ['province', 'commune'] }),
  ]),
  'GET /cadre-gaps': (() => {
    const doc = tabular('getCadreGaps', 'Cadres below standard, by staff code (audited)', 'CadreGapRows');
    doc.responses['400'] = error(
      'A commune is required (leader, admin), or a year that is not a whole number',
    );
    return doc;
  })(),
  'GET /rankings': tabular('getRankings', 'Commune ranking with its components', 'RankingRows', [
    query('type', { type: 'string' }, 'Commune type'),
  ]),
  'GET /data-quality': tabular('getDataQuality', 'Data quality: Đúng – Đủ – Sạch – Sống', 'DataQualityRows'),
  'GET /data-quality/findings': tabular(
    'getDataQualityFindings',
    'The soft rules behind Đúng',
    'DataQualityFindingRows',
  ),
  'GET /template.xlsx': {
    operationId: 'getTemplate',
    summary:
      'The .xlsx template, optionally pre-filled from a commune’s latest version (never with national IDs)',
    parameters: [
      query('prefill', COMMUNE, 'Pre-fill for this commune (the commune itself or admin)'),
      query('year', YEAR),
    ],
    responses: {
      '200': {
        description: 'The workbook',
        content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: binary } },
      },
      '400': error('A year that is not a whole number'),
      '404': error('No such commune, or nothing accepted to pre-fill from'),
    },
  },
  'POST /exports': {
    operationId: 'postExport',
    summary: 'Queue a meeting pack at an as-of instant',
    requestBody: { required: true, content: { 'application/json': { schema: ref('ExportRequest') } } },
    responses: {
      '202': ok('Queued', 'ExportQueued'),
      '400': error('Not JSON, a meeting or year the plan does not have, or an as-of in the future'),
      '415': error('The body must be application/json'),
    },
  },
  'GET /exports': {
    operationId: 'getExports',
    summary: 'Meeting packs requested',
    responses: { '200': ok('Every pack', 'ExportList') },
  },
  'GET /exports/{id}': {
    operationId: 'getExport',
    summary: 'One pack’s status and files',
    parameters: [pathParam('id', 'The export id')],
    responses: { '200': ok('Its status', 'ExportStatus'), '404': error('No such export') },
  },
  'GET /exports/{id}/{file}': {
    operationId: 'getExportFile',
    summary: 'One file of a pack (audited)',
    parameters: [pathParam('id', 'The export id'), pathParam('file', 'A file name from the pack’s files')],
    responses: {
      '200': {
        description: 'The file',
        content: {
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: binary },
          'text/csv': { schema: binary },
          'application/pdf': { schema: binary },
          'application/json': { schema: { type: 'object' } },
        },
      },
      '404': error('No such export or file'),
    },
  },
  'POST /sql': {
    operationId: 'postSql',
    summary: 'Analysts’ read-only SQL over the analysts’ views',
    requestBody: { required: true, content: { 'application/json': { schema: ref('SqlRequest') } } },
    responses: {
      '200': ok('Columns and rows (capped; truncated says so)', 'SqlResult'),
      '400': error('Refused (not one SELECT over allowed views), failed, timed out or out of memory'),
      '413': error(`The answer is over ${LIMITS.sqlMaxResultBytes / 1024 / 1024} MB`),
      '415': error('The body must be application/json'),
      '422': fieldErrors('Not JSON, or no SQL'),
      '503': error(
        'The data failed verification (the engine is not answering until it is repaired), or the SQL engine restarted while the statement ran: run it again',
      ),
    },
  },
  'GET /audit': {
    operationId: 'getAudit',
    summary: 'The audit trail (admin)',
    parameters: [
      { ...query('from', { type: 'string', format: 'date-time' }), required: true },
      { ...query('to', { type: 'string', format: 'date-time' }), required: true },
      query('actor', { type: 'string' }),
      query('action', { type: 'string' }),
    ],
    responses: {
      '200': ok('Events in the window', 'Audit'),
      '400': error('from and to (ISO-8601), at most one year apart'),
    },
  },
};

const openApiPath = (r: RouteAccess) => r.path.replace(/:(\w+)/g, '{$1}');

/** What every route can answer besides its own: the gate in front of every route (app.ts, local/server.ts). */
function common(r: RouteAccess): Record<string, Answer> {
  return {
    ...(r.public
      ? {}
      : {
          '401': error('No token, or an invalid or expired one'),
          '403': error('Your role may not do this, or not for that commune'),
        }),
    ...(r.method === 'POST' ? { '413': error(`Body over ${LIMITS.maxBodyBytes / 1024 / 1024} MB`) } : {}),
    ...(r.method === 'POST' && !r.public ? { '429': error('Too many writes: wait a minute') } : {}),
    '400': error('A malformed request URL'),
    '421': error('Local mode: a Host header that is not this server’s (DNS-rebinding guard)'),
    '500': error('An internal error (logged with the request id; never a stack trace)'),
  };
}

let built: Record<string, unknown> | undefined;

/** The document (built once per process: it depends on nothing but the code). */
export function openApiDocument(): Record<string, unknown> {
  built ??= buildDocument();
  return built;
}

/** The route descriptions, for the test that every one describes a route of the table (none stale). */
export const DESCRIBED_ROUTES: readonly string[] = Object.keys(ROUTE_DOCS);

function buildDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ACCESS) {
    const path = openApiPath(r);
    const doc = ROUTE_DOCS[`${r.method} ${path}`];
    if (!doc) throw new Error(`openapi: no description of ${r.method} ${path}`);
    const roles = r.grants
      ? Object.entries(r.grants)
          .filter(([, g]) => g !== 'deny')
          .map(([role, g]) => (g === 'own' ? `${role} (own commune)` : role))
      : [];
    // A route's own description of a status wins over the gate's (e.g. 403 "not your commune").
    const responses = { ...common(r), ...doc.responses };
    paths[`/api/v1${path}`] = {
      ...(paths[`/api/v1${path}`] ?? {}),
      [r.method.toLowerCase()]: {
        operationId: doc.operationId,
        summary: doc.summary,
        description: r.public
          ? 'Public.'
          : `Roles: ${roles.join(', ')}.${r.localOnly ? ' Local mode only.' : ''}`,
        security: r.public ? [] : [{ bearer: [] }],
        ...(doc.parameters ? { parameters: doc.parameters } : {}),
        ...(doc.requestBody ? { requestBody: doc.requestBody } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Commune Scorecard API',
      version: '1.0.0',
      description: PLAN.title_vi,
      license: { name: 'Proprietary — the province’s own system', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [
      { url: '/', description: 'This server: local (http://127.0.0.1:8787) or the CloudFront distribution' },
    ],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: Object.fromEntries((Object.keys(NAMED) as Name[]).map((n) => [n, toJsonSchema(n)])),
    },
    paths,
  };
}
