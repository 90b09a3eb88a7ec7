// The reference and plan relations on Athena are views over VALUES built from the same rows the DuckDB
// warehouse loads (warehouse/reference-tables.ts). Here DuckDB runs those VALUES queries and must return
// exactly the rows of its own reference tables.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMUNES, PLAN } from '@scorecard/data-contracts';
import {
  referenceViewStatements,
  valuesQuery,
} from '@scorecard/functions/warehouse/athena-reference-views.ts';
import { openWarehouse, type Warehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { REFERENCE_TABLE_NAMES, referenceTables } from '@scorecard/functions/warehouse/reference-tables.ts';
import { REFERENCE_VIEWS } from '@scorecard/infra/lib/store-layout.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AS_OF = new Date('2028-11-06T02:00:00Z');
let wh: Warehouse;

beforeAll(async () => {
  wh = await openWarehouse({ dataDir: mkdtempSync(join(tmpdir(), 'ref-views-')), asOf: AS_OF });
});
afterAll(async () => {
  await wh.close();
});

const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
// Trino's timestamp(3) is DuckDB's TIMESTAMP (milliseconds fit): the only spelling that differs here.
const onDuckDb = (sql: string) => sql.replace(/timestamp\(3\)/g, 'TIMESTAMP');

describe('reference views on Athena', () => {
  const statements = referenceViewStatements(PLAN, COMMUNES);

  it('cover every reference table of the warehouse, params first, and the list the stack grants', () => {
    expect(statements.map((s) => s.name).sort()).toEqual([...REFERENCE_TABLE_NAMES].sort());
    expect([...REFERENCE_VIEWS].sort()).toEqual([...REFERENCE_TABLE_NAMES].sort());
    expect(statements[0]?.name).toBe('params');
  });

  for (const table of referenceTables({ plan: PLAN, communes: COMMUNES, asOf: AS_OF })) {
    if (table.name === 'params' || table.name === 'plan_years') continue;
    it(`${table.name}: the VALUES view returns the warehouse's rows and column types`, async () => {
      const mine = await wh.query(onDuckDb(valuesQuery(table)));
      const theirs = await wh.query(`SELECT * FROM ${table.name}`);
      expect(mine.columns).toEqual(theirs.columns);
      expect(sorted(mine.rows)).toEqual(sorted(theirs.rows));
    });
  }

  it("params and plan_years follow the clock on Athena: as_of from current_timestamp, the year in the plan's zone", () => {
    const params = statements.find((s) => s.name === 'params')?.ddl ?? '';
    expect(params).toContain("current_timestamp AT TIME ZONE 'UTC'");
    expect(params).toContain(`year(current_timestamp AT TIME ZONE '${PLAN.timezone}')`);
    const years = statements.find((s) => s.name === 'plan_years')?.ddl ?? '';
    expect(years).toMatch(/CROSS JOIN params AS p WHERE y\."year" <= p\.as_of_year$/);
    for (const y of PLAN.years) expect(years).toContain(`CAST(${y} AS integer)`);
  });

  it('an empty table keeps typed columns', async () => {
    const empty = await wh.query(
      onDuckDb(
        valuesQuery({
          name: 'x',
          columns: [
            { name: 'rule', type: 'VARCHAR' },
            { name: 'n', type: 'INTEGER' },
          ],
          rows: [],
        }),
      ),
    );
    expect(empty).toMatchObject({
      rows: [],
      columns: [
        { name: 'rule', type: 'VARCHAR' },
        { name: 'n', type: 'INTEGER' },
      ],
    });
  });
});
