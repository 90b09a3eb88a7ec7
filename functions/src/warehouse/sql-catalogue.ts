// The SQL catalogue: the one reader of sql/ (the views, numbered in dependency order, and the read rule of each
// engine under sql/tables/{duckdb,athena}/). Everyone who needs to know something about the views asks it — the
// DuckDB warehouse (which views other views read: those it computes into tables; which base relations no view
// still reads), the export function (the chain of views a pack's query reads, inlined at its as-of:
// as-of-views.ts), infra at synth (the Athena DDL) and the tests. What a view reads comes from parsing it
// (sql-parse.ts, the parser the analysts' guard uses), not from matching words, and the catalogue refuses at load
// a view that reads a view created after it, a CTE named like a catalogue view, or text that does not parse.
//
// Each view file holds one view, either as its bare query or as `CREATE [OR REPLACE] VIEW name AS query`;
// either way Athena receives `CREATE OR REPLACE VIEW name AS query`, so a redeploy replaces a changed view
// instead of failing on an existing one. The parser lives in this module only, so that the Lambdas that never
// read the views (the API's query and ingest functions) do not carry it: views.ts holds the lists they need.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TABLE_PREFIX, type TableName } from '@scorecard/data-contracts';
import { cteName, parseSql, relationsRead, walkAst } from './sql-parse.ts';

/** The repository's sql/ folder (views and tables), beside the functions' sources. */
export const SQL_DIR = fileURLToPath(new URL('../../../sql/', import.meta.url));

export interface ViewFile {
  /** File name, e.g. `030_kpi_commune_year.sql`. */
  file: string;
  /** View name: from the CREATE header, else from the file name without its number. */
  name: string;
  /** The file's text as written. */
  sql: string;
}

const FILE_NAME = /^(\d+)_([a-z][a-z0-9_]*)\.sql$/;
const CREATE_HEADER = /^CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+("?)([A-Za-z_][A-Za-z0-9_]*)\1\s+AS\s+/i;

/** Every view file of a folder, in the numbered order in which they must be created. */
export function loadViewFiles(dir: string): ViewFile[] {
  return readdirSync(dir)
    .filter((f) => FILE_NAME.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { file, name: viewName(file, sql), sql };
    });
}

/** Removes leading blank lines and `--` / block comments: Athena decides a statement's type from its first token. */
export function stripLeadingComments(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      s = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/');
      if (end < 0) throw new Error('athena views: unterminated block comment');
      s = t.slice(end + 2);
    } else {
      return t;
    }
  }
}

/** Drops the final `;` and whatever follows the query that is only whitespace or comments: Athena runs one statement. */
function stripTrailingTerminator(sql: string): string {
  const code = codeOnly(sql);
  let end = code.length;
  for (;;) {
    while (end > 0 && /\s/.test(code[end - 1] as string)) end--;
    if (end > 0 && code[end - 1] === ';') {
      end--;
      continue;
    }
    return sql.slice(0, end);
  }
}

/**
 * The SQL with comments blanked and string literals / quoted identifiers masked, character for character (so
 * indices still match the original), for structural checks: a `;` inside a comment or a string is not a
 * statement separator.
 */
function codeOnly(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) =>
    m.startsWith("'") || m.startsWith('"') ? m[0] + 'x'.repeat(m.length - 2) + m[0] : ' '.repeat(m.length),
  );
}

function viewName(file: string, sql: string): string {
  const header = CREATE_HEADER.exec(stripLeadingComments(sql));
  if (header) return (header[2] as string).toLowerCase();
  const m = FILE_NAME.exec(file);
  if (!m) throw new Error(`athena views: ${file} is not named NNN_name.sql`);
  return m[2] as string;
}

/** The query of a view file: the text after `AS` of its CREATE header, or the whole file. */
export function viewQuery(view: ViewFile): string {
  const body = stripTrailingTerminator(stripLeadingComments(view.sql));
  const header = CREATE_HEADER.exec(body);
  return header ? body.slice(header[0].length) : body;
}

/** The DDL Athena runs for one view file. */
export function athenaViewDdl(view: ViewFile): string {
  const query = viewQuery(view);
  if (codeOnly(query).includes(';')) {
    // Athena runs one statement per call: a second one would fail there, so fail here, at synth.
    throw new Error(`athena views: ${view.file} holds more than one statement`);
  }
  return `CREATE OR REPLACE VIEW ${view.name} AS\n${query}`;
}

/** The DDL of every view of a folder, in creation order (checked by the catalogue: parsed, ordered). */
export function athenaViewStatements(dir: string): { name: string; file: string; ddl: string }[] {
  return SqlCatalogue.load(dir).athenaStatements();
}

/** A view of the catalogue: its file, its query, and what it reads. */
export interface CatalogueView extends ViewFile {
  /** The view's query (no CREATE header, no terminator): what Athena and the as-of inlining use. */
  query: string;
  /** Every relation it reads directly (views, reference tables, base relations), as parsed. */
  reads: readonly string[];
  /** The views among them. */
  views: readonly string[];
}

const loaded = new Map<string, SqlCatalogue>();

export class SqlCatalogue {
  readonly views: readonly CatalogueView[];
  private readonly byName: ReadonlyMap<string, CatalogueView>;

  constructor(files: readonly ViewFile[]) {
    const names = files.map((f) => f.name);
    if (new Set(names).size !== names.length)
      throw new Error('sql catalogue: two view files create the same view');
    const views: CatalogueView[] = [];
    for (const [i, f] of files.entries()) {
      const query = viewQuery(f);
      const reads = relationsRead(query);
      if (!reads) throw new Error(`sql catalogue: ${f.file} does not parse`);
      const later = reads.filter((r) => names.indexOf(r) >= i);
      if (later.length > 0) {
        throw new Error(
          `sql catalogue: ${f.file} reads ${later.join(', ')}, created at or after it (number the files in dependency order)`,
        );
      }
      views.push({ ...f, query, reads, views: reads.filter((r) => names.includes(r)) });
    }
    this.views = views;
    this.byName = new Map(views.map((v) => [v.name, v]));
  }

  /** The catalogue of a views folder, read and parsed once per process. */
  static load(viewsDir: string): SqlCatalogue {
    let c = loaded.get(viewsDir);
    if (!c) {
      c = new SqlCatalogue(loadViewFiles(viewsDir));
      loaded.set(viewsDir, c);
    }
    return c;
  }

  get names(): string[] {
    return this.views.map((v) => v.name);
  }

  get(name: string): CatalogueView | undefined {
    return this.byName.get(name);
  }

  /** Views that a later view reads: computed into tables by the DuckDB warehouse (`shared`). */
  shared(): Set<string> {
    return new Set(this.views.flatMap((v) => v.views));
  }

  /** Views no other view reads: what the marts and the API read. */
  leaves(): string[] {
    const shared = this.shared();
    return this.names.filter((n) => !shared.has(n));
  }

  /** The given views with every view they read, directly or through others, in creation order. */
  closure(names: Iterable<string>): string[] {
    const needed = new Set<string>();
    const visit = (n: string) => {
      const v = this.byName.get(n);
      if (!v || needed.has(n)) return;
      needed.add(n);
      for (const d of v.views) visit(d);
    };
    for (const n of names) visit(n);
    return this.names.filter((n) => needed.has(n));
  }

  /** Views that read `relation`, directly or through other views. */
  readersOf(relation: string): string[] {
    const readers = new Set<string>();
    for (const v of this.views) {
      if (v.reads.includes(relation) || v.views.some((d) => readers.has(d))) readers.add(v.name);
    }
    return this.names.filter((n) => readers.has(n));
  }

  /**
   * How many times a view's plan scans stored data once every view and CTE it reads is expanded in place, as
   * Trino expands them (a relation read twice is scanned twice): `baseScans(relation)` says what one reference
   * to a relation that is not a view costs (Athena's base views: 1 each; reference tables: 0).
   */
  expandedScans(name: string, baseScans: (relation: string) => number): number {
    const memo = new Map<string, number>();
    const scans = (view: string): number => {
      const known = memo.get(view);
      if (known !== undefined) return known;
      const v = this.byName.get(view);
      let n = 0;
      for (const r of v ? tableReferences(v.query) : []) n += this.byName.has(r) ? scans(r) : baseScans(r);
      memo.set(view, n);
      return n;
    };
    return scans(name);
  }

  /** The DDL Athena runs for each view, in creation order. */
  athenaStatements(): { name: string; file: string; ddl: string }[] {
    return this.views.map((v) => ({ name: v.name, file: v.file, ddl: athenaViewDdl(v) }));
  }
}

/** Every table reference of a query, with repeats, its own CTEs expanded where they are referenced. */
function tableReferences(query: string): string[] {
  const parsed = parseSql(query);
  if (!parsed) return [];
  const ctes = new Map<string, unknown>();
  walkAst(parsed.ast, (n) => {
    if (Array.isArray(n.with))
      for (const w of n.with as { name?: { value?: unknown } | string; stmt?: unknown }[]) {
        const name = cteName(w);
        if (name) ctes.set(name, w.stmt);
      }
    return undefined;
  });
  const refs = (ast: unknown, depth: number): string[] => {
    const out: string[] = [];
    walkAst(ast, (n) => {
      if (!Array.isArray(n.from)) return undefined;
      for (const item of n.from as { table?: unknown; expr?: unknown }[]) {
        if (typeof item?.table !== 'string' || item.expr !== undefined) continue;
        const t = item.table.toLowerCase();
        if (ctes.has(t) && depth < 32) out.push(...refs(ctes.get(t), depth + 1));
        else out.push(t);
      }
      return undefined;
    });
    return out;
  };
  const root = (Array.isArray(parsed.ast) ? parsed.ast[0] : parsed.ast) as Record<string, unknown>;
  return refs({ ...root, with: null }, 0);
}

/** The read rule of one engine (sql/tables/<engine>/base_relation.sql), a template with `{{…}}` slots. */
export function baseRelationTemplate(sqlDir: string, engine: 'duckdb' | 'athena'): string {
  return readFileSync(join(sqlDir, 'tables', engine, 'base_relation.sql'), 'utf8');
}

/** A template with its `{{name}}` slots filled; a slot left unfilled is an error, not silent SQL. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`sql template: no value for {{${name}}}`);
    return v;
  });
}

/**
 * Athena's base relation for a stored table (sql/tables/athena/base_relation.sql): the read rule as a view over
 * the Glue table `<relation>_files`, every column under its own name, leading comments dropped (Athena decides a
 * statement's type from its first token).
 */
export function athenaBaseViewSql(table: TableName, columns: readonly string[], sqlDir = SQL_DIR): string {
  const relation = TABLE_PREFIX[table].replace(/\//g, '_');
  const cols = [...columns, 'year'].map((c) => `t.${c} AS ${c}`).join(',\n  ');
  const template = stripLeadingComments(baseRelationTemplate(sqlDir, 'athena'));
  return fillTemplate(template, { relation, columns: cols }).trimEnd();
}
