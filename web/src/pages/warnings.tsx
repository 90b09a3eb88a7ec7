// Cảnh báo: filter by severity, KPI and commune; the policy behind the severities explained in place (it is
// product policy, not the plan's rule — plan.policy says so).

import { SEVERITY_ORDER } from '@scorecard/charts/palette.ts';
import { KPI_CODES, PLAN } from '@scorecard/data-contracts';
import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { Refreshed } from '../components/refreshed.tsx';
import { Async } from '../components/states.tsx';
import { compareNames, formatCount, formatPct, formatPctNear } from '../lib/format.ts';
import { kpiLabel, lang, pick, severityLabel, severityPolicy, t } from '../lib/i18n.ts';
import { selectedYear } from '../lib/state.ts';
import type { CommuneRow, WarningRow } from '../lib/types.ts';
import { fetchWarningList } from './warnings.data.ts';

export default function Warnings() {
  const [severity, setSeverity] = createSignal('');
  const [kpi, setKpi] = createSignal('');
  const [commune, setCommune] = createSignal('');
  const [data, { refetch }] = createResource(
    () => ({ year: selectedYear(), severity: severity() }),
    ({ year, severity }) => fetchWarningList(year, severity),
  );
  return (
    <section class="page warnings" aria-labelledby="warnings-title">
      <h1 id="warnings-title">{t('warnings_title', { year: selectedYear() })}</h1>
      <details class="policy" open>
        <summary>{t('warnings_policy')}</summary>
        <p>{pick({ vi: PLAN.policy.note_vi, en: PLAN.policy.note_en })}</p>
        <dl>
          <For each={SEVERITY_ORDER}>
            {(s) => (
              <>
                <dt>
                  <span class={`badge severity-${s}`}>{severityLabel(s)}</span>
                </dt>
                <dd>{severityPolicy(s)}</dd>
              </>
            )}
          </For>
        </dl>
        <p>{t('warnings_projection_note')}</p>
      </details>
      <div class="filters">
        <label>
          {t('warnings_filter_severity')}
          <select value={severity()} onChange={(e) => setSeverity(e.currentTarget.value)}>
            <option value="">{t('all')}</option>
            <For each={SEVERITY_ORDER}>{(s) => <option value={s}>{severityLabel(s)}</option>}</For>
          </select>
        </label>
        <label>
          {t('warnings_filter_kpi')}
          <select value={kpi()} onChange={(e) => setKpi(e.currentTarget.value)}>
            <option value="">{t('all')}</option>
            <For each={KPI_CODES}>{(k) => <option value={k}>{kpiLabel(k)}</option>}</For>
          </select>
        </label>
        <Show when={data.latest}>
          {(d) => (
            <label>
              {t('warnings_filter_commune')}
              <select value={commune()} onChange={(e) => setCommune(e.currentTarget.value)}>
                <option value="">{t('all')}</option>
                <option value="__province">{t('scope_province')}</option>
                <For each={[...d().communes].sort((a, b) => compareNames(a.name, b.name, lang()))}>
                  {(c) => <option value={c.commune_code}>{c.name}</option>}
                </For>
              </select>
            </label>
          )}
        </Show>
      </div>
      <Async data={data} retry={refetch}>
        {(d) => (
          <>
            <Refreshed at={d.refreshed_at} />
            <WarningTable rows={d.rows} communes={d.communes} kpi={kpi()} commune={commune()} />
          </>
        )}
      </Async>
    </section>
  );
}

function WarningTable(props: { rows: WarningRow[]; communes: CommuneRow[]; kpi: string; commune: string }) {
  const name = (code: string | null) =>
    props.communes.find((c) => c.commune_code === code)?.name ?? code ?? '';
  const shown = createMemo(() =>
    props.rows
      .filter((w) => props.kpi === '' || w.kpi === props.kpi)
      .filter((w) =>
        props.commune === ''
          ? true
          : props.commune === '__province'
            ? w.scope === 'province'
            : w.commune_code === props.commune,
      )
      .sort(
        (a, b) =>
          SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
          (a.scope === b.scope ? 0 : a.scope === 'province' ? -1 : 1) ||
          compareNames(name(a.commune_code), name(b.commune_code), lang()) ||
          KPI_CODES.indexOf(a.kpi as (typeof KPI_CODES)[number]) -
            KPI_CODES.indexOf(b.kpi as (typeof KPI_CODES)[number]),
      ),
  );
  return (
    <>
      <p aria-live="polite" class="count">
        {t('warnings_count', { count: formatCount(shown().length, lang()) })}
      </p>
      <Show when={shown().length > 0} fallback={<p class="state state-empty">{t('empty')}</p>}>
        <div class="table-scroll">
          <table class="warnings-table">
            <thead>
              <tr>
                <th scope="col">{t('severity')}</th>
                <th scope="col">{t('col_scope')}</th>
                <th scope="col">{t('col_commune')}</th>
                <th scope="col">{t('col_kpi')}</th>
                <th scope="col">{t('kpi_value')}</th>
                <th scope="col">{t('kpi_target')}</th>
                <th scope="col">{t('col_projected')}</th>
                <th scope="col">{t('col_gap_units')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={shown()}>
                {(w) => (
                  <tr data-severity={w.severity}>
                    <td>
                      <span class={`badge severity-${w.severity}`} title={severityPolicy(w.severity)}>
                        {severityLabel(w.severity)}
                      </span>
                    </td>
                    <td>{w.scope === 'province' ? t('scope_province') : t('scope_commune')}</td>
                    <td>
                      <Show when={w.commune_code} fallback="—">
                        {(c) => <A href={`/communes/${c()}`}>{name(c())}</A>}
                      </Show>
                    </td>
                    <td>{kpiLabel(w.kpi)}</td>
                    <td class="num">{formatPctNear(w.value_pct, w.target_pct, lang())}</td>
                    <td class="num">{formatPct(w.target_pct, lang())}</td>
                    <td class="num">{formatPct(w.projected_pct, lang())}</td>
                    <td class="num" data-testid="gap-units">
                      {w.gap_units ? formatCount(w.gap_units, lang()) : '—'}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </>
  );
}
