// Xã, phường: a sortable, filterable table with a KPI heat-map; search ignores diacritics ("dao thanh" finds
// "Đạo Thạnh").
import { COMMUNE_TYPE, KPI_CODES } from '@scorecard/data-contracts';
import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { kpiStatus, statusText } from '../components/kpi.tsx';
import { Refreshed } from '../components/refreshed.tsx';
import { Async } from '../components/states.tsx';
import { compareNames, formatCount, formatPct, formatScore, matchesSearch } from '../lib/format.ts';
import { communeTypeLabel, kpiLabel, lang, t } from '../lib/i18n.ts';
import { ownCommune, role } from '../lib/session.ts';
import { selectedYear } from '../lib/state.ts';
import type { CommuneRow, KpiCommuneRow, RankingRow } from '../lib/types.ts';
import { fetchCommuneTable } from './communes.data.ts';

type SortKey = 'name' | 'commune_code' | 'type' | 'former_district' | 'rank' | (typeof KPI_CODES)[number];

interface TableRow extends CommuneRow {
  ranking: RankingRow | undefined;
  kpis: Map<string, KpiCommuneRow>;
}

export default function Communes() {
  const [data, { refetch }] = createResource(selectedYear, fetchCommuneTable);
  return (
    <section class="page communes" aria-labelledby="communes-title">
      <h1 id="communes-title">{t('communes_title', { year: selectedYear() })}</h1>
      <Async data={data} retry={refetch} isEmpty={(d) => d.communes.length === 0}>
        {(d) => (
          <>
            <Refreshed at={d.refreshed_at} />
            {/* A commune officer's KPI and ranking rows are its own only (docs/interfaces.md): list just its commune,
                rather than 101 others that would read as "missing". */}
            <CommuneTable
              communes={
                role() === 'commune' ? d.communes.filter((c) => c.commune_code === ownCommune()) : d.communes
              }
              kpis={d.kpis}
              rankings={d.rankings}
            />
          </>
        )}
      </Async>
    </section>
  );
}

function CommuneTable(props: { communes: CommuneRow[]; kpis: KpiCommuneRow[]; rankings: RankingRow[] }) {
  const [query, setQuery] = createSignal('');
  const [type, setType] = createSignal('');
  const [sort, setSort] = createSignal<{ key: SortKey; dir: 1 | -1 }>({ key: 'rank', dir: 1 });

  const rows = createMemo<TableRow[]>(() => {
    const byCommune = new Map<string, Map<string, KpiCommuneRow>>();
    for (const k of props.kpis) {
      const m = byCommune.get(k.commune_code) ?? new Map<string, KpiCommuneRow>();
      m.set(k.kpi, k);
      byCommune.set(k.commune_code, m);
    }
    return props.communes.map((c) => ({
      ...c,
      ranking: props.rankings.find((r) => r.commune_code === c.commune_code),
      kpis: byCommune.get(c.commune_code) ?? new Map(),
    }));
  });

  const shown = createMemo(() => {
    const { key, dir } = sort();
    const l = lang();
    const filtered = rows().filter(
      (r) =>
        (type() === '' || r.type === type()) &&
        matchesSearch(query(), r.name, r.commune_code, r.former_district, r.former_province),
    );
    // Missing values sort last in either direction: "no value" is not the worst or the best value.
    const value = (r: TableRow): number | string | null => {
      if (key === 'name') return r.name;
      if (key === 'commune_code') return r.commune_code;
      if (key === 'type') return communeTypeLabel(r.type);
      if (key === 'former_district') return r.former_district ?? null;
      if (key === 'rank') return r.ranking?.rank ?? null;
      return r.kpis.get(key)?.value_pct ?? null;
    };
    return [...filtered].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === null && vb === null) return compareNames(a.name, b.name, l);
      if (va === null) return 1;
      if (vb === null) return -1;
      const c = typeof va === 'string' ? compareNames(va, String(vb), l) : va - (vb as number);
      return c * dir || compareNames(a.name, b.name, l);
    });
  });

  const toggle = (key: SortKey) =>
    setSort((s) => ({
      key,
      dir: s.key === key ? (-s.dir as 1 | -1) : key === 'rank' || key === 'name' ? 1 : -1,
    }));
  const ariaSort = (key: SortKey) =>
    sort().key === key ? (sort().dir === 1 ? 'ascending' : 'descending') : 'none';

  const SortHeader = (p: { key: SortKey; label: string; class?: string }) => (
    <th scope="col" aria-sort={ariaSort(p.key)} class={p.class}>
      <button
        type="button"
        onClick={() => toggle(p.key)}
        aria-label={t('sort_by', { column: p.label })}
        title={p.label}
      >
        <span>{p.label}</span>
        <span aria-hidden="true" class="sort-mark">
          {sort().key === p.key ? (sort().dir === 1 ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );

  return (
    <>
      <div class="filters">
        <label>
          {t('communes_search_label')}
          <input
            type="search"
            value={query()}
            placeholder={t('communes_search_placeholder')}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('communes_type_filter')}
          <select value={type()} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">{t('all')}</option>
            <For each={COMMUNE_TYPE.codes}>{(c) => <option value={c}>{communeTypeLabel(c)}</option>}</For>
          </select>
        </label>
        <p aria-live="polite" class="count">
          {t('communes_count', {
            shown: formatCount(shown().length, lang()),
            total: formatCount(rows().length, lang()),
          })}
        </p>
      </div>
      <div class="table-scroll">
        <table class="commune-table heatmap">
          <caption>{t('communes_heatmap_caption')}</caption>
          <thead>
            <tr>
              <SortHeader key="rank" label={t('col_rank')} />
              <SortHeader key="name" label={t('col_name')} />
              <SortHeader key="commune_code" label={t('col_code')} />
              <SortHeader key="type" label={t('col_type')} />
              <SortHeader key="former_district" label={t('col_former_district')} />
              <For each={KPI_CODES}>{(k) => <SortHeader key={k} label={kpiLabel(k)} class="kpi-col" />}</For>
            </tr>
          </thead>
          <tbody>
            <For each={shown()}>
              {(r) => (
                <tr data-commune={r.commune_code}>
                  <td class="num">{r.ranking ? formatCount(r.ranking.rank, lang()) : '—'}</td>
                  <th scope="row">
                    <A href={`/communes/${r.commune_code}`}>{r.name}</A>
                    <Show when={r.ranking}>
                      {(rk) => <span class="score"> {formatScore(rk().score, lang())}</span>}
                    </Show>
                  </th>
                  <td>{r.commune_code}</td>
                  <td>{communeTypeLabel(r.type)}</td>
                  <td>{r.former_district ?? '—'}</td>
                  <For each={KPI_CODES}>
                    {(k) => {
                      const row = () => r.kpis.get(k);
                      const status = () => (row() ? kpiStatus(row() as KpiCommuneRow) : 'missing');
                      return (
                        <td
                          class={`heat status-${status()}`}
                          aria-label={t('heat_cell', {
                            kpi: kpiLabel(k),
                            value: formatPct(row()?.value_pct, lang()),
                            status: statusText(status()),
                          })}
                        >
                          {formatPct(row()?.value_pct, lang())}
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
    </>
  );
}
