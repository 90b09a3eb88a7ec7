// Tổng quan: the ten KPIs against the phase targets with their trends, warnings by severity, reporting status.

import { SEVERITY_ORDER } from '@scorecard/charts/palette.ts';
import { KPI_CODES, PLAN, phaseOf, reportDeadlineUtc } from '@scorecard/data-contracts';
import { A } from '@solidjs/router';
import { createMemo, createResource, For, Show } from 'solid-js';
import { LazyChart } from '../components/chart.tsx';
import { KpiCard, type KpiFigure, kpiStatus } from '../components/kpi.tsx';
import { Refreshed } from '../components/refreshed.tsx';
import { Async } from '../components/states.tsx';
import { formatCount, formatDate } from '../lib/format.ts';
import {
  lang,
  locale,
  phaseLabel,
  severityLabel,
  reportingStatusLabel as statusLabel,
  t,
} from '../lib/i18n.ts';
import { ownCommune, role } from '../lib/session.ts';
import { deadlinePassed, health, selectedYear, yearsInfo } from '../lib/state.ts';
import type { KpiProvinceRow, SubmissionRow, WarningRow } from '../lib/types.ts';
import {
  fetchProvinceKpis,
  fetchReporting,
  fetchWarnings,
  REPORTING_STATUSES,
  type ReportingStatus,
  reportingStatus,
} from './overview.data.ts';

function emptyRow(kpi: string, year: number): KpiFigure {
  const phase = phaseOf(PLAN, year)?.code ?? null;
  return {
    kpi,
    year,
    phase,
    numerator: null,
    denominator: null,
    value_pct: null,
    target_pct: null,
    comparator: null,
    met: null,
  };
}

const severityChart = () => import('@scorecard/charts/severity-bars.ts');

export default function Overview() {
  const firstYear = () => Math.min(...(yearsInfo()?.years ?? PLAN.years));
  // Asked again only when the year or the first plan year really changes (not when the shell state is set again).
  const kpiQuery = createMemo(() => ({ year: selectedYear(), first: firstYear() }), undefined, {
    equals: (a, b) => a.year === b.year && a.first === b.first,
  });
  const [kpis, { refetch: refetchKpis }] = createResource(kpiQuery, ({ year, first }) =>
    fetchProvinceKpis(year, first),
  );
  // The KPI cards come first: the warnings and the reporting status (GET /submissions, slow at national scale)
  // are asked once /kpis has answered, so they never compete with it on a cold start. After that (another
  // year) all load together.
  const afterKpis = createMemo(() =>
    kpis.state === 'pending' || kpis.state === 'unresolved' ? false : selectedYear(),
  );
  const [warnings, { refetch: refetchWarnings }] = createResource(afterKpis, fetchWarnings);
  const [reporting, { refetch: refetchReporting }] = createResource(afterKpis, fetchReporting);
  // The cards use the server's projections once the warnings are in; reading them must not hold the cards
  // back (a resource read before its first answer would suspend the page).
  const provinceWarnings = () =>
    warnings.state === 'ready' || warnings.state === 'refreshing' ? (warnings.latest?.rows ?? []) : [];

  return (
    <section class="page overview" aria-labelledby="overview-title">
      <div class="page-head">
        <h1 id="overview-title">{t('overview_title', { year: selectedYear() })}</h1>
        <p class="phase">{phaseLabel(phaseOf(PLAN, selectedYear())?.code)}</p>
        <button type="button" class="no-print" onClick={() => window.print()}>
          {t('print')}
        </button>
        <p class="print-only">
          {t('printed_on', { date: formatDate(health()?.time ?? new Date(), lang()) })}
        </p>
      </div>

      <section aria-labelledby="kpis-title">
        <h2 id="kpis-title">{t('overview_kpis')}</h2>
        <Async data={kpis} retry={refetchKpis}>
          {(data) => (
            <KpiGrid
              rows={data.rows}
              trend={data.trend}
              warnings={provinceWarnings()}
              refreshed={data.refreshed_at}
            />
          )}
        </Async>
      </section>

      <div class="overview-bottom">
        <section aria-labelledby="warnings-title" class="panel">
          <h2 id="warnings-title">{t('overview_warnings')}</h2>
          <Async data={warnings} retry={refetchWarnings}>
            {(data) => <WarningCounts rows={data.rows} />}
          </Async>
          <A href="/warnings" class="no-print">
            {t('nav_warnings')} →
          </A>
        </section>

        <section aria-labelledby="reporting-title" class="panel">
          <h2 id="reporting-title">{t('overview_reporting', { year: selectedYear() })}</h2>
          <p>
            {t('overview_deadline', {
              date: formatDate(reportDeadlineUtc(PLAN, selectedYear()).getTime() - 1, lang()),
            })}
          </p>
          <Async data={reporting} retry={refetchReporting}>
            {(data) => <ReportingPanel communes={data.communes} submissions={data.submissions} />}
          </Async>
        </section>
      </div>
    </section>
  );
}

function KpiGrid(props: {
  rows: KpiProvinceRow[];
  trend: KpiProvinceRow[];
  warnings: WarningRow[];
  refreshed: string | null;
}) {
  const year = () => selectedYear();
  // Always the ten KPIs of the plan, in the plan's order, even if a row is missing from the answer.
  const figures = createMemo(() =>
    KPI_CODES.map((k) => props.rows.find((r) => r.kpi === k) ?? emptyRow(k, year())),
  );
  const met = () => figures().filter((f) => kpiStatus(f) === 'met').length;
  const withTarget = () => figures().filter((f) => f.target_pct !== null).length;
  const reporting = () => props.rows.find((r) => r.communes_reporting !== null)?.communes_reporting ?? null;
  // An open year (its report deadline not passed): provisional figures over the communes that have reported,
  // and nobody is late yet (docs/kpis.md "The year in progress").
  const open = () => props.rows.find((r) => r.year_closed === false);
  return (
    <>
      <Show when={open()}>
        {(r) => (
          <p class="state state-info year-open" data-testid="year-open" role="status">
            {t('overview_year_open', {
              year: year(),
              date: formatDate(reportDeadlineUtc(PLAN, year()).getTime() - 1, lang()),
              reporting: formatCount(r().communes_reporting ?? 0, lang()),
              expected: formatCount(r().communes_expected ?? 0, lang()),
            })}
          </p>
        )}
      </Show>
      <p class="summary">
        <strong>{t('overview_met_count', { met: met(), total: withTarget() })}</strong>
        <Show when={reporting() !== null}>
          {' '}
          · {t('communes_reporting', { count: formatCount(reporting(), lang()) })}
        </Show>
      </p>
      <Refreshed at={props.refreshed} />
      <div class="kpi-grid">
        <For each={figures()}>
          {(row) => (
            <KpiCard
              row={row}
              points={props.trend
                .filter((r) => r.kpi === row.kpi)
                .map((r) => ({ year: r.year, value_pct: r.value_pct }))}
              projectedPct={
                props.warnings.find((w) => w.scope === 'province' && w.kpi === row.kpi)?.projected_pct
              }
            />
          )}
        </For>
      </div>
    </>
  );
}

function WarningCounts(props: { rows: WarningRow[] }) {
  const counts = () =>
    SEVERITY_ORDER.map((s) => ({
      severity: s,
      label: severityLabel(s),
      count: props.rows.filter((w) => w.severity === s).length,
    }));
  const byScope = (scope: string) => props.rows.filter((w) => w.scope === scope).length;
  return (
    <>
      <ul class="severity-counts">
        <For each={counts()}>
          {(c) => (
            <li class={`severity-${c.severity}`} data-severity={c.severity}>
              <span class="count">{formatCount(c.count, lang())}</span> {c.label}
            </li>
          )}
        </For>
      </ul>
      <p>
        {t('overview_warnings_scope', {
          province: formatCount(byScope('province'), lang()),
          commune: formatCount(byScope('commune'), lang()),
        })}
      </p>
      <LazyChart
        load={severityChart}
        render={({ severityBarsChart }) =>
          severityBarsChart(counts(), { title: t('chart_severity_label'), locale: locale() })
        }
      />
    </>
  );
}

function ReportingPanel(props: {
  communes: { commune_code: string; name: string }[];
  submissions: SubmissionRow[];
}) {
  const statuses = createMemo(() =>
    reportingStatus(
      props.communes.map((c) => c.commune_code),
      props.submissions,
      deadlinePassed(selectedYear()),
    ),
  );
  // A commune officer sees only its own submissions (docs/interfaces.md): show its own status, not province counts.
  const own = () => (role() === 'commune' ? ownCommune() : null);
  const count = (s: ReportingStatus) => [...statuses().values()].filter((x) => x === s).length;
  const names = (s: ReportingStatus) =>
    props.communes.filter((c) => statuses().get(c.commune_code) === s).map((c) => c.name);
  return (
    <Show
      when={!own()}
      fallback={
        <p class="own-status">
          {t('overview_reporting_own', { status: statusLabel(statuses().get(own() ?? '') ?? 'not_due') })}
        </p>
      }
    >
      <ul class="reporting-counts">
        <For each={REPORTING_STATUSES}>
          {(s) => (
            <li class={`reporting-${s}`} data-status={s}>
              <span class="count">{formatCount(count(s), lang())}</span> {statusLabel(s)}
              <Show when={(s === 'missing' || s === 'late') && count(s) > 0}>
                <details>
                  <summary>{t('details')}</summary>
                  <p>{names(s).join(', ')}</p>
                </details>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
