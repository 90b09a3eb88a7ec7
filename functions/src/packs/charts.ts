// Server-side charts: the dashboard's own Plot functions (@scorecard/charts in web/charts/, pure: rows + {document}) rendered
// with a linkedom document and serialised to SVG text for the PDF. Nothing here draws a chart of its own, so
// the PDF shows exactly what the dashboard shows.

import {
  kpiTrendChart,
  type PhaseTarget,
  qualityBarsChart,
  type RankingBar,
  rankingBarsChart,
  SEVERITY_ORDER,
  severityBarsChart,
  type TrendPoint,
} from '@scorecard/charts';
import type { Plan } from '@scorecard/data-contracts';
import { parseHTML } from 'linkedom';
import type { SqlRow } from '../ports/sql-engine.ts';
import { t } from './text.ts';

function serverDocument(): Document {
  return parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
}

/**
 * The SVG text of a chart. A chart with a legend comes back as a <figure> holding small swatch SVGs and the plot
 * itself: keep the largest SVG, the plot (the legend's words are in the PDF text around it).
 */
function svgText(el: Element): string {
  if (el.localName === 'svg') return asXml(el);
  const svgs = Array.from(el.querySelectorAll('svg'));
  const area = (s: Element) => Number(s.getAttribute('width') ?? 0) * Number(s.getAttribute('height') ?? 0);
  const biggest = svgs.sort((a, b) => area(b) - area(a))[0];
  if (!biggest) throw new Error('chart rendered no SVG');
  return asXml(biggest);
}

const escapeXml = (s: string, attribute: boolean) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(attribute ? /"/g : /$^/g, '&quot;');

/**
 * XML text of an SVG element. linkedom's outerHTML is HTML: it leaves "&" and "<" raw inside attribute values
 * (a KPI label "… điện tử & DVC …" in aria-label), which the PDF's XML parser rejects.
 */
function asXml(node: Node): string {
  if (node.nodeType === 3) return escapeXml(node.textContent ?? '', false);
  if (node.nodeType !== 1) return '';
  const el = node as Element;
  // localName keeps SVG's case (tagName is upper-cased by linkedom's HTML document: <LINE>, <G>).
  const tag = el.localName;
  const attrs = Array.from(el.attributes).map((a) => ` ${a.name}="${escapeXml(a.value, true)}"`);
  if (tag === 'svg' && !el.hasAttribute('xmlns')) attrs.unshift(' xmlns="http://www.w3.org/2000/svg"');
  return `<${tag}${attrs.join('')}>${Array.from(el.childNodes).map(asXml).join('')}</${tag}>`;
}

export interface PackCharts {
  trends: { kpi: string; title: string; svg: string }[];
  severity: string;
  quality: string;
  ranking: string;
}

export function renderPackCharts(input: {
  plan: Plan;
  years: readonly number[];
  trend: readonly SqlRow[];
  warnings: readonly SqlRow[];
  quality: readonly SqlRow[];
  rankings: readonly SqlRow[];
}): PackCharts {
  const { plan } = input;
  const document = serverDocument();
  // The latest year with data at the as-of instant (a final pack made mid-plan has no rows for later years).
  const withData = input.years.filter((y) => input.trend.some((r) => r.year === y));
  const lastYear = withData.length > 0 ? Math.max(...withData) : Math.min(...input.years);
  // The axis spans the pack's years and the phase of its latest year with data (an annual pack shows its phase).
  const axisEnd = Math.max(
    ...input.years,
    ...(plan.phases.find((p) => p.years.includes(lastYear))?.years ?? []),
  );
  const chartYears = plan.years.filter((y) => y <= axisEnd);
  const trends = plan.kpis.map((k) => {
    const points: TrendPoint[] = input.trend
      .filter((r) => r.kpi === k.code)
      .map((r) => ({ year: r.year as number, value_pct: (r.value_pct as number | null) ?? null }));
    const targets: PhaseTarget[] = k.targets.flatMap((tg) => {
      const phase = plan.phases.find((p) => p.code === tg.phase);
      // Only phases on the chart's axis: a rule for a later phase would be drawn outside the plot.
      return phase?.years.every((y) => chartYears.includes(y))
        ? [{ phase: phase.code, years: phase.years, target_pct: tg.target_pct }]
        : [];
    });
    const warning = input.warnings.find(
      (w) => w.scope === 'province' && w.kpi === k.code && w.year === lastYear,
    );
    const phaseEnd = Math.max(...(plan.phases.find((p) => p.years.includes(lastYear))?.years ?? [lastYear]));
    const projected = warning?.projected_pct;
    const el = kpiTrendChart(points, {
      years: chartYears,
      targets,
      projection: typeof projected === 'number' ? { year: phaseEnd, value_pct: projected } : null,
      labels: {
        title: k.label_vi,
        value: t('chart_value'),
        target: t('chart_target'),
        projection: t('chart_projection'),
      },
      locale: 'vi-VN',
      width: 320,
      height: 160,
      document,
    });
    return { kpi: k.code, title: k.label_vi, svg: svgText(el) };
  });

  const counts = SEVERITY_ORDER.map((s) => ({
    severity: s,
    label: t(`severity_${s}`),
    count: input.warnings.filter((w) => w.year === lastYear && w.severity === s).length,
  }));
  const severity = svgText(
    severityBarsChart(counts, {
      title: t('chart_severity', { year: lastYear }),
      locale: 'vi-VN',
      width: 360,
      document,
    }),
  );

  const dq = input.quality.filter((r) => r.year === lastYear);
  const mean = (k: string) => {
    const vs = dq.map((r) => r[k]).filter((v): v is number => typeof v === 'number');
    return vs.length === 0 ? null : vs.reduce((a, b) => a + b, 0) / vs.length;
  };
  const quality = svgText(
    qualityBarsChart(
      (['dung', 'du', 'sach', 'song', 'score'] as const).map((d) => ({
        dimension: d,
        label: t(d === 'score' ? 'col_score' : `col_${d}`),
        value: mean(d),
      })),
      { title: t('chart_quality', { year: lastYear }), locale: 'vi-VN', width: 360, document },
    ),
  );

  const bars: RankingBar[] = input.rankings
    .filter((r) => r.year === lastYear)
    .slice(0, 10)
    .map((r) => ({
      commune_code: r.commune_code as string,
      label: (r.commune_name as string | null) ?? (r.commune_code as string),
      rank: r.rank as number,
      score: (r.score as number | null) ?? 0,
      kpi_score: (r.kpi_score as number | null) ?? 0,
      evaluation_score: (r.evaluation_score as number | null) ?? 0,
      data_quality_score: (r.data_quality_score as number | null) ?? 0,
    }));
  const ranking = svgText(
    rankingBarsChart(bars, {
      weights: plan.policy.ranking.weights,
      labels: {
        title: t('pdf_chart_ranking', { year: lastYear }),
        kpi: t('col_kpi_score'),
        evaluation: t('col_evaluation_score'),
        data_quality: t('col_data_quality_score'),
        score: t('col_score'),
      },
      locale: 'vi-VN',
      width: 760,
      document,
    }),
  );
  return { trends, severity, quality, ranking };
}
