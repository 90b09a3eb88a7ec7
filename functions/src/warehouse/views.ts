// Which views analysts may query, which identify people, and every name the catalogue holds. Kept apart from the DuckDB adapter so that the
// cloud (Athena, Lambda) can import it without pulling DuckDB into a bundle.
import { TABLE_PREFIX } from '@scorecard/data-contracts';
import { REFERENCE_TABLE_NAMES } from './reference-tables.ts';

/** The views analysts may query (SQL guard allow-list; the analysts' database holds nothing else of note). */
export const ANALYST_VIEWS = [
  'submissions',
  'communes',
  'cadres',
  'commune_reports',
  'commune_staffing',
  'commune_initiatives',
  'kpi_commune_year',
  'kpi_province_year',
  'gap_warnings',
  'commune_ranking',
  'data_quality',
  'data_quality_findings',
] as const;

/** Views that identify people: built only in the full (API/admin) database, never for analysts. */
export const RESTRICTED_VIEWS = ['cadre_gaps'] as const;

/** Every view of sql/views, in order (tests/sql checks this list against the folder). */
export const ALL_VIEWS = [
  'base_submissions',
  'submissions',
  'communes',
  'base_roster',
  'cadres',
  'commune_reports',
  'commune_staffing',
  'commune_initiatives',
  'base_commune_year',
  'base_kpi_counts',
  'kpi_commune_year',
  'kpi_province_year',
  'base_kpi_projection',
  'gap_warnings',
  'cadre_gaps',
  'data_quality_findings',
  'data_quality',
  'commune_ranking',
] as const;

/** The reference and plan tables (reference-tables.ts; tests/sql checks this list against the tables it builds). */
export const REFERENCE_TABLES = REFERENCE_TABLE_NAMES;

/**
 * Every relation name our catalogues hold, DuckDB's and Athena's (views, reference tables, base relations and
 * their `<relation>_files` Glue tables): the analysts' SQL guard refuses a CTE named like any of them, so that
 * no CTE can stand in for a catalogue object anywhere in a statement.
 */
export const CATALOGUE_NAMES: readonly string[] = [
  ...ALL_VIEWS,
  ...REFERENCE_TABLES,
  ...Object.values(TABLE_PREFIX).flatMap((prefix) => {
    const relation = prefix.replace(/\//g, '_');
    return [relation, `${relation}_files`];
  }),
];
