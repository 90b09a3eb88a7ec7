// A KPI against its phase target: value, status, target, fraction and the trend chart. Used for the province on
// the overview and for one commune on its detail page.

import { projectToYear } from '@scorecard/charts/projection.ts';
import { PLAN, phaseOf } from '@scorecard/data-contracts';
import { Show } from 'solid-js';
import { formatCount, formatPct, formatPctNear, formatTargetPct, type Lang } from '../lib/format.ts';
import { kpiLabel, kpiPlan, lang, locale, phaseLabel, t } from '../lib/i18n.ts';
import type { Comparator } from '../lib/types.ts';
import { LazyChart } from './chart.tsx';

const trendChart = () => import('@scorecard/charts/kpi-trend.ts');

export type KpiStatus = 'met' | 'not_met' | 'missing' | 'no_target' | 'not_judged' | 'pending';

export interface KpiFigure {
  kpi: string;
  year: number;
  phase: string | null;
  numerator: number | null;
  denominator: number | null;
  value_pct: number | null;
  target_pct: number | null;
  comparator: Comparator | null;
  met: boolean | null;
  /** The province's coverage (docs/kpis.md "Coverage"); absent for a commune. */
  communes_reporting?: number | null;
  communes_expected?: number | null;
  coverage_pct?: number | null;
  gap_units?: number | null;
  /** False before the year's report deadline: no value then means "not yet due", not "missing". */
  year_closed?: boolean | null;
}

/**
 * met is NULL when there is no value, no target, or — for a province value pooled over cadres — too few
 * communes reporting (docs/interfaces.md): say which. Before the deadline a commune without a value is pending.
 */
export function kpiStatus(
  row: Pick<KpiFigure, 'met' | 'value_pct' | 'target_pct' | 'year_closed'>,
): KpiStatus {
  if (row.value_pct === null) return row.year_closed === false ? 'pending' : 'missing';
  if (row.target_pct === null) return 'no_target';
  if (row.met === null) return 'not_judged';
  return row.met ? 'met' : 'not_met';
}

export function statusText(s: KpiStatus): string {
  return t(
    s === 'met'
      ? 'kpi_met'
      : s === 'not_met'
        ? 'kpi_not_met'
        : s === 'missing'
          ? 'kpi_missing'
          : s === 'not_judged'
            ? 'kpi_not_judged'
            : s === 'pending'
              ? 'kpi_pending'
              : 'kpi_no_target',
  );
}

/** "trên 90 %" / "above 90%" — the comparator read exactly ("Trên 90%" is strictly above, docs/kpis.md). */
function targetText(comparator: Comparator | null, target: number | null, l: Lang): string | null {
  if (comparator === null || target === null) return null;
  return t(comparator === 'gt' ? 'cmp_gt' : 'cmp_gte', { target: formatTargetPct(target, l) });
}

function StatusBadge(props: { status: KpiStatus }) {
  return <span class={`badge status-${props.status}`}>{statusText(props.status)}</span>;
}

/** The phase targets of a KPI from the plan, for the trend chart's rules. */
function phaseTargets(kpi: string) {
  const plan = kpiPlan(kpi);
  return (plan?.targets ?? []).flatMap((tg) => {
    const phase = PLAN.phases.find((p) => p.code === tg.phase);
    return phase ? [{ phase: phase.code, years: phase.years, target_pct: tg.target_pct }] : [];
  });
}

/** The projection to the end of the year's phase: the server's when it sent one (a warning), else the same rule here. */
function projectionFor(
  points: { year: number; value_pct: number | null }[],
  year: number,
  serverProjection: number | null | undefined,
): { year: number; value_pct: number } | null {
  const phase = phaseOf(PLAN, year);
  if (!phase) return null;
  const end = Math.max(...phase.years);
  if (end <= year) return null;
  const value = serverProjection ?? projectToYear(points, year, end);
  return value === null ? null : { year: end, value_pct: value };
}

export function KpiCard(props: {
  row: KpiFigure;
  points: { year: number; value_pct: number | null }[];
  projectedPct?: number | null;
}) {
  const status = () => kpiStatus(props.row);
  const titleId = () => `kpi-${props.row.kpi}-title`;
  const target = () => targetText(props.row.comparator, props.row.target_pct, lang());
  const planTarget = () => kpiPlan(props.row.kpi)?.targets.find((x) => x.phase === props.row.phase);
  const projection = () => projectionFor(props.points, props.row.year, props.projectedPct);
  return (
    <article class={`kpi-card status-${status()}`} data-kpi={props.row.kpi} aria-labelledby={titleId()}>
      <h3 id={titleId()}>{kpiLabel(props.row.kpi)}</h3>
      <p class="kpi-value-line">
        <span class="kpi-value" data-testid={`kpi-value-${props.row.kpi}`}>
          {formatPctNear(props.row.value_pct, props.row.target_pct, lang())}
        </span>{' '}
        <StatusBadge status={status()} />
      </p>
      <p class="kpi-target">
        <Show when={target()} fallback={t('kpi_no_target')}>
          <span title={planTarget()?.wording}>
            {t('kpi_target_phase', { phase: phaseLabel(props.row.phase), wording: target() ?? '' })}
          </span>
        </Show>
        <Show when={planTarget()?.deadline_year}>
          {(y) => <span class="kpi-deadline"> · {t('kpi_deadline', { year: y() })}</span>}
        </Show>
      </p>
      <Show when={props.row.denominator !== null}>
        <p class="kpi-fraction">
          {t('kpi_fraction', {
            numerator: formatCount(props.row.numerator, lang()),
            denominator: formatCount(props.row.denominator, lang()),
          })}
        </p>
      </Show>
      <Show when={typeof props.row.communes_expected === 'number'}>
        <p class="kpi-coverage" data-testid={`kpi-coverage-${props.row.kpi}`}>
          {t('kpi_coverage', {
            reporting: formatCount(props.row.communes_reporting ?? 0, lang()),
            expected: formatCount(props.row.communes_expected ?? 0, lang()),
            pct: formatPct(props.row.coverage_pct ?? null, lang()),
          })}
        </p>
      </Show>
      <Show when={props.row.met === false && props.row.gap_units}>
        {(units) => (
          <p class="kpi-gap" data-testid={`kpi-gap-${props.row.kpi}`}>
            {t('kpi_gap', {
              units: formatCount(units(), lang()),
              what: t(`gap_what_${props.row.kpi}` as 'gap_what_leader_standard'),
              goal: t(props.row.comparator === 'gt' ? 'kpi_goal_gt' : 'kpi_goal_gte', {
                target: formatTargetPct(props.row.target_pct ?? 0, lang()),
              }),
            })}
          </p>
        )}
      </Show>
      <Show when={projection()}>
        {(p) => (
          <p class="kpi-projection">
            {t('kpi_projection', { year: p().year, value: formatPct(p().value_pct, lang()) })}
          </p>
        )}
      </Show>
      <LazyChart
        class="kpi-trend"
        load={trendChart}
        render={({ kpiTrendChart }) =>
          kpiTrendChart(props.points, {
            years: PLAN.years,
            targets: phaseTargets(props.row.kpi),
            projection: projection(),
            locale: locale(),
            labels: {
              title: t('chart_trend_label', { kpi: kpiLabel(props.row.kpi) }),
              value: t('chart_value'),
              target: t('chart_target'),
              projection: t('chart_projection'),
            },
          })
        }
      />
    </article>
  );
}
