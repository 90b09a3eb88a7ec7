// One commune: KPIs against targets over the years, warnings, cadre gaps (not for analysts), Đúng–Đủ–Sạch–Sống
// with the soft-rule findings, and the submission history with versions, on-time and voided flags.

import { qualityBarsChart } from '@scorecard/charts/quality-bars.ts';
import { KPI_CODES, PLAN, phaseOf } from '@scorecard/data-contracts';
import { useParams } from '@solidjs/router';
import { createMemo, createResource, For, Show } from 'solid-js';
import { Chart } from '../components/chart.tsx';
import { KpiCard, type KpiFigure, kpiStatus, statusText } from '../components/kpi.tsx';
import { Refreshed } from '../components/refreshed.tsx';
import { Async, Empty } from '../components/states.tsx';
import { formatCount, formatDateTime, formatPct, formatScore } from '../lib/format.ts';
import {
  cadreGapDetail,
  cadreReasonLabel,
  communeTypeLabel,
  kpiLabel,
  lang,
  locale,
  severityLabel,
  t,
} from '../lib/i18n.ts';
import { canSeeCadreGaps, role } from '../lib/session.ts';
import { selectedYear, yearsUpToSelected } from '../lib/state.ts';
import type {
  CadreGapRow,
  DataQualityRow,
  FindingRow,
  KpiCommuneRow,
  SubmissionRow,
  WarningRow,
} from '../lib/types.ts';
import {
  fetchCadreGaps,
  fetchCommune,
  fetchCommuneKpis,
  fetchCommuneQuality,
  fetchCommuneRanking,
  fetchCommuneSubmissions,
  fetchCommuneWarnings,
} from './commune.data.ts';

export default function CommuneDetail() {
  const params = useParams<{ code: string }>();
  const code = () => params.code;
  const [info, { refetch: refetchInfo }] = createResource(code, fetchCommune);
  const [kpis, { refetch: refetchKpis }] = createResource(
    () => ({ code: code(), years: yearsUpToSelected() }),
    ({ code, years }) => fetchCommuneKpis(code, years),
  );
  const [warnings, { refetch: refetchWarnings }] = createResource(
    () => ({ code: code(), year: selectedYear() }),
    ({ code, year }) => fetchCommuneWarnings(code, year),
  );
  const [gaps, { refetch: refetchGaps }] = createResource(
    () => (canSeeCadreGaps() ? { code: code(), year: selectedYear() } : false),
    ({ code, year }) => fetchCadreGaps(code, year),
  );
  const [quality, { refetch: refetchQuality }] = createResource(
    () => ({ code: code(), year: selectedYear() }),
    ({ code, year }) => fetchCommuneQuality(code, year),
  );
  const [ranking] = createResource(
    () => ({ code: code(), year: selectedYear() }),
    ({ code, year }) => fetchCommuneRanking(code, year),
  );
  const [submissions, { refetch: refetchSubmissions }] = createResource(
    () => ({ code: code(), years: yearsUpToSelected() }),
    ({ code, years }) => fetchCommuneSubmissions(code, years),
  );

  return (
    <section class="page commune" aria-labelledby="commune-title">
      <Async data={info} retry={refetchInfo}>
        {(d) => (
          <Show when={d.commune} fallback={<Empty label={t('commune_not_found', { code: code() })} />}>
            {(c) => (
              <>
                <h1 id="commune-title">{c().name}</h1>
                <p class="meta">
                  {t('commune_meta', {
                    code: c().commune_code,
                    type: communeTypeLabel(c().type),
                    district: c().former_district ?? '—',
                    province: c().former_province ?? '—',
                  })}
                </p>
                <Show when={ranking()}>
                  {(r) => (
                    <p class="rank-line" data-testid="commune-rank">
                      {t('commune_rank', {
                        rank: formatCount(r().rank, lang()),
                        total: formatCount(d.total, lang()),
                        rank_in_type: formatCount(r().rank_in_type, lang()),
                        type: communeTypeLabel(r().type),
                      })}{' '}
                      · {t('col_score')} {formatScore(r().score, lang())}
                    </p>
                  )}
                </Show>
              </>
            )}
          </Show>
        )}
      </Async>

      <section aria-labelledby="commune-kpis-title">
        <h2 id="commune-kpis-title">{t('commune_kpis')}</h2>
        <Async data={kpis} retry={refetchKpis}>
          {(d) => (
            <>
              <Refreshed at={d.refreshed_at} />
              <CommuneKpis rows={d.rows} warnings={warnings.latest ?? []} />
            </>
          )}
        </Async>
      </section>

      <section aria-labelledby="commune-warnings-title">
        <h2 id="commune-warnings-title">{t('commune_warnings', { year: selectedYear() })}</h2>
        <Async
          data={warnings}
          retry={refetchWarnings}
          isEmpty={(w) => w.length === 0}
          emptyLabel={t('commune_no_warnings')}
        >
          {(w) => <CommuneWarnings rows={w} />}
        </Async>
      </section>

      <Show when={canSeeCadreGaps()}>
        <section aria-labelledby="commune-gaps-title">
          <h2 id="commune-gaps-title">{t('commune_cadre_gaps')}</h2>
          <Async
            data={gaps}
            retry={refetchGaps}
            isEmpty={(g) => g.length === 0}
            emptyLabel={t('commune_cadre_gaps_none')}
          >
            {(g) => <CadreGaps rows={g} />}
          </Async>
        </section>
      </Show>

      <section aria-labelledby="commune-quality-title">
        <h2 id="commune-quality-title">{t('commune_quality')}</h2>
        <Async data={quality} retry={refetchQuality}>
          {(q) => <CommuneQuality quality={q.quality} findings={q.findings} />}
        </Async>
      </section>

      <section aria-labelledby="commune-submissions-title">
        <h2 id="commune-submissions-title">{t('commune_submissions')}</h2>
        <Async data={submissions} retry={refetchSubmissions} isEmpty={(s) => s.length === 0}>
          {(s) => <SubmissionHistory rows={s} />}
        </Async>
      </section>
    </section>
  );
}

function CommuneKpis(props: { rows: KpiCommuneRow[]; warnings: WarningRow[] }) {
  const years = () => yearsUpToSelected();
  const year = () => selectedYear();
  const current = createMemo(() =>
    KPI_CODES.map(
      (k): KpiFigure =>
        props.rows.find((r) => r.kpi === k && r.year === year()) ?? {
          kpi: k,
          year: year(),
          phase: phaseOf(PLAN, year())?.code ?? null,
          numerator: null,
          denominator: null,
          value_pct: null,
          target_pct: null,
          comparator: null,
          met: null,
        },
    ),
  );
  const cell = (k: string, y: number) => props.rows.find((r) => r.kpi === k && r.year === y);
  return (
    <>
      <div class="table-scroll">
        <table class="kpi-years heatmap">
          <caption class="visually-hidden">{t('commune_kpis')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('col_kpi')}</th>
              <For each={years()}>{(y) => <th scope="col">{y}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={KPI_CODES}>
              {(k) => (
                <tr data-kpi={k}>
                  <th scope="row">{kpiLabel(k)}</th>
                  <For each={years()}>
                    {(y) => {
                      const r = () => cell(k, y);
                      const s = () => (r() ? kpiStatus(r() as KpiCommuneRow) : 'missing');
                      return (
                        <td class={`heat status-${s()}`} title={statusText(s())} data-year={y}>
                          {formatPct(r()?.value_pct, lang())}
                          <span class="visually-hidden"> — {statusText(s())}</span>
                        </td>
                      );
                    }}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <div class="kpi-grid">
        <For each={current()}>
          {(row) => (
            <KpiCard
              row={row}
              points={props.rows
                .filter((r) => r.kpi === row.kpi)
                .map((r) => ({ year: r.year, value_pct: r.value_pct }))}
              projectedPct={props.warnings.find((w) => w.kpi === row.kpi)?.projected_pct}
            />
          )}
        </For>
      </div>
    </>
  );
}

function CommuneWarnings(props: { rows: WarningRow[] }) {
  return (
    <table class="warnings-table">
      <thead>
        <tr>
          <th scope="col">{t('severity')}</th>
          <th scope="col">{t('col_kpi')}</th>
          <th scope="col">{t('kpi_value')}</th>
          <th scope="col">{t('kpi_target')}</th>
          <th scope="col">{t('col_projected')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(w) => (
            <tr data-severity={w.severity}>
              <td>
                <span class={`badge severity-${w.severity}`}>{severityLabel(w.severity)}</span>
              </td>
              <td>{kpiLabel(w.kpi)}</td>
              <td class="num">{formatPct(w.value_pct, lang())}</td>
              <td class="num">{formatPct(w.target_pct, lang())}</td>
              <td class="num">{formatPct(w.projected_pct, lang())}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function CadreGaps(props: { rows: CadreGapRow[] }) {
  return (
    <table class="cadre-gaps" data-testid="cadre-gaps">
      <thead>
        <tr>
          <th scope="col">{t('col_cadre_code')}</th>
          <th scope="col">{t('col_position')}</th>
          <th scope="col">{t('col_leader')}</th>
          <th scope="col">{t('col_reason')}</th>
          <th scope="col">{t('col_detail')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(g) => (
            <tr>
              <td>
                <code>{g.cadre_code}</code>
              </td>
              <td>{g.position}</td>
              <td>{g.is_leader ? t('yes') : t('no')}</td>
              <td>{cadreReasonLabel(g.reason)}</td>
              <td>{cadreGapDetail(g.reason, g.detail)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function CommuneQuality(props: { quality: DataQualityRow | null; findings: FindingRow[] }) {
  const rule = (code: string) => PLAN.policy.data_quality.soft_rules.find((r) => r.code === code);
  const bars = () => {
    const q = props.quality;
    return (['dung', 'du', 'sach', 'song', 'score'] as const).map((d) => ({
      dimension: d,
      label: t(`dq_${d}`),
      value: q ? q[d] : null,
    }));
  };
  return (
    <div class="commune-quality">
      <Chart render={() => qualityBarsChart(bars(), { title: t('commune_quality'), locale: locale() })} />
      <dl class="quality-values">
        <For each={bars()}>
          {(b) => (
            <>
              <dt>{b.label}</dt>
              <dd data-dimension={b.dimension}>{formatScore(b.value, lang())}</dd>
            </>
          )}
        </For>
      </dl>
      <h3>{t('commune_findings')}</h3>
      <Show when={props.findings.length > 0} fallback={<Empty />}>
        <table class="findings">
          <thead>
            <tr>
              <th scope="col">{t('col_rule')}</th>
              <th scope="col">{t('col_result')}</th>
              <th scope="col">{t('col_detail')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.findings}>
              {(f) => (
                <tr class={f.passed ? 'passed' : 'failed'}>
                  <td>{rule(f.rule)?.[lang()] ?? f.rule}</td>
                  <td>
                    <span class={`badge ${f.passed ? 'status-met' : 'status-not_met'}`}>
                      {f.passed ? t('rule_passed') : t('rule_failed')}
                    </span>
                  </td>
                  <td>{f.detail ?? ''}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </div>
  );
}

function SubmissionHistory(props: { rows: SubmissionRow[] }) {
  const showSubmitter = () => role() !== 'analyst' && props.rows.some((r) => r.submitted_by);
  return (
    <table class="submissions" data-testid="submission-history">
      <thead>
        <tr>
          <th scope="col">{t('year')}</th>
          <th scope="col">{t('col_version')}</th>
          <th scope="col">{t('col_received_at')}</th>
          <th scope="col">{t('col_on_time')}</th>
          <th scope="col">{t('col_voided')}</th>
          <Show when={showSubmitter()}>
            <th scope="col">{t('col_submitted_by')}</th>
          </Show>
          <th scope="col">{t('col_submission_id')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(s) => (
            <tr class={s.voided ? 'voided' : ''} data-version={s.version}>
              <td>{s.year}</td>
              <td class="num">{s.version}</td>
              <td>{formatDateTime(s.received_at, lang())}</td>
              <td>{s.on_time ? t('yes') : t('no')}</td>
              <td>{s.voided ? t('yes') : t('no')}</td>
              <Show when={showSubmitter()}>
                <td>{s.submitted_by ?? ''}</td>
              </Show>
              <td>
                <code>{s.submission_id}</code>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
