// Chất lượng dữ liệu: Đúng–Đủ–Sạch–Sống per commune (plan III.5.2), worst first, with the province average.

import { qualityBarsChart } from '@scorecard/charts/quality-bars.ts';
import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For } from 'solid-js';
import { Chart } from '../components/chart.tsx';
import { Refreshed } from '../components/refreshed.tsx';
import { Async } from '../components/states.tsx';
import { compareNames, formatCount, formatScore, matchesSearch } from '../lib/format.ts';
import { lang, locale, t } from '../lib/i18n.ts';
import { selectedYear } from '../lib/state.ts';
import type { CommuneRow, DataQualityRow } from '../lib/types.ts';
import { fetchQuality } from './quality.data.ts';

const DIMENSIONS = ['dung', 'du', 'sach', 'song', 'score'] as const;

export default function Quality() {
  const [data, { refetch }] = createResource(selectedYear, fetchQuality);
  return (
    <section class="page quality" aria-labelledby="quality-title">
      <h1 id="quality-title">{t('quality_title', { year: selectedYear() })}</h1>
      <p class="intro">{t('quality_intro')}</p>
      <Async data={data} retry={refetch} isEmpty={(d) => d.rows.length === 0}>
        {(d) => (
          <>
            <Refreshed at={d.refreshed_at} />
            <QualityView rows={d.rows} communes={d.communes} />
          </>
        )}
      </Async>
    </section>
  );
}

function QualityView(props: { rows: DataQualityRow[]; communes: CommuneRow[] }) {
  const [query, setQuery] = createSignal('');
  const name = (code: string) => props.communes.find((c) => c.commune_code === code)?.name ?? code;
  const average = (d: (typeof DIMENSIONS)[number]) =>
    props.rows.length === 0 ? null : props.rows.reduce((s, r) => s + r[d], 0) / props.rows.length;
  const shown = createMemo(() =>
    props.rows
      .filter((r) => matchesSearch(query(), name(r.commune_code), r.commune_code))
      .sort((a, b) => a.score - b.score || compareNames(name(a.commune_code), name(b.commune_code), lang())),
  );
  return (
    <>
      <h2>{t('dq_average')}</h2>
      <Chart
        render={() =>
          qualityBarsChart(
            DIMENSIONS.map((d) => ({ dimension: d, label: t(`dq_${d}`), value: average(d) })),
            { title: t('dq_average'), locale: locale() },
          )
        }
      />
      <div class="filters">
        <label>
          {t('communes_search_label')}
          <input type="search" value={query()} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
        <p aria-live="polite" class="count">
          {t('communes_count', {
            shown: formatCount(shown().length, lang()),
            total: formatCount(props.rows.length, lang()),
          })}
        </p>
      </div>
      <div class="table-scroll">
        <table class="quality-table">
          <thead>
            <tr>
              <th scope="col">{t('col_name')}</th>
              <For each={DIMENSIONS}>{(d) => <th scope="col">{t(`dq_${d}`)}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={shown()}>
              {(r) => (
                <tr data-commune={r.commune_code}>
                  <th scope="row">
                    <A href={`/communes/${r.commune_code}`}>{name(r.commune_code)}</A>
                  </th>
                  <For each={DIMENSIONS}>{(d) => <td class="num">{formatScore(r[d], lang())}</td>}</For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </>
  );
}
