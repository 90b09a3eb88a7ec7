// The SQL views as files (sql/views/NNN_name.sql, numbered in dependency order): the same files DuckDB runs
// locally. Read at synth by the data stack (the deploy-time `CREATE OR REPLACE VIEW` statements, see
// infra/lib/athena-views.ts) and at run time by the export function, which evaluates the same bodies at a pack's
// as-of (as-of-views.ts). Each file holds one view, either as its bare query or as `CREATE [OR REPLACE] VIEW
// name AS query`; either way Athena receives `CREATE OR REPLACE VIEW name AS query`, so a redeploy replaces a
// changed view instead of failing on an existing one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** The DDL of every view of a folder, in creation order. */
export function athenaViewStatements(dir: string): { name: string; file: string; ddl: string }[] {
  return loadViewFiles(dir).map((v) => ({ name: v.name, file: v.file, ddl: athenaViewDdl(v) }));
}
