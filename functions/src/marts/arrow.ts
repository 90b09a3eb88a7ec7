// Mart tables as Arrow IPC streams: what the API serves with `Accept: application/vnd.apache.arrow.stream`,
// and how marts are persisted for the API Lambda to read in pure JavaScript.
import { Bool, Float64, Int32, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { SqlColumn, SqlRow, SqlValue } from '../ports/sql-engine.ts';

export interface MartTable {
  columns: SqlColumn[];
  rows: SqlRow[];
}

function arrowType(t: string) {
  const u = t.toUpperCase();
  if (u === 'BOOLEAN') return new Bool();
  if (u === 'INTEGER' || u === 'SMALLINT' || u === 'TINYINT' || u === 'INT') return new Int32();
  // BIGINT values arrive as safe numbers (the engine port converts them deliberately); doubles stay doubles.
  if (['BIGINT', 'HUGEINT', 'DOUBLE', 'FLOAT', 'REAL', 'DECIMAL'].some((p) => u.startsWith(p))) return new Float64();
  return new Utf8();
}

export function toArrowIpc(table: MartTable, rows: SqlRow[] = table.rows): Uint8Array {
  const vectors = Object.fromEntries(
    table.columns.map((c) => {
      const type = arrowType(c.type);
      const values = rows.map((r) => {
        const v = r[c.name] ?? null;
        if (v === null) return null;
        if (type instanceof Utf8) return String(v);
        if (type instanceof Float64 || type instanceof Int32) return Number(v);
        return v;
      });
      return [c.name, vectorFromArray(values as never[], type as never)];
    }),
  );
  return tableToIPC(new Table(vectors), 'stream');
}

export function fromArrowIpc(bytes: Uint8Array): MartTable {
  const t = tableFromIPC(bytes);
  const columns: SqlColumn[] = t.schema.fields.map((f) => ({ name: f.name, type: typeName(f.type) }));
  const rows: SqlRow[] = [];
  for (let i = 0; i < t.numRows; i++) {
    const row: SqlRow = {};
    for (const f of t.schema.fields) {
      const v = t.getChild(f.name)?.get(i) as SqlValue | bigint | undefined;
      row[f.name] = typeof v === 'bigint' ? Number(v) : (v ?? null);
    }
    rows.push(row);
  }
  return { columns, rows };
}

function typeName(type: unknown): string {
  if (type instanceof Bool) return 'BOOLEAN';
  if (type instanceof Int32) return 'INTEGER';
  if (type instanceof Float64) return 'DOUBLE';
  return 'VARCHAR';
}
