// The analysts' layer in the cloud (issue 15, item 11). Athena resolves a view with the caller's rights: to query
// `cadres` an analyst would need the base view `base_roster`, the Parquet tables under it and their S3 objects —
// and could then query the internal per-person layer directly (row numbers linking to the staff-code table,
// per-person scores, title flags), which the view files say analysts never see. So analysts get no view at all:
// each refresh writes every documented analysts' view, as of the refresh's instant, as Parquet under
// `analysts/<view>/generation=<id>/` and points a table of its own Glue database at it (the catalog port below).
// The analysts' role and the SQL function are granted that database and prefix, nothing else — as the local
// analysts' database holds the analysts' views computed into tables and nothing else.
//
// A generation replaced is deleted with its versions at once (as the marts): after an erasure the next refresh
// leaves no copy of the old person key. An analyst's query running across the switch may fail and is re-run.
import { parquetWriteBuffer } from 'hyparquet-writer';
import { deleteWithVersions, type ObjectStore } from '../ports/object-store.ts';
import type { SqlColumn, SqlEngine, SqlRow } from '../ports/sql-engine.ts';

/** Where the layer lives in the store (the marts bucket in the cloud: infra/lib/store-layout.ts). */
const ANALYSTS_PREFIX = 'analysts/';

/** The analysts' catalogue: a table per view whose files are the Parquet under `folderKey`. */
export interface AnalystsCatalog {
  publish(view: string, columns: readonly SqlColumn[], folderKey: string): Promise<void>;
}

type Element = {
  name: string;
  type: 'BYTE_ARRAY' | 'INT32' | 'INT64' | 'DOUBLE' | 'BOOLEAN';
  converted_type?: 'UTF8' | 'TIMESTAMP_MILLIS' | 'DATE';
  repetition_type: 'OPTIONAL';
};

/** Engine type (SqlColumn.type) → the Parquet element and the value as the writer takes it. */
const PARQUET: Record<
  string,
  { element: Omit<Element, 'name' | 'repetition_type'>; value: (v: unknown) => unknown }
> = {
  VARCHAR: { element: { type: 'BYTE_ARRAY', converted_type: 'UTF8' }, value: (v) => String(v) },
  INTEGER: { element: { type: 'INT32' }, value: (v) => Number(v) },
  BIGINT: { element: { type: 'INT64' }, value: (v) => BigInt(v as number | string) },
  DOUBLE: { element: { type: 'DOUBLE' }, value: (v) => Number(v) },
  BOOLEAN: { element: { type: 'BOOLEAN' }, value: (v) => v === true || v === 'true' },
  TIMESTAMP: {
    element: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
    value: (v) => new Date(v as string),
  },
  DATE: { element: { type: 'INT32', converted_type: 'DATE' }, value: (v) => new Date(`${v}T00:00:00Z`) },
};

/** The Glue (Hive) type of an engine type, for the catalog's columns. */
export const GLUE_COLUMN_TYPE: Record<string, string> = {
  VARCHAR: 'string',
  INTEGER: 'int',
  BIGINT: 'bigint',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'timestamp',
  DATE: 'date',
};

/** A view's rows as one Parquet file, typed as the engine typed them (a type not mapped here is an error). */
export function viewToParquet(columns: readonly SqlColumn[], rows: readonly SqlRow[]): Uint8Array {
  const mapped = columns.map((c) => {
    const m = PARQUET[c.type];
    if (!m) throw new Error(`analysts' layer: no Parquet type for ${c.name} ${c.type}`);
    return { c, m };
  });
  const schema = [
    { name: 'root', num_children: columns.length },
    ...mapped.map(({ c, m }) => ({ name: c.name, ...m.element, repetition_type: 'OPTIONAL' as const })),
  ];
  const columnData = mapped.map(({ c, m }) => ({
    name: c.name,
    data: rows.map((r) => {
      const v = r[c.name];
      return v === null || v === undefined ? null : m.value(v);
    }),
  }));
  return new Uint8Array(
    parquetWriteBuffer({ columnData, schema, createdBy: 'commune-scorecard' } as Parameters<
      typeof parquetWriteBuffer
    >[0]),
  );
}

export interface PublishResult {
  views: number;
  rows: number;
}

/** Writes every view of `views` at the engine's instant and points the catalogue at the new generation. */
export async function publishAnalystsLayer(deps: {
  store: ObjectStore;
  catalog: AnalystsCatalog;
  engine: SqlEngine;
  views: readonly string[];
  generation: string;
  /**
   * Views written one plan year at a time (a file per year): the per-person `cadres` is the largest answer —
   * nationally ~660 k rows over five years — and a year of it at a time keeps the refresh's memory bounded.
   */
  byYear?: { views: readonly string[]; years: readonly number[] };
}): Promise<PublishResult> {
  let rows = 0;
  const split = new Set(deps.byYear?.views ?? []);
  const query = (sql: string) =>
    deps.engine.query(sql, { maxRows: Number.MAX_SAFE_INTEGER - 1, timeoutMs: 10 * 60_000 });
  for (const view of deps.views) {
    const folder = `${ANALYSTS_PREFIX}${view}/generation=${deps.generation}/`;
    const parts = split.has(view)
      ? (deps.byYear?.years ?? []).map((y) => ({
          sql: `SELECT * FROM ${view} WHERE year = ${Number(y)}`,
          file: `data-${y}.parquet`,
        }))
      : [{ sql: `SELECT * FROM ${view}`, file: 'data.parquet' }];
    let columns: readonly SqlColumn[] | undefined;
    for (const part of parts) {
      const r = await query(part.sql);
      columns ??= r.columns;
      await deps.store.put(`${folder}${part.file}`, viewToParquet(r.columns, r.rows));
      rows += r.rows.length;
    }
    if (!columns) throw new Error(`analysts' layer: ${view} was split by year, but no year was given`);
    await deps.catalog.publish(view, columns, folder);
    // The table points at the new generation: the others go, with their versions.
    for (const key of await deps.store.list(`${ANALYSTS_PREFIX}${view}/`))
      if (!key.startsWith(folder)) await deleteWithVersions(deps.store, key);
  }
  return { views: deps.views.length, rows };
}
