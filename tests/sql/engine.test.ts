// The DuckDB adapter behind the SqlEngine port: row shape (BIGINT/HUGEINT, TIMESTAMP, DATE), limits (rows,
// time), read-only SQL, the empty data folder, reload, and the analysts' guarded and hardened engine.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import {
  ANALYST_VIEWS,
  openWarehouse,
  SQL_DIR,
  SqlError,
  type Warehouse,
} from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { guardAnalystSql } from '@scorecard/functions/warehouse/sql-guard.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';

const admin = { sub: 'test-admin', role: 'admin' as const };

let dir: string;
let clock: ManualClock;
let svc: IngestService;
let wh: Warehouse;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scorecard-engine-'));
  clock = new ManualClock('2026-10-01T00:00:00Z');
  svc = new IngestService({
    store: new FsObjectStore(dir),
    clock,
    personKey: personKeyFromSecret('engine-test'),
  });
  // Opened on an empty folder: no Parquet file exists yet.
  wh = await openWarehouse({ dataDir: dir, clock });
});

afterAll(async () => {
  await wh?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejected(p: Promise<unknown>, code: SqlError['code']): Promise<SqlError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SqlError);
  expect((e as SqlError).code).toBe(code);
  return e as SqlError;
}

describe('an empty data folder', () => {
  it('gives typed empty relations and every reference commune with NULL (missing) values', async () => {
    expect((await wh.query('select count(*) as n from submissions')).rows).toEqual([{ n: 0 }]);
    const k = await wh.query(
      "select numerator, denominator, value_pct, met from kpi_province_year where kpi = 'leader_standard'",
    );
    expect(k.rows).toEqual([{ numerator: null, denominator: null, value_pct: null, met: null }]);
    // As of October 2026 the year is still open (due 5 November): nobody is late yet, so the province's
    // on-time KPI pools over the communes that have reported — none — and has no value (docs/kpis.md "The year in
    // progress"), and 0 of 102 communes cover it.
    const c = await wh.query(
      "select numerator, denominator, year_closed, communes_reporting, communes_expected, coverage_pct from kpi_province_year where kpi = 'report_on_time'",
    );
    expect(c.rows).toEqual([
      {
        numerator: 0,
        denominator: 0,
        year_closed: false,
        communes_reporting: 0,
        communes_expected: 102,
        coverage_pct: 0,
      },
    ]);
    expect((await wh.analyst.query('select count(*) as n from cadres')).rows).toEqual([{ n: 0 }]);
  });

  it('reload() picks up new files and moves as_of to now', async () => {
    const out = await svc.ingest(validSubmission(), { actor: admin });
    expect(out.status).toBe('accepted');
    expect((await wh.query('select count(*) as n from submissions')).rows).toEqual([{ n: 0 }]);
    clock.set('2026-10-02T00:00:00Z');
    await wh.reload();
    expect(wh.asOf.toISOString()).toBe('2026-10-02T00:00:00.000Z');
    const s = await wh.query('select submission_id, received_at, version from submissions');
    expect(s.rows).toEqual([
      { submission_id: out.submission_id, received_at: '2026-10-01T00:00:00.000Z', version: 1 },
    ]);
    // analysts see the reload too
    expect((await wh.analyst.query('select count(*) as n from submissions')).rows).toEqual([{ n: 1 }]);
  });

  it('a query in flight finishes on the snapshot it started on', async () => {
    const slow = wh.query('select count(*) as n from submissions, range(3000000) as r');
    await wh.reload();
    expect((await slow).rows).toEqual([{ n: 3000000 }]);
  });
});

describe('the views’ columns are exactly those of docs/interfaces.md', () => {
  const CONTRACT: Record<string, string> = {
    submissions:
      'submission_id, commune_code, year, version, received_at, content_sha256, is_latest, on_time, received_date_vn',
    communes: 'commune_code, name, type, former_province, former_district',
    cadres:
      'year, commune_code, person_key, category, is_leader, org_unit, education, age_band, gender, meets_competency_standard, edoc_proficient, online_service_proficient, record_digitized, trainings, on_probation, rotated_in, rating',
    // New columns at the end (docs/interfaces.md): year_closed everywhere, coverage on the province, gap_units and
    // plan_version on the KPI views.
    kpi_commune_year:
      'year, phase, commune_code, kpi, numerator, denominator, value_pct, target_pct, comparator, met, year_closed, gap_units, plan_version',
    kpi_province_year:
      'year, phase, kpi, numerator, denominator, value_pct, target_pct, comparator, met, communes_reporting, communes_expected, coverage_pct, year_closed, gap_units, plan_version',
    gap_warnings:
      'year, phase, scope, commune_code, kpi, value_pct, target_pct, projected_pct, severity, year_closed, gap_units',
    commune_ranking:
      'year, commune_code, type, score, rank, rank_in_type, kpi_score, evaluation_score, data_quality_score, year_closed',
    data_quality: 'year, commune_code, dung, du, sach, song, score, year_closed',
    cadre_gaps: 'year, commune_code, cadre_code, position, is_leader, reason, detail',
    data_quality_findings: 'year, commune_code, rule, passed, detail',
    commune_staffing: 'year, commune_code, field, required, actual',
    commune_initiatives: 'year, commune_code, item_no, title, replicated',
  };
  it.each(Object.entries(CONTRACT))('%s', async (view, columns) => {
    const r = await wh.query(`select * from ${view}`, { maxRows: 1 });
    expect(r.columns.map((c) => c.name).join(', ')).toBe(columns);
  });

  it('value_pct, target_pct, projected_pct are DOUBLE; met is BOOLEAN; counts are BIGINT', async () => {
    const k = await wh.query('select * from kpi_commune_year', { maxRows: 1 });
    const g = await wh.query('select * from gap_warnings', { maxRows: 1 });
    const types = Object.fromEntries([...k.columns, ...g.columns].map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      value_pct: 'DOUBLE',
      target_pct: 'DOUBLE',
      projected_pct: 'DOUBLE',
      met: 'BOOLEAN',
      numerator: 'BIGINT',
      denominator: 'BIGINT',
      year: 'INTEGER',
    });
  });

  it('the analysts’ views hold no staff code, position or national ID', async () => {
    for (const v of ANALYST_VIEWS) {
      const r = await wh.analyst.query(`select * from ${v}`, { maxRows: 1 });
      const names = r.columns.map((c) => c.name);
      for (const banned of ['cadre_code', 'position', 'national_id', 'birth_year', 'submitted_by'])
        expect(names, v).not.toContain(banned);
    }
  });
});

describe('row shape (ports/sql-engine.ts)', () => {
  it('converts BIGINT/HUGEINT deliberately, TIMESTAMP to ISO UTC, DATE to YYYY-MM-DD', async () => {
    const r = await wh.query(
      `select CAST(42 AS BIGINT) as small, CAST(9007199254740993 AS BIGINT) as big,
              CAST(sum(x) AS HUGEINT) as huge_sum, CAST(170141183460469231731687303715884105727 AS HUGEINT) as huge,
              TIMESTAMP '2026-11-05 16:59:59' as ts, DATE '2026-11-05' as d, CAST(0.5 AS DOUBLE) as dbl, 1.25 as dec,
              CAST(null AS VARCHAR) as nothing, true as yes, 'Xã Tân Hòa' as name, CAST(7 AS INTEGER) as i
       from (select 1 as x union all select 2 as x) as t`,
    );
    expect(r.rows).toEqual([
      {
        small: 42,
        big: '9007199254740993',
        huge_sum: 3,
        huge: '170141183460469231731687303715884105727',
        ts: '2026-11-05T16:59:59.000Z',
        d: '2026-11-05',
        dbl: 0.5,
        dec: 1.25,
        nothing: null,
        yes: true,
        name: 'Xã Tân Hòa',
        i: 7,
      },
    ]);
    expect(Object.fromEntries(r.columns.map((c) => [c.name, c.type]))).toMatchObject({
      small: 'BIGINT',
      huge: 'HUGEINT',
      ts: 'TIMESTAMP',
      d: 'DATE',
      dbl: 'DOUBLE',
      nothing: 'VARCHAR',
      yes: 'BOOLEAN',
      i: 'INTEGER',
    });
    expect(r.truncated).toBe(false);
  });

  it('binds positional parameters', async () => {
    const r = await wh.query('select name from communes where commune_code = $1', { params: ['28249'] });
    expect(r.rows).toEqual([{ name: 'Phường Đạo Thạnh' }]);
  });
});

describe('limits', () => {
  it('maxRows truncates and says so', async () => {
    const r = await wh.query('select range as n from range(100)', { maxRows: 10 });
    expect(r.rows).toHaveLength(10);
    expect(r.truncated).toBe(true);
    const all = await wh.query('select range as n from range(100)', { maxRows: 100 });
    expect([all.rows.length, all.truncated]).toEqual([100, false]);
  });

  it('a query over its time limit is interrupted', async () => {
    const e = await rejected(
      wh.query('select count(*) from range(100000000) as a, range(100000) as b', { timeoutMs: 200 }),
      'sql_timeout',
    );
    expect(e.message_en).toContain('SQL ran longer than');
  });
});

describe('read-only, hardened', () => {
  it('accepts one SELECT only, even for admins', async () => {
    await rejected(wh.query('create table t (a integer)'), 'sql_rejected');
    await rejected(wh.query('drop view kpi_commune_year'), 'sql_rejected');
    await rejected(wh.query('select 1; select 2'), 'sql_rejected');
    await rejected(wh.query("copy (select 1) to '/tmp/scorecard-copy.csv'"), 'sql_rejected');
    await rejected(wh.query('set enable_external_access = true'), 'sql_rejected');
    await rejected(wh.query('selec 1'), 'sql_rejected');
    await rejected(wh.query('select from where'), 'sql_failed');
    // the views are still there
    expect((await wh.query('select count(*) as n from kpi_commune_year')).rows[0]?.n).toBe(1020);
  });

  it('no file access from queries (external access disabled after loading)', async () => {
    await rejected(wh.query("select * from read_csv('/etc/passwd')"), 'sql_failed');
    await rejected(
      wh.query(`select * from read_parquet('${dir}/curated/cadres/**/*.parquet')`),
      'sql_failed',
    );
  });

  it('the admin engine reaches cadre_gaps; the analysts’ engine does not', async () => {
    expect((await wh.query('select count(*) as n from cadre_gaps')).rows).toHaveLength(1);
    await rejected(wh.analyst.query('select * from cadre_gaps'), 'sql_rejected');
    await rejected(wh.analyst.query('select * from restricted_cadre_identity'), 'sql_rejected');
    await rejected(wh.analyst.query("select * from read_parquet('x.parquet')"), 'sql_rejected');
  });

  it('every example query of sql/README.md passes the guard and runs', async () => {
    const readme = readFileSync(join(SQL_DIR, 'README.md'), 'utf8');
    const block = /```sql\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const queries = block
      .split(';')
      .map((q) => q.replace(/--[^\n]*/g, '').trim())
      .filter((q) => q !== '');
    expect(queries.length).toBeGreaterThanOrEqual(7);
    for (const q of queries) {
      expect(guardAnalystSql(q, ANALYST_VIEWS), q).toEqual({ ok: true });
      await expect(wh.analyst.query(q)).resolves.toMatchObject({ truncated: false });
    }
  });

  it('analysts can query every analyst view', async () => {
    for (const v of ANALYST_VIEWS) {
      const r = await wh.analyst.query(`select * from ${v}`, { maxRows: 5 });
      expect(r.columns.length, v).toBeGreaterThan(0);
    }
  });
});

describe('sql guard (analysts)', () => {
  const allowed = [
    'select * from kpi_province_year where year = 2026',
    "SELECT kpi, value_pct FROM kpi_commune_year WHERE commune_code = '28249' ORDER BY kpi",
    'with w as (select commune_code, score from commune_ranking where year = 2026) select c.name, w.score from w join communes as c on c.commune_code = w.commune_code',
    'select year, count(*) as n from gap_warnings group by year',
    'select * from (select commune_code from data_quality where score < 50) as low',
    'select rank() over (partition by year order by score desc nulls last) as r from commune_ranking',
    'select * from submissions;',
    "select 'drop table x; select 1' as text_with_keywords from communes",
    'select * from data_quality_findings where passed = false',
  ];
  const refused: [string, string][] = [
    ['select * from cadre_gaps', 'restricted'],
    ['select * from restricted_cadre_identity', 'restricted'],
    ['select * from curated_cadres', 'restricted'],
    ['select * from base_roster', 'restricted'],
    ['select * from plan_kpi_targets', 'restricted'],
    ['select * from main.cadres', 'qualified'],
    ["select * from read_csv('/etc/passwd')", 'not allowed'],
    ["select * from read_parquet('/data/**/*.parquet')", 'not allowed'],
    ["select * from glob('/*')", 'not allowed'],
    ["select * from 'secret.parquet'", 'restricted'],
    ["select getenv('HOME')", 'not allowed'],
    ['select 1; select 2', 'one statement'],
    ['select * from communes; drop view communes', 'one statement'],
    ["copy communes to '/tmp/x.csv'", 'SELECT'],
    ["attach '/tmp/x.db'", 'SELECT'],
    ['install httpfs', 'SELECT'],
    ['load httpfs', 'SELECT'],
    ['pragma database_list', 'SELECT'],
    ['set enable_external_access = true', 'SELECT'],
    ['call duckdb_tables()', 'SELECT'],
    ["export database '/tmp/x'", 'SELECT'],
    ['select * from communes where name = $$x$$ or 1=1 )', 'parsed'],
    ['select x::int from communes', '::'],
    ['', 'empty'],
    ['select * from duckdb_settings()', 'not allowed'],
    ['with x as (select * from cadre_gaps) select * from x', 'restricted'],
    ['select (select count(*) from cadre_gaps) as n from communes', 'restricted'],
  ];

  it.each(allowed)('allows: %s', (sql) => {
    expect(guardAnalystSql(sql, ANALYST_VIEWS)).toEqual({ ok: true });
  });

  it.each(refused)('refuses: %s', (sql, why) => {
    const r = guardAnalystSql(sql, ANALYST_VIEWS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('sql_rejected');
      expect(r.detail).toContain(why);
    }
  });
});
