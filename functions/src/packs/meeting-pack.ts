// A meeting pack: the .xlsx workbook, one CSV per table, the Vietnamese PDF and manifest.json, computed from the
// views over the submissions received up to `asOf` (docs/interfaces.md `npm run export`).
//
// Reproducible: the warehouse is opened at a fixed as-of instant, every table is sorted on a full key, the CSVs
// hold no generation time, so the same as-of later gives byte-identical CSVs and the same data hashes even
// after more submissions arrive. The generation time lives only in the manifest, outside the data hashes.
import { type Meeting, PLAN } from '@scorecard/data-contracts';
import { sha256Hex } from '../codec/canonical.ts';
import { renderPackCharts } from './charts.ts';
import { tableCsvBytes } from './csv.ts';
import { loadPackTables, loadTrend } from './pack-data.ts';
import {
  type BuildPackOptions,
  CONTENT_TYPES,
  MANIFEST_FILE,
  type Manifest,
  type ManifestFile,
  type ManifestTable,
  PACK_STEPS,
  type PackStep,
} from './pack-files.ts';
import { checkPackRequest } from './pack-request.ts';
import { packPdf } from './pdf.ts';
import { packText } from './text.ts';
import { packWorkbook } from './workbook.ts';

export * from './pack-files.ts';

export { ExportRequestError } from './pack-request.ts';

function packBaseName(meeting: Meeting, years: readonly number[]): string {
  const from = Math.min(...years);
  const to = Math.max(...years);
  return `scorecard-${meeting}-${from === to ? from : `${from}-${to}`}`;
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
