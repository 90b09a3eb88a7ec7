// Which views analysts may query, and which identify people. Kept apart from the DuckDB adapter so that the
// cloud (Athena, Lambda) can import it without pulling DuckDB into a bundle.
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
