// The tables of a meeting pack, read from the analysts' views (interfaces.md) for the pack's years and sorted
// deterministically, so that the same as-of instant always yields the same rows in the same order — the basis
// of byte-identical CSVs and stable data hashes.
import { COMMUNE_TYPE, type KpiCode, type Meeting, type Plan, SEVERITIES } from '@scorecard/data-contracts';
import type { ExportTextCode } from '@scorecard/data-contracts/i18n/excel.ts';
import type { SqlEngine, SqlRow, SqlValue } from '../ports/sql-engine.ts';

export type PackColumnType = 'string' | 'int' | 'double' | 'bool' | 'timestamp';

export interface PackColumn {
  code: string;
  label: ExportTextCode;
  type: PackColumnType;
}

export interface PackTable {
  /** File stem of the CSV and key in the manifest. */
  name: string;
  sheet: ExportTextCode;
  columns: PackColumn[];
  rows: SqlRow[];
}

export interface PackScope {
  meeting: Meeting;
  /** The plan years the pack covers (annual: one; review: phase P1; final: every phase). */
  years: number[];
  /** Phases whose last year is in the pack — their phase-end results (review and final packs). */
  phaseEnds: { phase: string; year: number }[];
}

/** The years and phase ends of a pack, from the plan file (never literals). */
export function packScope(plan: Plan, meeting: Meeting, year: number): PackScope {
  let years: number[];
  if (meeting === 'annual') {
    if (!plan.years.includes(year)) throw new RangeError(`year ${year} is not a plan year`);
    years = [year];
  } else {
    // The review closes the phase whose closing meeting is "review"; the final pack covers every phase.
    const phases = meeting === 'review' ? plan.phases.filter((p) => p.closing_meeting === 'review') : plan.phases;
    if (phases.length === 0) throw new RangeError(`the plan has no phase closing with a ${meeting} meeting`);
    years = [...new Set(phases.flatMap((p) => p.years))].sort((a, b) => a - b);
    if (!years.includes(year)) throw new RangeError(`year ${year} is not covered by the ${meeting} pack (${years.join(', ')})`);
  }
  const phaseEnds =
    meeting === 'annual'
      ? []
      : plan.phases
          .map((p) => ({ phase: p.code, year: Math.max(...p.years) }))
          .filter((p) => years.includes(p.year));
  return { meeting, years, phaseEnds };
}

const col = (code: string, label: ExportTextCode, type: PackColumnType): PackColumn => ({ code, label, type });

const KPI_COLS = (withCommune: boolean): PackColumn[] => [
  col('year', 'col_year', 'int'),
  col('phase', 'col_phase', 'string'),
  ...(withCommune
    ? [col('commune_code', 'col_commune_code', 'string'), col('commune_name', 'col_commune', 'string'), col('commune_type', 'col_type', 'string')]
    : []),
  col('kpi', 'col_kpi_code', 'string'),
  col('kpi_label', 'col_kpi', 'string'),
  col('numerator', 'col_numerator', 'int'),
  col('denominator', 'col_denominator', 'int'),
  col('value_pct', 'col_value', 'double'),
  col('comparator', 'col_comparator', 'string'),
  col('target_pct', 'col_target_pct', 'double'),
  col('target_wording', 'col_wording', 'string'),
  col('met', 'col_met', 'bool'),
  ...(withCommune ? [] : [col('communes_reporting', 'col_communes_reporting', 'int')]),
];

type Key = (string | number | null)[];
function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1; // NULLS LAST
    if (y === null) return -1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    // Code-point order, never locale order: the sort must not depend on the host's ICU data.
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

function sortBy(rows: SqlRow[], key: (r: SqlRow) => Key): SqlRow[] {
  return rows
    .map((r) => ({ r, k: key(r) }))
    .sort((a, b) => compareKeys(a.k, b.k))
    .map((x) => x.r);
}

/** Keeps exactly the pack's columns, in order (a view that gains a column must not change old packs). */
function project(rows: SqlRow[], columns: PackColumn[]): SqlRow[] {
  return rows.map((r) => Object.fromEntries(columns.map((c) => [c.code, (r[c.code] ?? null) as SqlValue])));
}

export async function loadPackTables(engine: SqlEngine, plan: Plan, scope: PackScope): Promise<PackTable[]> {
  const years = scope.years.map((y) => {
    if (!Number.isSafeInteger(y)) throw new RangeError(`bad year ${y}`);
    return y;
  });
  const inYears = `(${years.join(', ')})`;
  const q = async (sql: string) => (await engine.query(sql)).rows;
  const kpiOrder = new Map(plan.kpis.map((k, i) => [k.code as string, i]));
  const kpiIdx = (r: SqlRow) => kpiOrder.get(String(r.kpi)) ?? kpiOrder.size;
  const kpiPlan = (code: unknown) => plan.kpis.find((k) => k.code === (code as KpiCode));
  const withKpiText = (r: SqlRow): SqlRow => {
    const k = kpiPlan(r.kpi);
    const t = k?.targets.find((x) => x.phase === r.phase);
    return { ...r, kpi_label: k?.label_vi ?? String(r.kpi), target_wording: t?.wording ?? null };
  };
  const typeLabel = (t: unknown) => COMMUNE_TYPE.labels[t as keyof typeof COMMUNE_TYPE.labels]?.vi ?? (t as string | null);

  const tables: PackTable[] = [];

  const province = await q(
    `select year, phase, kpi, numerator, denominator, value_pct, comparator, target_pct, met, communes_reporting
       from kpi_province_year where year in ${inYears}`,
  );
  const provinceCols = KPI_COLS(false);
  tables.push({
    name: 'kpi_province',
    sheet: 'sheet_summary',
    columns: provinceCols,
    rows: project(sortBy(province.map(withKpiText), (r) => [r.year as number, kpiIdx(r)]), provinceCols),
  });

  if (scope.phaseEnds.length > 0) {
    const phaseCols: PackColumn[] = [
      col('phase', 'col_phase', 'string'),
      col('phase_end_year', 'col_phase_end_year', 'int'),
      ...provinceCols.filter((c) => !['year', 'phase', 'communes_reporting'].includes(c.code)),
    ];
    const ends = scope.phaseEnds;
    const rows = province
      .filter((r) => ends.some((e) => e.year === r.year && e.phase === r.phase))
      .map((r): SqlRow => ({ ...withKpiText(r), phase_end_year: r.year ?? null }));
    tables.push({
      name: 'phase_results',
      sheet: 'sheet_phase',
      columns: phaseCols,
      rows: project(sortBy(rows, (r) => [r.phase_end_year as number, kpiIdx(r)]), phaseCols),
    });
  }

  const communeCols = KPI_COLS(true);
  const communes = await q(
    `select k.year, k.phase, k.commune_code, c.name as commune_name, c.type as commune_type, k.kpi, k.numerator,
            k.denominator, k.value_pct, k.comparator, k.target_pct, k.met
       from kpi_commune_year as k left join communes as c on c.commune_code = k.commune_code
      where k.year in ${inYears}`,
  );
  tables.push({
    name: 'kpi_communes',
    sheet: 'sheet_communes',
    columns: communeCols,
    rows: project(
      sortBy(
        communes.map((r) => ({ ...withKpiText(r), commune_type: typeLabel(r.commune_type) })),
        (r) => [r.year as number, r.commune_code as string, kpiIdx(r)],
      ),
      communeCols,
    ),
  });

  const rankingCols: PackColumn[] = [
    col('year', 'col_year', 'int'),
    col('rank', 'col_rank', 'int'),
    col('commune_code', 'col_commune_code', 'string'),
    col('commune_name', 'col_commune', 'string'),
    col('commune_type', 'col_type', 'string'),
    col('rank_in_type', 'col_rank_in_type', 'int'),
    col('score', 'col_score', 'double'),
    col('kpi_score', 'col_kpi_score', 'double'),
    col('evaluation_score', 'col_evaluation_score', 'double'),
    col('data_quality_score', 'col_data_quality_score', 'double'),
  ];
  const rankings = await q(
    `select r.year, r.rank, r.commune_code, c.name as commune_name, r.type as commune_type, r.rank_in_type, r.score,
            r.kpi_score, r.evaluation_score, r.data_quality_score
       from commune_ranking as r left join communes as c on c.commune_code = r.commune_code
      where r.year in ${inYears}`,
  );
  tables.push({
    name: 'rankings',
    sheet: 'sheet_rankings',
    columns: rankingCols,
    rows: project(
      sortBy(
        rankings.map((r) => ({ ...r, commune_type: typeLabel(r.commune_type) })),
        (r) => [r.year as number, r.rank as number, r.commune_code as string],
      ),
      rankingCols,
    ),
  });

  const warningCols: PackColumn[] = [
    col('year', 'col_year', 'int'),
    col('phase', 'col_phase', 'string'),
    col('severity', 'col_severity', 'string'),
    col('scope', 'col_scope', 'string'),
    col('commune_code', 'col_commune_code', 'string'),
    col('commune_name', 'col_commune', 'string'),
    col('kpi', 'col_kpi_code', 'string'),
    col('kpi_label', 'col_kpi', 'string'),
    col('value_pct', 'col_value', 'double'),
    col('target_pct', 'col_target_pct', 'double'),
    col('projected_pct', 'col_projected', 'double'),
  ];
  const warnings = await q(
    `select w.year, w.phase, w.severity, w.scope, w.commune_code, c.name as commune_name, w.kpi, w.value_pct,
            w.target_pct, w.projected_pct
       from gap_warnings as w left join communes as c on c.commune_code = w.commune_code
      where w.year in ${inYears}`,
  );
  const sevIdx = (s: unknown) => {
    const i = (SEVERITIES as readonly string[]).indexOf(String(s));
    return i < 0 ? SEVERITIES.length : i;
  };
  tables.push({
    name: 'warnings',
    sheet: 'sheet_warnings',
    columns: warningCols,
    rows: project(
      sortBy(warnings.map(withKpiText), (r) => [
        r.year as number,
        sevIdx(r.severity),
        r.scope === 'province' ? 0 : 1,
        (r.commune_code as string | null) ?? '',
        kpiIdx(r),
      ]),
      warningCols,
    ),
  });

  const qualityCols: PackColumn[] = [
    col('year', 'col_year', 'int'),
    col('commune_code', 'col_commune_code', 'string'),
    col('commune_name', 'col_commune', 'string'),
    col('dung', 'col_dung', 'double'),
    col('du', 'col_du', 'double'),
    col('sach', 'col_sach', 'double'),
    col('song', 'col_song', 'double'),
    col('score', 'col_score', 'double'),
  ];
  const quality = await q(
    `select q.year, q.commune_code, c.name as commune_name, q.dung, q.du, q.sach, q.song, q.score
       from data_quality as q left join communes as c on c.commune_code = q.commune_code
      where q.year in ${inYears}`,
  );
  tables.push({
    name: 'data_quality',
    sheet: 'sheet_quality',
    columns: qualityCols,
    rows: project(sortBy(quality, (r) => [r.year as number, r.commune_code as string]), qualityCols),
  });

  const registerCols: PackColumn[] = [
    col('year', 'col_year', 'int'),
    col('commune_code', 'col_commune_code', 'string'),
    col('commune_name', 'col_commune', 'string'),
    col('version', 'col_version', 'int'),
    col('submission_id', 'col_submission_id', 'string'),
    col('received_at', 'col_received_at', 'timestamp'),
    col('on_time', 'col_on_time', 'bool'),
    col('is_latest', 'col_is_latest', 'bool'),
    col('content_sha256', 'col_content_sha256', 'string'),
  ];
  const register = await q(
    `select s.year, s.commune_code, c.name as commune_name, s.version, s.submission_id, s.received_at, s.on_time,
            s.is_latest, s.content_sha256
       from submissions as s left join communes as c on c.commune_code = s.commune_code
      where s.year in ${inYears}`,
  );
  tables.push({
    name: 'submissions',
    sheet: 'sheet_register',
    columns: registerCols,
    rows: project(
      sortBy(register, (r) => [r.year as number, r.commune_code as string, r.version as number, r.submission_id as string]),
      registerCols,
    ),
  });
  return tables;
}

/** Province KPI values for every plan year up to the pack's last year — the trend charts need earlier years. */
export async function loadTrend(engine: SqlEngine, plan: Plan, lastYear: number): Promise<SqlRow[]> {
  const years = plan.years.filter((y) => y <= lastYear);
  if (years.length === 0) return [];
  const rows = (await engine.query(`select year, kpi, value_pct from kpi_province_year where year in (${years.join(', ')})`)).rows;
  return sortBy(rows, (r) => [r.kpi as string, r.year as number]);
}
