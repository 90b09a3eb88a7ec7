// Writes rows to Parquet with the column definitions of data-contracts (exact types, explicit nullability).
import type { Column } from '@scorecard/data-contracts';
import { parquetWriteBuffer } from 'hyparquet-writer';

const BASIC = {
  string: 'STRING',
  int: 'INT32',
  bigint: 'INT64',
  boolean: 'BOOLEAN',
  double: 'DOUBLE',
  timestamp: 'TIMESTAMP',
} as const;

export interface ParquetOptions {
  /** Snappy compression and column statistics (default true); small transient files may skip both. */
  compact?: boolean;
}

export function toParquet(
  columns: readonly Column[],
  rows: readonly Record<string, unknown>[],
  options: ParquetOptions = {},
): Uint8Array {
  const columnData = columns.map((c) => {
    const data = rows.map((r) => {
      const v = r[c.name];
      if (v === undefined || v === null) {
        if (!c.nullable) throw new Error(`parquet: column ${c.name} is not nullable`);
        return null;
      }
      if (c.type === 'bigint') return BigInt(v as number);
      if (c.type === 'timestamp') return v instanceof Date ? v : new Date(v as string);
      return v;
    });
    return { name: c.name, data, type: BASIC[c.type], nullable: c.nullable };
  });
  // A fixed writer name keeps the bytes of the same rows identical (retries rewrite identical files).
  const size = options.compact === false ? { codec: 'UNCOMPRESSED', statistics: false } : {};
  return new Uint8Array(
    parquetWriteBuffer({ columnData, createdBy: 'commune-scorecard', ...size } as Parameters<
      typeof parquetWriteBuffer
    >[0]),
  );
}
