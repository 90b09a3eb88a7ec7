// A meeting pack: the .xlsx workbook, one CSV per table, the Vietnamese PDF and manifest.json, computed from the
// views over the submissions received up to `asOf` (docs/interfaces.md `npm run export`).
//
// Reproducible: the warehouse is opened at a fixed as-of instant, every table is sorted on a full key, the CSVs
// hold no generation time, so the same as-of later gives byte-identical CSVs and the same data hashes even
// after more submissions arrive. The generation time lives only in the manifest, outside the data hashes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Meeting, PLAN, type Plan, yearInPlanZone } from '@scorecard/data-contracts';
import { sha256Hex } from '../lib/canonical.ts';
import type { SqlEngine } from '../ports/sql-engine.ts';
import { openWarehouse } from '../warehouse/duckdb-warehouse.ts';
import { renderPackCharts } from './charts.ts';
import { tableCsvBytes } from './csv.ts';
import { ExportRequestError } from './errors.ts';
import { loadPackTables, loadTrend, packScope } from './pack-data.ts';
import { packPdf } from './pdf.ts';
import { packText } from './text.ts';
import { packWorkbook } from './workbook.ts';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
  content_type: string;
}

export interface ManifestTable {
  name: string;
  file: string;
  columns: string[];
  rows: number;
  /** sha256 of the table's CSV bytes: equal hashes = equal data. */
  data_sha256: string;
}

export interface Manifest {
  manifest_version: 1;
  plan: { plan_id: string; version: string };
  meeting: Meeting;
  years: number[];
  phase_ends: { phase: string; year: number }[];
  /** Only submissions received up to this instant are in the pack. */
  as_of: string;
  submissions: {
    submission_id: string;
    commune_code: string;
    year: number;
    version: number;
    content_sha256: string;
  }[];
  tables: ManifestTable[];
  /** sha256 over the tables' data hashes, in order: one value that says "same data". */
  data_sha256: string;
  /** Every file of the pack but the manifest itself. */
  files: ManifestFile[];
  /** When the files were written — outside every data hash. */
  generated_at: string;
}

export type PackStep = 'query' | 'workbook' | 'csv' | 'charts' | 'pdf' | 'manifest';
export const PACK_STEPS: readonly PackStep[] = ['query', 'workbook', 'csv', 'charts', 'pdf', 'manifest'];

export interface PackProgress {
  step: PackStep;
  /** Steps finished so far (0 … total). */
  done: number;
  total: number;
}

export type ProgressFn = (p: PackProgress) => void;

/** Where a pack's files go: a local folder (CLI) or the object store (exports/<export_id>/, the API). */
export interface PackSink {
  write(name: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

export const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json',
} as const;

export { ExportRequestError } from './errors.ts';

export function packBaseName(meeting: Meeting, years: readonly number[]): string {
  const from = Math.min(...years);
  const to = Math.max(...years);
  return `scorecard-${meeting}-${from === to ? from : `${from}-${to}`}`;
}

export interface BuildPackOptions {
  engine: SqlEngine;
  plan?: Plan;
  year: number;
  meeting: Meeting;
  asOf: Date;
  /** The generation time (manifest only). */
  now: Date;
  sink: PackSink;
  onProgress?: ProgressFn;
}

/** Validates a pack request against the plan; returns its scope. */
export function checkPackRequest(plan: Plan, meeting: string, year: number, asOf: Date, now: Date) {
  if (meeting !== 'annual' && meeting !== 'review' && meeting !== 'final')
    throw new ExportRequestError(`meeting must be annual, review or final (got ${meeting})`);
  if (!Number.isSafeInteger(year)) throw new ExportRequestError(`year must be a whole number (got ${year})`);
  if (Number.isNaN(asOf.getTime())) throw new ExportRequestError('as-of is not an ISO-8601 instant');
  // A pack "as of" a future instant would change as submissions arrive: it could not be reproduced.
  if (asOf.getTime() > now.getTime())
    throw new ExportRequestError(`as-of ${asOf.toISOString()} is in the future`);
  let scope: ReturnType<typeof packScope>;
  try {
    scope = packScope(plan, meeting, year);
  } catch (e) {
    throw new ExportRequestError((e as Error).message);
  }
  // A pack needs at least one of its years to have begun (in the plan's zone) at the as-of instant.
  const current = yearInPlanZone(plan, asOf);
  if (Math.min(...scope.years) > current)
    throw new ExportRequestError(
      `year ${Math.min(...scope.years)} has not begun at as-of ${asOf.toISOString()}`,
    );
  return scope;
}

export async function buildMeetingPack(o: BuildPackOptions): Promise<Manifest> {
  const plan = o.plan ?? PLAN;
  const scope = checkPackRequest(plan, o.meeting, o.year, o.asOf, o.now);
  const total = PACK_STEPS.length;
  let done = 0;
  const progress = (step: PackStep) => o.onProgress?.({ step, done: done++, total });
  const files: ManifestFile[] = [];
  const write = async (name: string, bytes: Uint8Array, contentType: string) => {
    await o.sink.write(name, bytes, contentType);
    files.push({ name, bytes: bytes.byteLength, sha256: sha256Hex(bytes), content_type: contentType });
  };
  const base = packBaseName(o.meeting, scope.years);
  const text = packText(plan, o.meeting, scope.years, o.asOf);

  progress('query');
  const tables = await loadPackTables(o.engine, plan, scope);
  const trend = await loadTrend(o.engine, plan, Math.max(...scope.years));

  progress('workbook');
  await write(`${base}.xlsx`, await packWorkbook(tables, text), CONTENT_TYPES.xlsx);

  progress('csv');
  const manifestTables: ManifestTable[] = [];
  for (const table of tables) {
    const bytes = tableCsvBytes(table);
    const file = `${table.name}.csv`;
    await write(file, bytes, CONTENT_TYPES.csv);
    manifestTables.push({
      name: table.name,
      file,
      columns: table.columns.map((c) => c.code),
      rows: table.rows.length,
      data_sha256: sha256Hex(bytes),
    });
  }

  progress('charts');
  const rowsOf = (name: string) => tables.find((x) => x.name === name)?.rows ?? [];
  const charts = renderPackCharts({
    plan,
    years: scope.years,
    trend,
    warnings: rowsOf('warnings'),
    quality: rowsOf('data_quality'),
    rankings: rowsOf('rankings'),
  });

  progress('pdf');
  await write(`${base}.pdf`, await packPdf({ plan, scope, tables, charts, text }), CONTENT_TYPES.pdf);

  progress('manifest');
  const manifest: Manifest = {
    manifest_version: 1,
    plan: { plan_id: plan.plan_id, version: plan.version },
    meeting: o.meeting,
    years: scope.years,
    phase_ends: scope.phaseEnds,
    as_of: o.asOf.toISOString(),
    submissions: rowsOf('submissions').map((r) => ({
      submission_id: String(r.submission_id),
      commune_code: String(r.commune_code),
      year: Number(r.year),
      version: Number(r.version),
      content_sha256: String(r.content_sha256),
    })),
    tables: manifestTables,
    data_sha256: sha256Hex(manifestTables.map((x) => `${x.name}:${x.data_sha256}`).join('\n')),
    files,
    generated_at: o.now.toISOString(),
  };
  await o.sink.write(
    MANIFEST_FILE,
    new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    CONTENT_TYPES.json,
  );
  o.onProgress?.({ step: 'manifest', done: total, total });
  return manifest;
}

export function folderSink(dir: string): PackSink {
  return {
    async write(name, bytes) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, name), bytes);
    },
  };
}

export interface CreateMeetingPackOptions {
  dataDir: string;
  year: number;
  meeting: Meeting;
  asOf: Date;
  outDir: string;
  onProgress?: ProgressFn;
  plan?: Plan;
  /** The generation time for the manifest (default: the real clock; the CLI passes clockFromEnv()). */
  now?: Date;
}

/** Writes a pack into a local folder from the local data folder (the `npm run export` path). */
export async function createMeetingPack(o: CreateMeetingPackOptions): Promise<Manifest> {
  const plan = o.plan ?? PLAN;
  const now = o.now ?? new Date();
  checkPackRequest(plan, o.meeting, o.year, o.asOf, now);
  const engine = await openWarehouse({ dataDir: o.dataDir, asOf: o.asOf, plan, clock: { now: () => now } });
  try {
    return await buildMeetingPack({
      engine,
      plan,
      year: o.year,
      meeting: o.meeting,
      asOf: o.asOf,
      now,
      sink: folderSink(o.outDir),
      onProgress: o.onProgress,
    });
  } finally {
    await engine.close();
  }
}
