// A pack "as of" a past instant on Athena (functions/src/warehouse/as-of-views.ts): each query is rewritten into
// one query that carries params at the pack's as-of and the view chain it reads, from the same sql/views
// bodies the deploy-time DDL is made of. Checked here three ways:
//   - the text is what Athena receives (aws-sdk-client-mock): the as-of literal, the view bodies verbatim, in
//     creation order, ExecutionParameters untouched, nothing per pack created (no DDL);
//   - it parses as Trino (node-sql-parser, the guard tests/sql/portability.test.ts uses for the views);
//   - DuckDB runs the very same text over a warehouse loaded at a LATER instant and returns exactly the rows
//     of a warehouse loaded at the pack's as-of — for every view (the golden fixture: corrections, a void,
//     late reports).
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { PLAN } from '@scorecard/data-contracts';
import { AthenaEngine } from '@scorecard/functions/adapters/athena-engine.ts';
import { AsOfEngine, AsOfViews, sqlViewsDir } from '@scorecard/functions/warehouse/as-of-views.ts';
import { openWarehouse, SQL_DIR, type Warehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { loadViewFiles, SqlCatalogue, viewQuery } from '@scorecard/functions/warehouse/sql-catalogue.ts';
import { REPO_ROOT } from '@scorecard/infra/constructs/scorecard-function.ts';
import { mockClient } from 'aws-sdk-client-mock';
import pkg from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, FIXTURE_COMMUNES, type Fixture, NOW } from '../sql/fixture.ts';

const { Parser } = pkg as unknown as {
  Parser: new () => { astify(sql: string, opt: { database: string }): unknown };
};

const VIEWS_DIR = `${SQL_DIR}views`;
const views = AsOfViews.fromDir(VIEWS_DIR, PLAN);
const files = loadViewFiles(VIEWS_DIR);

/** The queries a meeting pack sends (functions/src/packs/pack-data.ts), in their shapes. */
const PACK_QUERIES = [
  'select * from kpi_province_year where year in (2026, 2027)',
  `select v.*, c.name as commune_name, c.type as commune_type
     from commune_ranking as v left join communes as c on c.commune_code = v.commune_code
    where v.year in (2027)`,
  'select year, kpi, value_pct from kpi_province_year where year in (2026, 2027, 2028)',
];

describe('as-of inlining: the text', () => {
  const toy = new AsOfViews(
    new SqlCatalogue([
      {
        file: '010_base_a.sql',
        name: 'base_a',
        sql: 'select x from curated_a as a cross join params as p where a.t <= p.as_of',
      },
      { file: '020_a.sql', name: 'a', sql: 'select x from base_a' },
      { file: '030_b.sql', name: 'b', sql: "select y from curated_b -- not a: 'a'\nwhere y <> 'a'" },
      { file: '040_ab.sql', name: 'ab', sql: 'select * from a join b on true join plan_years as py on true' },
    ]),
    PLAN,
  );

  it('carries only the chain a query reads, in creation order, params first', () => {
    expect(toy.chain('select * from a')).toEqual(['params', 'base_a', 'a']);
    // A name in a comment or a string literal is not a read.
    expect(toy.chain("select 'a' as label -- from a\nfrom b")).toEqual(['b']);
    expect(toy.chain('select * from ab')).toEqual(['params', 'plan_years', 'base_a', 'a', 'b', 'ab']);
    expect(toy.chain('select 1 as one')).toEqual([]);
  });

  it("evaluates params at the as-of and plan_years up to the as-of year (in the plan's zone)", () => {
    // 2027-12-31T17:00Z is already 1 January 2028 in Asia/Ho_Chi_Minh.
    const text = toy.inline('select * from ab', new Date('2027-12-31T17:00:00Z'));
    expect(text).toMatch(
      /^WITH\nparams AS \(\nSELECT \* FROM \(VALUES\n {2}\(TIMESTAMP '2027-12-31 17:00:00\.000', CAST\(2028 AS integer\)/,
    );
    expect(text).toContain("(CAST(2028 AS integer), CAST('P1' AS varchar)");
    expect(text).not.toContain('CAST(2029 AS integer), CAST(');
    expect(text.endsWith('\nselect * from ab')).toBe(true);
    expect(toy.inline('select 1 as one', new Date())).toBe('select 1 as one');
  });

  it("continues a query's own WITH list, and refuses one that redefines a view it reads", () => {
    const text = toy.inline(
      '-- c\nWITH q AS (select * from a), r (n) AS (select 1) select * from q, r',
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(text).toMatch(/^WITH\nparams AS \(/);
    expect(text).toContain(
      'a AS (\nselect x from base_a\n),\nq AS (select * from a), r (n) AS (select 1) select * from q, r',
    );
    expect((text.match(/\bWITH\b/gi) ?? []).length).toBe(1);
    // A local name that is not a view it reads is fine; one the chain needs is not.
    expect(() => toy.inline('with b as (select 1 as y) select * from b', new Date())).not.toThrow();
    expect(() => toy.inline('with base_a as (select 1 as x) select * from a', new Date())).toThrow(
      /redefines base_a/,
    );
    expect(() => toy.inline('with recursive r as (select 1) select * from a', new Date())).toThrow(
      /RECURSIVE/,
    );
  });

  it('finds the view files beside the code (the repository when run from source)', () => {
    expect(sqlViewsDir({})).toBe(`${REPO_ROOT}/sql/views/`);
    expect(sqlViewsDir({ SQL_VIEWS_DIR: '/x' })).toBe('/x');
    expect(views.viewNames).toEqual(files.map((f) => f.name));
  });

  it.each(
    [...files.map((f) => `select * from ${f.name}`), ...PACK_QUERIES].map(
      (q) => [q.split('\n')[0], q] as const,
    ),
  )('parses as Trino: %s', (_label, q) => {
    const text = views.inline(q, new Date('2027-11-06T00:00:00Z'));
    expect(() => new Parser().astify(text, { database: 'trino' })).not.toThrow();
  });
});

describe('as-of inlining: what Athena receives (aws-sdk-client-mock)', () => {
  it("one query per pack query, with the pack's as-of and the view bodies verbatim; no DDL", async () => {
    const athena = new AthenaClient({ region: 'ap-southeast-1' });
    const mock = mockClient(athena);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    mock
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DML' } });
    mock.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'year', Type: 'integer' }] },
        Rows: [{ Data: [{ VarCharValue: 'year' }] }],
      },
    });
    const asOf = new Date('2027-11-05T16:59:59.999Z');
    const engine = new AsOfEngine(
      new AthenaEngine({
        athena,
        workGroup: 'scorecard-exports',
        database: 'commune_scorecard',
        sleep: async () => {},
      }),
      views,
      asOf,
    );
    await engine.query('select * from kpi_province_year where year = $1 and kpi = $2', {
      params: [2027, "o'k"],
    });
    await engine.close();
    const calls = mock.commandCalls(StartQueryExecutionCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({ WorkGroup: 'scorecard-exports', ExecutionParameters: ['2027', "'o''k'"] });
    const text = input?.QueryString ?? '';
    expect(text).toContain("TIMESTAMP '2027-11-05 16:59:59.999'");
    expect(text).not.toContain('current_timestamp');
    expect(text).not.toMatch(/\bcreate\b/i);
    expect(text.endsWith('select * from kpi_province_year where year = ? and kpi = ?')).toBe(true);
    // Every view of the chain, as the deploy-time DDL has it, in the numbered order.
    const chain = views
      .chain('select * from kpi_province_year')
      .filter((n) => n !== 'params' && n !== 'plan_years');
    expect(chain).toContain('base_submissions');
    let at = 0;
    for (const name of chain) {
      const body = viewQuery(files.find((f) => f.name === name) as (typeof files)[number]);
      const i = text.indexOf(`${name} AS (\n${body}\n)`);
      expect(i, name).toBeGreaterThan(at);
      at = i;
    }
  });
});

describe('as-of inlining on DuckDB: the same rows as the warehouse at that as-of', () => {
  let fx: Fixture;
  let later: Warehouse;
  beforeAll(async () => {
    fx = await buildFixture();
    // Loaded at the fixture's last instant: every submission, the void, the corrections. Nothing materialised:
    // the inlined queries read the base relations, as Athena's do (a materialising load drops what no view reads).
    later = await openWarehouse({
      dataDir: fx.dir,
      asOf: NOW,
      communes: FIXTURE_COMMUNES,
      materialise: 'none',
    });
  }, 300_000);
  afterAll(async () => {
    await later?.close();
  });

  const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

  for (const asOf of [
    '2026-11-10T00:00:00Z', // 2026 only; C's late correction not yet in
    '2027-10-10T00:00:00Z', // E's 2027 v1 present, its void (15 Oct) not yet
    '2028-12-31T16:59:59Z', // the last second of 2028 in the plan's zone
  ]) {
    it(`as of ${asOf}: every view`, async () => {
      const past = await openWarehouse({ dataDir: fx.dir, asOf, communes: FIXTURE_COMMUNES });
      try {
        let nonEmpty = 0;
        for (const f of files) {
          const expected = await past.query(`select * from ${f.name}`, { maxRows: 100_000 });
          const actual = await later.query(views.inline(`select * from ${f.name}`, new Date(asOf)), {
            maxRows: 100_000,
          });
          expect(actual.columns, f.name).toEqual(expected.columns);
          expect(sorted(actual.rows), `${f.name} as of ${asOf}`).toEqual(sorted(expected.rows));
          if (expected.rows.length > 0) nonEmpty++;
        }
        expect(nonEmpty).toBeGreaterThan(files.length / 2);
        // The cut-off matters: without the inlining, the later warehouse answers differently.
        const now = await later.query('select * from submissions', { maxRows: 100_000 });
        const then = await past.query('select * from submissions', { maxRows: 100_000 });
        expect(sorted(now.rows)).not.toEqual(sorted(then.rows));
        for (const q of PACK_QUERIES) {
          const a = await later.query(views.inline(q, new Date(asOf)), { maxRows: 100_000 });
          const e = await past.query(q, { maxRows: 100_000 });
          expect(sorted(a.rows), q).toEqual(sorted(e.rows));
        }
      } finally {
        await past.close();
      }
    });
  }
});
