// The tables of a meeting pack, read from the analysts' views (docs/interfaces.md) for the pack's years and sorted
// deterministically, so that the same as-of instant always yields the same rows in the same order — the basis
// of byte-identical CSVs and stable data hashes.
import { COMMUNE_TYPE, type KpiCode, type Meeting, type Plan, SEVERITIES } from '@scorecard/data-contracts';
import type { ExportTextCode } from '@scorecard/data-contracts/i18n/excel.ts';
import type { SqlEngine, SqlRow, SqlValue } from '../ports/sql-engine.ts';

type PackColumnType = 'string' | 'int' | 'double' | 'bool' | 'timestamp';

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
    const phases =
      meeting === 'review' ? plan.phases.filter((p) => p.closing_meeting === 'review') : plan.phases;
    if (phases.length === 0) throw new RangeError(`the plan has no phase closing with a ${meeting} meeting`);
    years = [...new Set(phases.flatMap((p) => p.years))].sort((a, b) => a - b);
    if (!years.includes(year))
      throw new RangeError(`year ${year} is not covered by the ${meeting} pack (${years.join(', ')})`);
  }
  const phaseEnds =
    meeting === 'annual'
      ? []
      : plan.phases
          .map((p) => ({ phase: p.code, year: Math.max(...p.years) }))
          .filter((p) => years.includes(p.year));
  return { meeting, years, phaseEnds };
}

const col = (code: string, label: ExportTextCode, type: PackColumnType): PackColumn => ({
  code,
  label,
  type,
});

const KPI_COLS = (withCommune: boolean): PackColumn[] => [
  col('year', 'col_year', 'int'),
  col('phase', 'col_phase', 'string'),
  ...(withCommune
    ? [
        col('commune_code', 'col_commune_code', 'string'),
        col('commune_name', 'col_commune', 'string'),
        col('commune_type', 'col_type', 'string'),
      ]
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
  ...(withCommune
    ? []
    : [
        col('communes_reporting', 'col_communes_reporting', 'int'),
        // Coverage beside every province value (docs/kpis.md "Coverage").
        col('communes_expected', 'col_communes_expected', 'int'),
        col('coverage_pct', 'col_coverage', 'double'),
      ]),
  // What a missed target takes, in units, and whether the year's report deadline had passed.
  col('gap_units', 'col_gap_units', 'int'),
  col('year_closed', 'col_year_closed', 'bool'),
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

const RANKING_COLS: PackColumn[] = [
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

const WARNING_COLS: PackColumn[] = [
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

const QUALITY_COLS: PackColumn[] = [
  col('year', 'col_year', 'int'),
  col('commune_code', 'col_commune_code', 'string'),
  col('commune_name', 'col_commune', 'string'),
  col('dung', 'col_dung', 'double'),
  col('du', 'col_du', 'double'),
  col('sach', 'col_sach', 'double'),
  col('song', 'col_song', 'double'),
  col('score', 'col_score', 'double'),
];

const REGISTER_COLS: PackColumn[] = [
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

export async function loadPackTables(engine: SqlEngine, plan: Plan, scope: PackScope): Promise<PackTable[]> {
  const years = scope.years.map((y) => {
    if (!Number.isSafeInteger(y)) throw new RangeError(`bad year ${y}`);
    return y;
  });
  const inYears = `(${years.join(', ')})`;
  const kpiOrder = new Map(plan.kpis.map((k, i) => [k.code as string, i]));
  const kpiIdx = (r: SqlRow) => kpiOrder.get(String(r.kpi)) ?? kpiOrder.size;
  const sevIdx = (r: SqlRow) => {
    const i = (SEVERITIES as readonly string[]).indexOf(String(r.severity));
    return i < 0 ? SEVERITIES.length : i;
  };
  // Words the views do not carry: the KPI's label and the target as the plan words it, the commune type's label.
  const withText = (r: SqlRow): SqlRow => {
    const k = plan.kpis.find((x) => x.code === (r.kpi as KpiCode));
    const target = k?.targets.find((x) => x.phase === r.phase);
    const type = COMMUNE_TYPE.labels[r.commune_type as keyof typeof COMMUNE_TYPE.labels];
    return {
      ...r,
      kpi_label: k?.label_vi ?? null,
      target_wording: target?.wording ?? null,
      commune_type: type?.vi ?? null,
    };
  };
  const table = (
    name: string,
    sheet: ExportTextCode,
    columns: PackColumn[],
    rows: SqlRow[],
    key: (r: SqlRow) => Key,
  ): PackTable => ({
    name,
    sheet,
    columns,
    rows: project(sortBy(rows.map(withText), key), columns),
  });
  /** A commune-grain view with the commune's name and type from the reference list. */
  const communeView = async (view: string) =>
    (
      await engine.query(
        `select v.*, c.name as commune_name, c.type as commune_type
           from ${view} as v left join communes as c on c.commune_code = v.commune_code
          where v.year in ${inYears}`,
      )
    ).rows;

  const province = (await engine.query(`select * from kpi_province_year where year in ${inYears}`)).rows;
  const provinceCols = KPI_COLS(false);
  const tables: PackTable[] = [
    table('kpi_province', 'sheet_summary', provinceCols, province, (r) => [r.year as number, kpiIdx(r)]),
  ];

  if (scope.phaseEnds.length > 0) {
    // The phase-end results: each phase's last year against that phase's targets (review and final packs).
    const phaseCols: PackColumn[] = [
      col('phase', 'col_phase', 'string'),
      col('phase_end_year', 'col_phase_end_year', 'int'),
      ...provinceCols.filter(
        (c) => !['year', 'phase', 'communes_reporting', 'communes_expected', 'coverage_pct'].includes(c.code),
      ),
    ];
    const ends = province
      .filter((r) => scope.phaseEnds.some((e) => e.year === r.year && e.phase === r.phase))
      .map((r): SqlRow => ({ ...r, phase_end_year: r.year ?? null }));
    tables.push(
      table('phase_results', 'sheet_phase', phaseCols, ends, (r) => [r.phase_end_year as number, kpiIdx(r)]),
    );
  }

  tables.push(
    table('kpi_communes', 'sheet_communes', KPI_COLS(true), await communeView('kpi_commune_year'), (r) => [
      r.year as number,
      r.commune_code as string,
      kpiIdx(r),
    ]),
    table('rankings', 'sheet_rankings', RANKING_COLS, await communeView('commune_ranking'), (r) => [
      r.year as number,
      r.rank as number,
      r.commune_code as string,
    ]),
    table('warnings', 'sheet_warnings', WARNING_COLS, await communeView('gap_warnings'), (r) => [
      r.year as number,
      sevIdx(r),
      r.scope === 'province' ? 0 : 1,
      (r.commune_code as string | null) ?? '',
      kpiIdx(r),
    ]),
    table('data_quality', 'sheet_quality', QUALITY_COLS, await communeView('data_quality'), (r) => [
      r.year as number,
      r.commune_code as string,
    ]),
    table('submissions', 'sheet_register', REGISTER_COLS, await communeView('submissions'), (r) => [
      r.year as number,
      r.commune_code as string,
      r.version as number,
      r.submission_id as string,
    ]),
  );
  return tables;
}

/** Province KPI values for every plan year up to the pack's last year — the trend charts need earlier years. */
export async function loadTrend(engine: SqlEngine, plan: Plan, lastYear: number): Promise<SqlRow[]> {
  const years = plan.years.filter((y) => y <= lastYear);
  if (years.length === 0) return [];
  const rows = (
    await engine.query(
      `select year, kpi, value_pct from kpi_province_year where year in (${years.join(', ')})`,
    )
  ).rows;
  return sortBy(rows, (r) => [r.kpi as string, r.year as number]);
}
