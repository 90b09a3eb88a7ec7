// npm run sql -- "SELECT ..." [--format table|csv|json] [--as analyst|admin]
// Read-only SQL over the views of the local data folder (DATA_DIR, default ./.data), on the embedded DuckDB.
// Acts as admin unless `--as analyst` (then the analysts' guard and hardened database apply, as for POST /sql).
// `--format json` prints one JSON array of row objects (numbers as JSON numbers, NULL as null). SCORECARD_NOW
// replaces the clock (it decides as_of and so which plan years exist).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LIMITS, message, say } from '@scorecard/data-contracts';
import { FsObjectStore } from '../../adapters/fs-store.ts';
import { AuditLog } from '../../ingest/audit.ts';
import { clockFromEnv } from '../../ports/clock.ts';
import type { SqlResult, SqlValue } from '../../ports/sql-engine.ts';
import { openWarehouse, SqlError } from '../../warehouse/duckdb-warehouse.ts';
import { actorFromAs, commandArgs } from './args.ts';

function csvCell(v: SqlValue): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(r: SqlResult): string {
  const lines = [r.columns.map((c) => csvCell(c.name)).join(',')];
  for (const row of r.rows) lines.push(r.columns.map((c) => csvCell(row[c.name] ?? null)).join(','));
  return `${lines.join('\n')}\n`;
}

export function formatTable(r: SqlResult): string {
  const cells = r.rows.map((row) =>
    r.columns.map((c) => (row[c.name] === null ? 'NULL' : String(row[c.name]))),
  );
  const widths = r.columns.map((c, i) =>
    Math.max(c.name.length, ...cells.map((row) => (row[i] as string).length)),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] as number))
      .join(' | ')
      .trimEnd();
  const out = [line(r.columns.map((c) => c.name)), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (const row of cells) out.push(line(row));
  out.push(`(${r.rows.length} ${r.rows.length === 1 ? 'row' : 'rows'})`);
  return `${out.join('\n')}\n`;
}

async function main(): Promise<number> {
  const args = commandArgs(process.argv.slice(2), { format: 'string', as: 'string' }, true);
  const sql = args.positional.join(' ').trim();
  const format = args.flags.get('format') ?? 'table';
  const as = args.flags.get('as') ?? 'admin';
  if (sql === '' || !['table', 'csv', 'json'].includes(String(format))) {
    console.error(say('sql_usage'));
    return 2;
  }
  // The same roles as POST /sql: admins and analysts only (leaders and communes get 403 there).
  const actor = actorFromAs(as);
  if (actor.role !== 'admin' && actor.role !== 'analyst') {
    const m = message('forbidden');
    console.error(`${m.code}\n  vi: ${m.message_vi}\n  en: ${m.message_en}`);
    return 1;
  }
  const dataDir = resolve(process.env.DATA_DIR || './.data');
  const clock = clockFromEnv();
  const warehouse = await openWarehouse({ dataDir, clock });
  // Queries from the command line are audited like POST /sql: the SQL text, never its results.
  const audit = new AuditLog(new FsObjectStore(dataDir), clock);
  const text = sql.slice(0, LIMITS.sqlMaxTextChars);
  try {
    const engine = actor.role === 'analyst' ? warehouse.analyst : warehouse;
    let result: Awaited<ReturnType<typeof engine.query>>;
    try {
      result = await engine.query(sql, { maxRows: LIMITS.sqlMaxRows, timeoutMs: LIMITS.sqlTimeoutMs });
    } catch (e) {
      await audit.record(
        actor,
        'sql.query',
        e instanceof SqlError && e.code === 'sql_rejected' ? 'rejected' : 'failed',
        undefined,
        { via: 'cli', sql: text },
      );
      throw e;
    }
    await audit.record(actor, 'sql.query', 'ok', undefined, {
      via: 'cli',
      sql: text,
      rows: result.rows.length,
      truncated: result.truncated,
    });
    if (format === 'json') process.stdout.write(`${JSON.stringify(result.rows)}\n`);
    else if (format === 'csv') process.stdout.write(formatCsv(result));
    else process.stdout.write(formatTable(result));
    if (result.truncated) console.error(say('sql_truncated', { rows: LIMITS.sqlMaxRows }));
    return 0;
  } catch (e) {
    if (e instanceof SqlError) {
      console.error(`${e.code}\n  vi: ${e.message_vi}\n  en: ${e.message_en}`);
      return 1;
    }
    throw e;
  } finally {
    await warehouse.close();
  }
}

// Run only as a command (the formatters are also imported by tests).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  process.exitCode = await main();
