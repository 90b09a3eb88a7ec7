// The meeting pack's PDF report, in Vietnamese (pdfmake). The font travels with the code: pdfmake's npm package
// ships Roboto, which covers Vietnamese (PDFKit's built-in fonts do not, and Lambda has no system fonts —
// verified on this machine). Charts are the dashboard's Plot functions rendered on the server (charts.ts).
// One builder per section of the report (summary, charts, ranking, warnings, data quality), typed with
// pdfmake's own document types (@types/pdfmake).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plan } from '@scorecard/data-contracts';
// A static import, so that esbuild bundles pdfmake into the export function (a runtime require would be left as
// it is, and the bundle carries no node_modules/pdfmake code: issue 15, item 2). Only its font files travel
// beside the bundle (infra/constructs/scorecard-function.ts copies them).
import pdfmakeModule from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { SqlRow } from '../ports/sql-engine.ts';
import type { PackCharts } from './charts.ts';
import type { PackScope, PackTable } from './pack-data.ts';
import { num, type PackText, pct, t } from './text.ts';

const require = createRequire(import.meta.url);

type PdfMake = typeof pdfmakeModule;

const FONT_DIR = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');

let printer: PdfMake | null = null;
function pdfmake(): PdfMake {
  if (printer) return printer;
  const p = pdfmakeModule;
  p.setFonts({
    Roboto: {
      normal: join(FONT_DIR, 'Roboto-Regular.ttf'),
      bold: join(FONT_DIR, 'Roboto-Medium.ttf'),
      italics: join(FONT_DIR, 'Roboto-Italic.ttf'),
      bolditalics: join(FONT_DIR, 'Roboto-MediumItalic.ttf'),
    },
  });
  // A report built from submitted text must never fetch a URL or read a file other than its font.
  p.setUrlAccessPolicy(() => false);
  p.setLocalAccessPolicy((path) => path.startsWith(FONT_DIR));
  printer = p;
  return p;
}

const GREEN = '#C6EFCE';
const RED = '#FFC7CE';
const GREY = '#EDEDED';

function metFill(row: SqlRow | undefined): string {
  if (!row || row.target_pct === null) return GREY;
  return row.met === true ? GREEN : row.met === false ? RED : GREY;
}

function metWord(row: SqlRow | undefined): string {
  if (!row || row.target_pct === null) return t('no_target');
  if (row.met === true) return t('met_yes');
  if (row.met === false) return t('met_no');
  // A province value from too few communes is not judged (docs/kpis.md "Coverage"): say so, with the counts.
  if (row.value_pct !== null && row.value_pct !== undefined && typeof row.communes_expected === 'number')
    return t('met_low_coverage', {
      reporting: Number(row.communes_reporting),
      expected: row.communes_expected,
    });
  return t('met_none');
}

/** The latest of the pack's years that has rows (else the first year). */
function latestYear(years: readonly number[], rows: readonly SqlRow[]): number {
  const present = years.filter((y) => rows.some((r) => r.year === y));
  return present.length > 0 ? Math.max(...present) : Math.min(...years);
}

const table = (name: string, tables: readonly PackTable[]) =>
  (tables.find((x) => x.name === name)?.rows ?? []) as SqlRow[];
const th = (text: string): TableCell => ({ text, bold: true, fillColor: '#DDEBF7' });

/** What every section reads: the pack's tables and the year the report speaks of. */
interface PdfData {
  plan: Plan;
  years: number[];
  tables: readonly PackTable[];
  charts: PackCharts;
  text: PackText;
  province: SqlRow[];
  register: SqlRow[];
  quality: SqlRow[];
  warnings: SqlRow[];
  rankings: SqlRow[];
  /** The latest year with rows at the as-of instant: a final pack made mid-plan has no rows for later years. */
  lastYear: number;
}

function titleSection(d: PdfData): Content[] {
  const reportedLast = new Set(d.register.filter((r) => r.year === d.lastYear).map((r) => r.commune_code))
    .size;
  const totalCommunes = new Set(d.quality.filter((r) => r.year === d.lastYear).map((r) => r.commune_code))
    .size;
  return [
    { text: t('pdf_title', { province: d.plan.province_vi }), style: 'title' },
    { text: d.text.title, style: 'subtitle' },
    { text: d.text.planLine, style: 'small' },
    { text: d.text.asOfLine, style: 'small' },
    {
      text: t('pdf_submissions', {
        count: d.register.length,
        year: d.lastYear,
        reported: reportedLast,
        total: totalCommunes,
      }),
      margin: [0, 6, 0, 6],
    },
  ];
}

/** I. Province KPIs: one row per KPI, one column per year, coloured met / not met; then the phase ends. */
function summarySection(d: PdfData): Content[] {
  const { plan, years, province } = d;
  const packPhases = plan.phases.filter((p) => p.years.some((y) => years.includes(y)));
  const kpiRows: TableCell[][] = plan.kpis.map((k) => {
    // The target of every phase the pack covers, as the plan words it ("P1: Trên 90%").
    const targets = packPhases.map((p) => {
      const tg = k.targets.find((x) => x.phase === p.code);
      return packPhases.length > 1
        ? `${p.code}: ${tg?.wording ?? t('no_target')}`
        : (tg?.wording ?? t('no_target'));
    });
    return [
      { text: k.label_vi },
      { text: targets.join('\n') },
      ...years.map((y): TableCell => {
        const r = province.find((x) => x.kpi === k.code && x.year === y);
        return {
          text: r ? `${pct(r.value_pct as number | null)}\n${metWord(r)}` : '—',
          fillColor: metFill(r),
          alignment: 'center',
        };
      }),
    ];
  });
  const out: Content[] = [
    { text: t('pdf_section_summary'), style: 'h2' },
    {
      table: {
        headerRows: 1,
        widths: ['*', 90, ...years.map(() => 52)],
        body: [[th(t('col_kpi')), th(t('col_target')), ...years.map((y) => th(String(y)))], ...kpiRows],
      },
      fontSize: 8,
    },
  ];
  const phaseRows = table('phase_results', d.tables);
  if (phaseRows.length > 0) {
    out.push(
      { text: t('pdf_section_phase'), style: 'h3' },
      {
        table: {
          headerRows: 1,
          widths: [40, '*', 60, 90, 60],
          body: [
            [
              th(t('col_phase')),
              th(t('col_kpi')),
              th(t('col_value')),
              th(t('col_wording')),
              th(t('col_met')),
            ],
            ...phaseRows.map((r): TableCell[] => [
              `${r.phase} (${r.phase_end_year})`,
              String(r.kpi_label),
              pct(r.value_pct as number | null),
              (r.target_wording as string | null) ?? t('no_target'),
              { text: metWord(r), fillColor: metFill(r) },
            ]),
          ],
        },
        fontSize: 8,
      },
    );
  }
  return out;
}

/** II. Charts: the dashboard's own functions, rendered on the server. */
function chartsSection(d: PdfData): Content[] {
  const { charts, lastYear } = d;
  const trendCells: TableCell[] = charts.trends.map((c) => ({
    stack: [
      { text: c.title, bold: true, fontSize: 8 },
      { svg: c.svg, width: 250 },
    ],
    margin: [0, 4, 0, 4],
  }));
  const pairs: TableCell[][] = [];
  for (let i = 0; i < trendCells.length; i += 2)
    pairs.push([trendCells[i] as TableCell, trendCells[i + 1] ?? { text: '' }]);
  return [
    { text: t('pdf_section_charts'), style: 'h2', pageBreak: 'before' },
    { text: t('pdf_chart_trend'), style: 'h3' },
    { table: { widths: ['*', '*'], body: pairs, dontBreakRows: true }, layout: 'noBorders' },
    {
      columns: [
        {
          stack: [
            { text: t('chart_severity', { year: lastYear }), style: 'h3' },
            { svg: charts.severity, width: 250 },
          ],
        },
        {
          stack: [
            { text: t('chart_quality', { year: lastYear }), style: 'h3' },
            { svg: charts.quality, width: 250 },
          ],
        },
      ],
      unbreakable: true,
    },
    { text: t('pdf_chart_ranking', { year: lastYear }), style: 'h3', pageBreak: 'before' },
    { svg: charts.ranking, width: 515 },
  ];
}

/** III. Ranking: the top ten and the bottom ten of the last year, with their components. */
function rankingSection(d: PdfData): Content[] {
  const lastRanking = d.rankings.filter((r) => r.year === d.lastYear);
  const shown =
    lastRanking.length <= 20 ? lastRanking : [...lastRanking.slice(0, 10), ...lastRanking.slice(-10)];
  return [
    { text: t('pdf_section_rankings'), style: 'h2' },
    {
      table: {
        headerRows: 1,
        widths: [28, '*', 50, 44, 44, 44, 44],
        body: [
          [
            th(t('col_rank')),
            th(t('col_commune')),
            th(t('col_type')),
            th(t('col_score')),
            th(t('col_kpi_score')),
            th(t('col_evaluation_score')),
            th(t('col_data_quality_score')),
          ],
          ...shown.map((r): TableCell[] => [
            String(r.rank),
            String(r.commune_name ?? r.commune_code),
            String(r.commune_type ?? ''),
            num(r.score as number | null),
            num(r.kpi_score as number | null),
            num(r.evaluation_score as number | null),
            num(r.data_quality_score as number | null),
          ]),
        ],
      },
      fontSize: 8,
    },
  ];
}

/** IV. Warnings: counts per year, then the province-scope warnings. */
function warningsSection(d: PdfData): Content[] {
  const severities = ['critical', 'high', 'medium', 'missing'] as const;
  const out: Content[] = [{ text: t('pdf_section_warnings'), style: 'h2' }];
  for (const y of d.years) {
    const counts = Object.fromEntries(
      severities.map((s) => [s, d.warnings.filter((w) => w.year === y && w.severity === s).length]),
    );
    out.push({ text: t('pdf_warning_counts', { year: y, ...counts }), fontSize: 9 });
  }
  const provinceWarnings = d.warnings.filter((w) => w.scope === 'province');
  if (provinceWarnings.length > 0) {
    out.push({
      table: {
        headerRows: 1,
        widths: [30, '*', 60, 50, 50, 60],
        body: [
          [
            th(t('col_year')),
            th(t('col_kpi')),
            th(t('col_severity')),
            th(t('col_value')),
            th(t('col_target_pct')),
            th(t('col_projected')),
          ],
          ...provinceWarnings.map((w): TableCell[] => [
            String(w.year),
            String(w.kpi_label),
            t(`severity_${w.severity}` as 'severity_high'),
            pct(w.value_pct as number | null),
            pct(w.target_pct as number | null),
            pct(w.projected_pct as number | null),
          ]),
        ],
      },
      fontSize: 8,
      margin: [0, 6, 0, 0],
    });
  }
  return out;
}

/** V. Data quality: the mean score and the communes that reported, per year; then the plan's policy note. */
function qualitySection(d: PdfData): Content[] {
  const out: Content[] = [{ text: t('pdf_section_quality'), style: 'h2' }];
  for (const y of d.years) {
    const rows = d.quality.filter((r) => r.year === y);
    const scores = rows.map((r) => r.score).filter((v): v is number => typeof v === 'number');
    const mean = scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
    const reported = new Set(d.register.filter((r) => r.year === y).map((r) => r.commune_code)).size;
    out.push({ text: t('pdf_quality_line', { year: y, score: num(mean), reported }), fontSize: 9 });
  }
  out.push(
    { text: t('pdf_policy_note', { note: d.plan.policy.note_vi }), style: 'small', margin: [0, 12, 0, 0] },
    { text: t('pdf_generated'), style: 'small' },
  );
  return out;
}

/** The page, the document's properties (the as-of instant, never the generation time), styles and footer. */
function documentOf(d: PdfData, content: Content[]): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 48],
    info: {
      title: `${d.text.title} — ${d.plan.province_vi}`,
      creator: 'Commune Scorecard',
      producer: 'Commune Scorecard',
      creationDate: d.text.asOf,
      modDate: d.text.asOf,
    },
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    styles: {
      title: { fontSize: 15, bold: true, alignment: 'center', color: '#1F4E79' },
      subtitle: { fontSize: 13, bold: true, alignment: 'center', margin: [0, 4, 0, 8] },
      h2: { fontSize: 12, bold: true, margin: [0, 12, 0, 6], color: '#1F4E79' },
      h3: { fontSize: 10, bold: true, margin: [0, 8, 0, 4] },
      small: { fontSize: 8, color: '#555555' },
    },
    footer: (page: number, pages: number) => ({
      text: t('pdf_footer', { page, pages }),
      alignment: 'center',
      fontSize: 8,
      margin: [0, 16, 0, 0],
    }),
    content,
  };
}

export async function packPdf(input: {
  plan: Plan;
  scope: PackScope;
  tables: readonly PackTable[];
  charts: PackCharts;
  text: PackText;
}): Promise<Uint8Array> {
  const { plan, scope, tables, charts, text } = input;
  const province = table('kpi_province', tables);
  const d: PdfData = {
    plan,
    years: scope.years,
    tables,
    charts,
    text,
    province,
    register: table('submissions', tables),
    quality: table('data_quality', tables),
    warnings: table('warnings', tables),
    rankings: table('rankings', tables),
    lastYear: latestYear(scope.years, province),
  };
  const content = [
    ...titleSection(d),
    ...summarySection(d),
    ...chartsSection(d),
    ...rankingSection(d),
    ...warningsSection(d),
    ...qualitySection(d),
  ];
  return new Uint8Array(await pdfmake().createPdf(documentOf(d, content)).getBuffer());
}

/**
 * A one-page PDF in Vietnamese with the embedded font: the export function's self-check (infra/README.md, first
 * deploy) and the bundle test's proof that pdfmake and its font load where the function runs.
 */
export async function fontCheckPdf(): Promise<Uint8Array> {
  const doc: TDocumentDefinitions = {
    info: { title: 'Commune Scorecard: font check' },
    content: [{ text: 'Kiểm tra phông chữ: Bảng điều khiển chất lượng cán bộ cấp xã — Đồng Tháp' }],
    defaultStyle: { font: 'Roboto' },
  };
  return new Uint8Array(await pdfmake().createPdf(doc).getBuffer());
}
