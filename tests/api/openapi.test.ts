// The API document a generated client can trust (issue 25, items 9–10):
//  - Redocly's recommended rules (the engine of `@redocly/cli lint`) find nothing in it;
//  - it describes every route of the role × route table, each with an operationId, and no route that is gone;
//  - a typed client generated from it by openapi-typescript compiles against a program that calls every route
//    and reads a field of each answer — and the same program with one field misspelt does not compile;
//  - every answer the API tests receive is checked against it (tests/helpers/openapi-check.ts, around the test
//    client) — here shown to reject an answer that contradicts its schema and a status it does not document.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { ACCESS } from '@scorecard/functions/api/access.ts';
import { DESCRIBED_ROUTES, openApiDocument } from '@scorecard/functions/api/openapi.ts';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.ts';
import { checkAnswer, UndocumentedAnswer } from '../helpers/openapi-check.ts';

const doc = openApiDocument() as {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
};

describe('the OpenAPI document', () => {
  it('passes Redocly’s recommended rules with no problem at all', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'openapi.json',
      config,
    });
    expect(
      problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} ${p.location?.[0]?.pointer ?? ''}`),
    ).toEqual([]);
  }, 60_000);

  it('describes every route of the role × route table, with an operationId, and no route that is not there', () => {
    const table = ACCESS.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    expect([...DESCRIBED_ROUTES].sort()).toEqual(table);
    for (const r of ACCESS) {
      const op = doc.paths[`/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`]?.[r.method.toLowerCase()];
      expect(op?.operationId, `${r.method} ${r.path}`).toMatch(/^[a-z][A-Za-z]+$/);
      // The gate's answers are documented on every route it guards.
      if (!r.public)
        expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403', '500']));
    }
  });

  it('refuses, through the test client’s hook, an answer that contradicts its schema or has an undocumented status', async () => {
    const url = 'http://127.0.0.1:1/api/v1/years';
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const good = {
      current_year: 2026,
      years: [2026],
      deadline: '2026-11-05T17:00:00.000Z',
      deadline_passed: true,
    };
    await expect(checkAnswer('GET', url, json(good))).resolves.toBeUndefined();
    await expect(checkAnswer('GET', url, json({ ...good, years: ['2026'] }))).rejects.toBeInstanceOf(
      UndocumentedAnswer,
    );
    await expect(checkAnswer('GET', url, json({ ...good, extra: 1 }))).rejects.toBeInstanceOf(
      UndocumentedAnswer,
    );
    await expect(checkAnswer('GET', url, json(good, 202))).rejects.toBeInstanceOf(UndocumentedAnswer);
    await expect(
      checkAnswer(
        'GET',
        url,
        new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      ),
    ).rejects.toBeInstanceOf(UndocumentedAnswer);
  });
});

/** A program that calls every route through the generated types and reads a field of each answer. */
const PROGRAM = `import type { paths } from './schema';

type Method = 'get' | 'post';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Body<R> = R extends { content: { 'application/json': infer B } } ? B : R extends { content: infer C } ? C[keyof C] : never;
type Answer<P extends keyof paths, M extends Method, S extends number> = Op<P, M> extends { responses: infer R }
  ? S extends keyof R ? Body<R[S]> : never
  : never;
type Input<P extends keyof paths, M extends Method> = Op<P, M> extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type Query<P extends keyof paths, M extends Method> = Op<P, M> extends { parameters: { query?: infer Q } } ? Q : never;

declare function call<P extends keyof paths, M extends Method, S extends number>(
  method: M,
  path: P,
  status: S,
  init?: { query?: Query<P, M>; body?: Input<P, M>; params?: Record<string, string> },
): Promise<Answer<P, M, S>>;

export async function everyRoute(): Promise<unknown[]> {
  const health = await call('get', '/api/v1/health', 200);
  const doc = await call('get', '/api/v1/openapi.json', 200);
  const config = await call('get', '/api/v1/auth/config', 200);
  const login = await call('post', '/api/v1/auth/demo-login', 200, { body: { role: 'commune', commune_code: '28249' } });
  const me = await call('get', '/api/v1/me', 200);
  const years = await call('get', '/api/v1/years', 200);
  const communes = await call('get', '/api/v1/communes', 200);
  const accepted = await call('post', '/api/v1/submissions', 201);
  const invalid = await call('post', '/api/v1/submissions', 422);
  const history = await call('get', '/api/v1/submissions', 200, { query: { year: 2026, commune: '28249' } });
  const voided = await call('post', '/api/v1/submissions/{id}/void', 200, { body: { reason: 'trùng' }, params: { id: 'x' } });
  const kpis = await call('get', '/api/v1/kpis', 200, { query: { year: 2026 } });
  const communeKpis = await call('get', '/api/v1/kpis/communes', 200, { query: { commune: '28249' } });
  const warnings = await call('get', '/api/v1/warnings', 200, { query: { severity: 'critical' } });
  const gaps = await call('get', '/api/v1/cadre-gaps', 200, { query: { commune: '28249' } });
  const rankings = await call('get', '/api/v1/rankings', 200);
  const quality = await call('get', '/api/v1/data-quality', 200);
  const findings = await call('get', '/api/v1/data-quality/findings', 200);
  const template = await call('get', '/api/v1/template.xlsx', 200, { query: { prefill: '28249' } });
  const queued = await call('post', '/api/v1/exports', 202, { body: { year: 2026, meeting: 'annual' } });
  const packs = await call('get', '/api/v1/exports', 200);
  const pack = await call('get', '/api/v1/exports/{id}', 200, { params: { id: 'x' } });
  const file = await call('get', '/api/v1/exports/{id}/{file}', 200, { params: { id: 'x', file: 'manifest.json' } });
  const sql = await call('post', '/api/v1/sql', 200, { body: { sql: 'select 1' } });
  const audit = await call('get', '/api/v1/audit', 200, { query: { from: '2026-01-01', to: '2026-02-01' } });
  const refused = await call('get', '/api/v1/kpis', 401);

  const degraded: string[] | undefined = health.damaged;
  const mode: 'local' | 'cognito' = config.mode;
  const token: string = login.token;
  const role: 'leader' | 'analyst' | 'commune' | 'admin' = me.role;
  const deadline: string = years.deadline;
  const name: string = communes.rows[0].name;
  const version: number = accepted.version;
  const cell: string = invalid.errors[0].path;
  const committed: boolean = history.rows[0].committed;
  const wasVoided: true = voided.voided;
  const met: boolean | null = kpis.rows[0].met;
  const coverage: number | null = kpis.rows[0].coverage_pct;
  const gapUnits: number | null = communeKpis.rows[0].gap_units;
  const severity: 'critical' | 'high' | 'medium' | 'missing' = warnings.rows[0].severity;
  const staff: string = gaps.rows[0].cadre_code;
  const rank: number = rankings.rows[0].rank;
  const song: number = quality.rows[0].song;
  const passed: boolean = findings.rows[0].passed;
  const exportId: string = queued.export_id;
  const status: 'queued' | 'running' | 'done' | 'failed' = packs.rows[0].status;
  const files: number = pack.files.length;
  const truncated: boolean = sql.truncated;
  const action: string = audit.rows[0].action;
  const why: string = refused.error.message_vi;
  return [doc, template, file, degraded, mode, token, role, deadline, name, version, cell, committed, wasVoided, met,
    coverage, gapUnits, severity, staff, rank, song, passed, exportId, status, files, truncated, action, why];
}
`;

function compile(dir: string): string[] {
  const program = ts.createProgram([join(dir, 'client.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file?.fileName.split('/').pop() ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

describe('a client generated from the document', () => {
  it('compiles against a program that calls every route; one misspelt field does not compile', async () => {
    const dir = tempDir('scorecard-client-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'schema.ts'), astToString(await openapiTS(JSON.stringify(doc))));
    // The program calls every documented path (a new route must be added to it).
    for (const path of Object.keys(doc.paths)) expect(PROGRAM, path).toContain(`'${path}'`);
    writeFileSync(join(dir, 'client.ts'), PROGRAM);
    expect(compile(dir)).toEqual([]);
    writeFileSync(
      join(dir, 'client.ts'),
      PROGRAM.replace('kpis.rows[0].coverage_pct', 'kpis.rows[0].coverage'),
    );
    expect(compile(dir).join('\n')).toMatch(/coverage/);
  }, 120_000);
});
