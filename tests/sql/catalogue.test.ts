// The SQL catalogue (issue 18): one reader of sql/ that parses each view (the analysts' guard's parser) and
// answers from the dependency graph — what each view reads, which views are shared (computed into tables by the
// DuckDB warehouse) or leaves, the chain a query needs at an as-of, which views identify people, and Athena's DDL.
// The expected graph below was read off the view files by hand.
import { join } from 'node:path';
import { SqlCatalogue } from '@scorecard/functions/warehouse/sql-catalogue.ts';
import { ALL_VIEWS, RESTRICTED_VIEWS } from '@scorecard/functions/warehouse/views.ts';
import { REPO_ROOT } from '@scorecard/infra/constructs/scorecard-function.ts';
import { describe, expect, it } from 'vitest';

const catalogue = SqlCatalogue.load(join(REPO_ROOT, 'sql', 'views'));

describe('the SQL catalogue of sql/views', () => {
  it('holds every view, in the numbered order, as views.ts lists them', () => {
    expect(catalogue.names).toEqual([...ALL_VIEWS]);
  });

  it('knows what each view reads, as written in its file', () => {
    const views = (name: string) => [...(catalogue.get(name)?.views ?? [])].sort();
    expect(views('base_submissions')).toEqual([]);
    expect(catalogue.get('base_submissions')?.reads).toEqual(
      expect.arrayContaining(['curated_submissions', 'curated_voids', 'params', 'plan_report_deadlines']),
    );
    expect(views('cadres')).toEqual(['base_roster']);
    expect(views('kpi_commune_year')).toEqual(['base_kpi_counts']);
    expect(views('base_kpi_projection')).toEqual(['kpi_commune_year', 'kpi_province_year']);
    expect(views('gap_warnings')).toEqual([
      'base_commune_year',
      'base_kpi_projection',
      'kpi_commune_year',
      'kpi_province_year',
    ]);
    expect(views('commune_ranking')).toEqual([
      'base_commune_year',
      'base_roster',
      'data_quality',
      'kpi_commune_year',
    ]);
    expect(catalogue.get('cadre_gaps')?.reads).toEqual(
      expect.arrayContaining(['base_roster', 'restricted_cadre_identity']),
    );
    // A view's own CTEs are not relations it reads.
    expect(catalogue.get('kpi_commune_year')?.reads).not.toContain('judged');
  });

  it('shared views are those a later view reads; the rest are leaves', () => {
    expect([...catalogue.shared()].sort()).toEqual(
      [
        'base_submissions',
        'base_roster',
        'base_commune_year',
        'base_kpi_counts',
        'kpi_commune_year',
        'kpi_province_year',
        'base_kpi_projection',
        'data_quality_findings',
        'data_quality',
      ].sort(),
    );
    expect(catalogue.leaves()).toEqual([
      'submissions',
      'communes',
      'cadres',
      'commune_reports',
      'commune_staffing',
      'commune_initiatives',
      'gap_warnings',
      'cadre_gaps',
      'commune_ranking',
    ]);
  });

  it('the chain of a view, in creation order; the views that identify people', () => {
    expect(catalogue.closure(['gap_warnings'])).toEqual([
      'base_submissions',
      'base_roster',
      'base_commune_year',
      'base_kpi_counts',
      'kpi_commune_year',
      'kpi_province_year',
      'base_kpi_projection',
      'gap_warnings',
    ]);
    expect(catalogue.closure(['communes'])).toEqual(['communes']);
    expect(catalogue.readersOf('restricted_cadre_identity')).toEqual([...RESTRICTED_VIEWS]);
    expect(catalogue.readersOf('curated_cadres')).toContain('commune_ranking');
  });

  it('reads what a view reads, not its words: names in strings, comments and aliases are not reads', () => {
    const c = new SqlCatalogue([
      { file: '010_a.sql', name: 'a', sql: 'select 1 as x from curated_a' },
      { file: '020_b.sql', name: 'b', sql: "-- a\nselect 'a' as a /* from a */ from curated_b as a" },
      {
        file: '030_c.sql',
        name: 'c',
        sql: 'create or replace view c as\nwith a2 as (select * from "a") select * from a2',
      },
    ]);
    expect(c.get('b')?.views).toEqual([]);
    expect(c.get('c')?.views).toEqual(['a']);
    expect(c.shared()).toEqual(new Set(['a']));
  });

  it('refuses at load a view that reads a later view, one that does not parse, and two files of one view', () => {
    expect(
      () =>
        new SqlCatalogue([
          { file: '010_a.sql', name: 'a', sql: 'select * from b' },
          { file: '020_b.sql', name: 'b', sql: 'select 1 as x' },
        ]),
    ).toThrow(/010_a.sql reads b, created at or after it/);
    expect(() => new SqlCatalogue([{ file: '010_a.sql', name: 'a', sql: 'select * from a' }])).toThrow(
      /reads a/,
    );
    expect(() => new SqlCatalogue([{ file: '010_a.sql', name: 'a', sql: 'selec * frm x' }])).toThrow(
      /does not parse/,
    );
    expect(
      () =>
        new SqlCatalogue([
          { file: '010_a.sql', name: 'a', sql: 'select 1 as x' },
          { file: '020_a.sql', name: 'a', sql: 'select 2 as x' },
        ]),
    ).toThrow(/same view/);
  });

  it('expanded plans on Athena: how many scans of stored data each view costs (issue 15, item 8)', () => {
    // Athena's base views read their files once each (a window, not a self-join: sql/tables/athena); the
    // reference tables are VALUES. Before issue 15 every base view joined its files to themselves (2 scans),
    // and gap_warnings cost 200.
    const athena = (r: string) => (/^(curated|restricted)_/.test(r) ? 1 : 0);
    const before = (r: string) => 2 * athena(r);
    const scans = (v: string) => catalogue.expandedScans(v, athena);
    expect(scans('base_submissions')).toBe(2); // the markers and the voids
    expect(scans('base_roster')).toBe(3);
    // base_kpi_projection fits its line with a window over the values, not a self-join of their history:
    // gap_warnings 100 → 68.
    expect(scans('base_kpi_projection')).toBe(32);
    expect(scans('gap_warnings')).toBe(68);
    expect(scans('commune_ranking')).toBe(43);
    expect(catalogue.expandedScans('gap_warnings', before)).toBe(136);
    expect(catalogue.expandedScans('commune_ranking', before)).toBe(86);
    // A CTE read twice costs twice, like a view (Trino expands both).
    const c = new SqlCatalogue([
      { file: '010_a.sql', name: 'a', sql: 'select * from curated_x' },
      {
        file: '020_b.sql',
        name: 'b',
        sql: 'with w as (select * from a) select * from w join w as w2 on true join curated_y on true',
      },
    ]);
    expect(c.expandedScans('b', athena)).toBe(3);
  });
});
