// The Athena view DDL is generated from the same sql/views files DuckDB runs: one CREATE OR REPLACE VIEW per
// file, in file order, whose query is the file's own text. Nothing about a view is restated for Athena.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES, type TableName } from '@scorecard/data-contracts';
import { ANALYST_VIEWS, relationName, viewFiles } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import {
  athenaBaseViewSql,
  athenaViewDdl,
  athenaViewStatements,
  loadViewFiles,
  SqlCatalogue,
  viewQuery,
} from '@scorecard/functions/warehouse/sql-catalogue.ts';
import { REPO_ROOT } from '@scorecard/infra/constructs/scorecard-function.ts';
import { baseViewStatements } from '@scorecard/infra/lib/athena-views.ts';
import { glueFilesTableName, glueTableName, RESTRICTED_TABLES } from '@scorecard/infra/lib/store-layout.ts';
import { analystViews, restrictedViews } from '@scorecard/infra/lib/view-access.ts';
import pkg from 'node-sql-parser';
import { describe, expect, it } from 'vitest';

const SQL_VIEWS = join(REPO_ROOT, 'sql', 'views');
const { Parser } = pkg as unknown as {
  Parser: new () => { astify(sql: string, opt: { database: string }): unknown };
};

describe('Athena view DDL from sql/views', () => {
  const files = readdirSync(SQL_VIEWS)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const statements = athenaViewStatements(SQL_VIEWS);

  it('covers every view file, in numbered order', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(statements.map((s) => s.file)).toEqual(files);
  });

  it('names each view as DuckDB does, in the same order', () => {
    expect(statements.map((s) => s.name)).toEqual(viewFiles().map((v) => v.name));
  });

  it("each statement is CREATE OR REPLACE VIEW <name> AS <the file's query, verbatim>", () => {
    for (const view of loadViewFiles(SQL_VIEWS)) {
      const ddl = athenaViewDdl(view);
      const query = viewQuery(view);
      expect(ddl).toBe(`CREATE OR REPLACE VIEW ${view.name} AS\n${query}`);
      expect(view.sql.includes(query), view.file).toBe(true);
      expect(query.trimEnd().endsWith(';'), view.file).toBe(false);
      expect(/^\s*(create|--|\/\*)/i.test(query), view.file).toBe(false);
    }
  });

  it('only cadre_gaps (and views built on it) read the staff-code table', () => {
    // As deployed: the base view over the restricted Glue table, then every view reading it.
    expect(restrictedViews(SqlCatalogue.load(SQL_VIEWS), RESTRICTED_TABLES.map(glueTableName))).toEqual([
      'restricted_cadre_identity',
      'cadre_gaps',
    ]);
    // The base view reads the restricted Glue table itself.
    const base = baseViewStatements().find((b) => b.name === 'restricted_cadre_identity');
    expect(base?.ddl).toContain(`FROM ${glueFilesTableName(RESTRICTED_TABLES[0] as TableName)} AS f`);
  });

  it("the analysts' views the stack grants (and the cloud SQL guard allows) are the warehouse's allow-list", () => {
    const restricted = restrictedViews(SqlCatalogue.load(SQL_VIEWS), ['restricted_cadre_identity']);
    expect([...analystViews(statements, restricted)].sort()).toEqual([...ANALYST_VIEWS].sort());
  });
});

describe('Athena base views: the compaction read rule over <relation>_files', () => {
  const base = baseViewStatements();

  it('one per stored table, named as DuckDB names the relation, over the Glue table `<relation>_files`', () => {
    const tables = Object.keys(TABLES) as TableName[];
    expect(base.map((b) => b.name)).toEqual(tables.map(relationName));
    for (const [i, t] of tables.entries()) {
      const b = base[i] as { name: string; ddl: string };
      expect(b.ddl).toBe(
        athenaBaseViewSql(
          t,
          TABLES[t].map((c) => c.name),
        ),
      );
      expect(b.ddl.startsWith(`CREATE OR REPLACE VIEW ${b.name} AS\n`)).toBe(true);
      expect(b.ddl).toContain(`FROM ${glueFilesTableName(t)} AS f`);
      // Every column of the contract and the partition, under its own name (the views read them so).
      for (const c of [...TABLES[t].map((x) => x.name), 'year']) expect(b.ddl).toContain(`t.${c} AS ${c}`);
      // Per submission, the file whose path sorts first ("$path" is the object's S3 path on Athena).
      expect(b.ddl).toMatch(/min\(f\."\$path"\) OVER \(PARTITION BY f\.submission_id, f\.year\)/);
      // One scan of the files (a window, not a self-join): every plan expands these views.
      expect(b.ddl.match(/_files\b/g), b.name).toHaveLength(1);
    }
  });

  it('parses as Trino (node-sql-parser), like the view files', () => {
    for (const b of base) {
      const query = b.ddl.slice(b.ddl.indexOf(' AS\n') + 4);
      expect(() => new Parser().astify(query, { database: 'trino' }), b.name).not.toThrow();
    }
  });

  it("the views' own relations are exactly the base views (no view reads a `_files` table directly)", () => {
    for (const s of athenaViewStatements(SQL_VIEWS)) expect(s.ddl, s.name).not.toMatch(/_files\b/);
  });
});

describe('Athena view DDL: the file forms it accepts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'views-'));
  const write = (name: string, sql: string) => writeFileSync(join(dir, name), sql);
  write(
    '010_a.sql',
    '-- leading comment; with a semicolon\n/* block */\ncreate view a as\nselect 1 as x; -- trailing\n',
  );
  write('020_b.sql', "select x, ';' as semi -- a ; in a comment\nfrom a\n");
  write('030_c.sql', 'CREATE OR REPLACE VIEW "c" AS SELECT x FROM b;\n\n');
  write('README.md', 'not a view');
  write('notes.sql', 'select 1');

  it('reads NNN_name.sql files only, header or bare query, and strips comments before and the terminator after', () => {
    expect(athenaViewStatements(dir)).toEqual([
      { file: '010_a.sql', name: 'a', ddl: 'CREATE OR REPLACE VIEW a AS\nselect 1 as x' },
      {
        file: '020_b.sql',
        name: 'b',
        ddl: "CREATE OR REPLACE VIEW b AS\nselect x, ';' as semi -- a ; in a comment\nfrom a",
      },
      { file: '030_c.sql', name: 'c', ddl: 'CREATE OR REPLACE VIEW c AS\nSELECT x FROM b' },
    ]);
  });

  it('refuses a file with two statements (Athena runs one per call)', () => {
    expect(() => athenaViewDdl({ file: '040_d.sql', name: 'd', sql: 'select 1; select 2' })).toThrow(
      /more than one statement/,
    );
  });

  it('marks views restricted transitively, by what they read (a name in a string, a comment or an alias is not a read)', () => {
    const catalogue = new SqlCatalogue([
      { file: '010_gaps.sql', name: 'gaps', sql: 'select * from restricted_cadre_identity' },
      { file: '020_gap_counts.sql', name: 'gap_counts', sql: 'select count(*) from "gaps"' },
      { file: '030_gapsx.sql', name: 'gapsx', sql: 'select * from curated_cadres as gaps_like' },
      {
        file: '040_words.sql',
        name: 'words',
        sql: "-- reads gaps? no\nselect 'gaps' as restricted_cadre_identity /* from gaps */ from curated_cadres",
      },
    ]);
    expect(restrictedViews(catalogue, ['restricted_cadre_identity'])).toEqual([
      'restricted_cadre_identity',
      'gaps',
      'gap_counts',
    ]);
  });
});
