// Xếp hạng: ranked bars with their components, overall or within a commune type, and the change against last
// year; a commune officer sees its own rank and components.

import { rankingBarsChart } from '@scorecard/charts/ranking-bars.ts';
import { COMMUNE_TYPE, PLAN } from '@scorecard/data-contracts';
import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { Chart } from '../components/chart.tsx';
import { Refreshed } from '../components/refreshed.tsx';
import { Async } from '../components/states.tsx';
import { formatCount, formatScore } from '../lib/format.ts';
import { communeTypeLabel, lang, locale, t } from '../lib/i18n.ts';
import { ownCommune, role } from '../lib/session.ts';
import { selectedYear, yearsInfo } from '../lib/state.ts';
import type { CommuneRow, RankingRow } from '../lib/types.ts';
import { fetchRankings } from './rankings.data.ts';

export default function Rankings() {
  const previousYear = () => {
    const y = selectedYear() - 1;
    return (yearsInfo()?.years ?? PLAN.years).includes(y) ? y : null;
  };
  const [data, { refetch }] = createResource(
    () => ({ year: selectedYear(), previous: previousYear() }),
    ({ year, previous }) => fetchRankings(year, previous),
  );
  const w = PLAN.policy.ranking.weights;
  return (
    <section class="page rankings" aria-labelledby="rankings-title">
      <h1 id="rankings-title">{t('rankings_title', { year: selectedYear() })}</h1>
      <p class="intro">
        {t('rankings_intro', { kpi: w.kpi, evaluation: w.evaluation, data_quality: w.data_quality })}
      </p>
      <Async data={data} retry={refetch} isEmpty={(d) => d.rows.length === 0}>
        {(d) => (
          <>
            <Refreshed at={d.refreshed_at} />
            <RankingView rows={d.rows} previous={d.previous} communes={d.communes} />
          </>
        )}
      </Async>
    </section>
  );
}

function rankChange(current: number, previous: number | undefined): string {
  if (previous === undefined) return t('rank_new');
  if (previous === current) return t('rank_same');
  return previous > current
    ? t('rank_up', { n: previous - current })
    : t('rank_down', { n: current - previous });
}

function RankingView(props: { rows: RankingRow[]; previous: RankingRow[]; communes: CommuneRow[] }) {
  const [type, setType] = createSignal('');
  const name = (code: string) => props.communes.find((c) => c.commune_code === code)?.name ?? code;
  // Within a type the rank is rank_in_type (the plan ranks overall and within xã / phường / đặc khu).
  const rankOf = (r: RankingRow) => (type() === '' ? r.rank : r.rank_in_type);
  const shown = createMemo(() =>
    props.rows.filter((r) => type() === '' || r.type === type()).sort((a, b) => rankOf(a) - rankOf(b)),
  );
  const previousRank = (code: string) => {
    const p = props.previous.find((r) => r.commune_code === code);
    return p ? rankOf(p) : undefined;
  };
  const own = () =>
    role() === 'commune' ? props.rows.find((r) => r.commune_code === ownCommune()) : undefined;
  const totalFor = (r: RankingRow) =>
    type() === '' ? props.communes.length : props.communes.filter((c) => c.type === r.type).length;

  return (
    <>
      <Show when={own()}>
        {(r) => (
          <p class="own-rank callout" data-testid="own-rank">
            {t('rankings_own', {
              rank: formatCount(rankOf(r()), lang()),
              total: formatCount(totalFor(r()), lang()),
              score: formatScore(r().score, lang()),
            })}
          </p>
        )}
      </Show>
      <fieldset class="type-filter">
        <legend>{t('rankings_type_filter')}</legend>
        <label>
          <input
            type="radio"
            name="ranking-type"
            value=""
            checked={type() === ''}
            onChange={() => setType('')}
          />
          {t('rankings_overall')}
        </label>
        <For each={COMMUNE_TYPE.codes}>
          {(c) => (
            <label>
              <input
                type="radio"
                name="ranking-type"
                value={c}
                checked={type() === c}
                onChange={() => setType(c)}
              />
              {communeTypeLabel(c)}
            </label>
          )}
        </For>
      </fieldset>
      <Chart
        class="ranking-chart"
        render={() =>
          rankingBarsChart(
            shown().map((r) => ({
              commune_code: r.commune_code,
              label: name(r.commune_code),
              rank: rankOf(r),
              score: r.score,
              kpi_score: r.kpi_score,
              evaluation_score: r.evaluation_score,
              data_quality_score: r.data_quality_score,
            })),
            {
              weights: PLAN.policy.ranking.weights,
              highlight: ownCommune(),
              locale: locale(),
              labels: {
                title: t('chart_ranking_label'),
                kpi: t('component_kpi'),
                evaluation: t('component_evaluation'),
                data_quality: t('component_data_quality'),
                score: t('col_score'),
              },
            },
          )
        }
      />
      <div class="table-scroll">
        <table class="ranking-table">
          <thead>
            <tr>
              <th scope="col">{t('col_rank')}</th>
              <th scope="col">{t('col_name')}</th>
              <th scope="col">{t('col_type')}</th>
              <th scope="col">{t('col_score')}</th>
              <th scope="col">{t('component_kpi')}</th>
              <th scope="col">{t('component_evaluation')}</th>
              <th scope="col">{t('component_data_quality')}</th>
              <th scope="col">{t('rank_change')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={shown()}>
              {(r) => (
                <tr data-commune={r.commune_code} class={r.commune_code === ownCommune() ? 'own' : ''}>
                  <td class="num">{formatCount(rankOf(r), lang())}</td>
                  <th scope="row">
                    <A href={`/communes/${r.commune_code}`}>{name(r.commune_code)}</A>
                  </th>
                  <td>{communeTypeLabel(r.type)}</td>
                  <td class="num">{formatScore(r.score, lang())}</td>
                  <td class="num">{formatScore(r.kpi_score, lang())}</td>
                  <td class="num">{formatScore(r.evaluation_score, lang())}</td>
                  <td class="num">{formatScore(r.data_quality_score, lang())}</td>
                  <td class="rank-change">{rankChange(rankOf(r), previousRank(r.commune_code))}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </>
  );
}
