// The Athena view DDL is generated from the same sql/views files DuckDB runs: one CREATE OR REPLACE VIEW per
// file, in file order, whose query is the file's own text. Nothing about a view is restated for Athena.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYST_VIEWS, viewFiles } from '../../functions/src/warehouse/duckdb-warehouse.ts';
import { REPO_ROOT } from '../../infra/constructs/scorecard-function.ts';
import {
  athenaViewDdl,
  athenaViewStatements,
  loadViewFiles,
  viewQuery,
} from '../../infra/lib/athena-views.ts';
import { analystViews, restrictedViews } from '../../infra/lib/view-access.ts';

const SQL_VIEWS = join(REPO_ROOT, 'sql', 'views');

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
    expect(restrictedViews(statements, ['restricted_cadre_identity'])).toEqual(['cadre_gaps']);
  });

  it("the analysts' views the stack grants (and the cloud SQL guard allows) are the warehouse's allow-list", () => {
    const restricted = restrictedViews(statements, ['restricted_cadre_identity']);
    expect([...analystViews(statements, restricted)].sort()).toEqual([...ANALYST_VIEWS].sort());
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

  it('marks views restricted transitively', () => {
    const views = [
      { name: 'gaps', ddl: 'CREATE OR REPLACE VIEW gaps AS\nselect * from restricted_cadre_identity' },
      { name: 'gap_counts', ddl: 'CREATE OR REPLACE VIEW gap_counts AS\nselect count(*) from "gaps"' },
      { name: 'gapsx', ddl: 'CREATE OR REPLACE VIEW gapsx AS\nselect * from curated_cadres as gaps_like' },
    ];
    expect(restrictedViews(views, ['restricted_cadre_identity'])).toEqual(['gaps', 'gap_counts']);
  });
});
