// One reader of SQL text for the code that must understand a statement rather than match its words: the analysts'
// guard (sql-guard.ts) and the catalogue of our own views (sql-catalogue.ts). node-sql-parser's Trino grammar
// first (the views run unchanged on Athena), PostgreSQL's when Trino's cannot read a form it lacks (`EXISTS (…)`);
// only those two dialect builds are imported, not the all-dialect bundle (bench/README.md, "Measured once").
import postgresqlBuild from 'node-sql-parser/build/postgresql.js';
import trinoBuild from 'node-sql-parser/build/trino.js';

type ParserClass = new () => SqlParser;
interface SqlParser {
  parse(sql: string, opt: { database: string }): { tableList: string[]; ast: unknown };
}

const DIALECTS: [database: string, Parser: ParserClass][] = [
  ['trino', (trinoBuild as unknown as { Parser: ParserClass }).Parser],
  ['postgresql', (postgresqlBuild as unknown as { Parser: ParserClass }).Parser],
];

export interface ParsedSql {
  /** `kind::db::table` for every relation named (node-sql-parser's form), CTE names included. */
  tableList: string[];
  ast: unknown;
}

/** The statement parsed by the first dialect that reads it, or null when none does. */
export function parseSql(sql: string): ParsedSql | null {
  for (const [database, Parser] of DIALECTS) {
    try {
      return new Parser().parse(sql, { database });
    } catch {
      // try the next dialect; if none reads it, the caller decides (the guard fails closed)
    }
  }
  return null;
}

/** The name of a WITH entry, lower-cased, or null when the parser gave none. */
export function cteName(w: { name?: { value?: unknown } | string }): string | null {
  const name = typeof w.name === 'string' ? w.name : w.name?.value;
  return typeof name === 'string' ? name.toLowerCase() : null;
}

/**
 * Visits every object node of a parsed statement (arrays are walked through), depth first; a visitor that
 * returns a value stops the walk with it.
 */
export function walkAst<T>(
  ast: unknown,
  visit: (node: Record<string, unknown>) => T | undefined,
): T | undefined {
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const n = node as Record<string, unknown>;
    const found = visit(n);
    if (found !== undefined) return found;
    for (const v of Object.values(n)) if (v && typeof v === 'object') stack.push(v);
  }
  return undefined;
}

/** Every CTE name defined anywhere in a parsed statement (any WITH, at any depth), lower-cased. */
export function cteNamesIn(ast: unknown): Set<string> {
  const names = new Set<string>();
  walkAst(ast, (n) => {
    if (!Array.isArray(n.with)) return undefined;
    for (const w of n.with as { name?: { value?: unknown } | string }[]) {
      const name = cteName(w);
      if (name) names.add(name);
    }
    return undefined;
  });
  return names;
}

/**
 * The relations a statement reads that it does not define itself: every table it names, minus its own CTEs,
 * lower-cased, in the order the parser met them. Null when the text does not parse.
 */
export function relationsRead(sql: string): string[] | null {
  const parsed = parseSql(sql);
  if (!parsed) return null;
  const own = cteNamesIn(parsed.ast);
  const out: string[] = [];
  for (const entry of parsed.tableList) {
    const name = (entry.split('::')[2] ?? '').toLowerCase();
    if (name && !own.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}
