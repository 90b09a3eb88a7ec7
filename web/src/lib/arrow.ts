// Arrow IPC → plain row objects. The API prefers Arrow for tables (interfaces.md); the page code sees the same
// rows it would get from JSON.
import { type DataType, Type, tableFromIPC } from 'apache-arrow';

/**
 * 64-bit integers arrive as BigInt: counts become numbers only when they are safe integers; anything larger
 * stays a decimal string rather than silently losing digits (identifiers stay strings anyway).
 */
export function safeNumber(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

function convert(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    // Timestamps in a 64-bit unit still arrive as BigInt in some readers: milliseconds → ISO.
    if (type.typeId === Type.Timestamp) return new Date(Number(value)).toISOString();
    return safeNumber(value);
  }
  // Timestamps and dates come back as epoch milliseconds: the API's JSON form is an ISO string.
  if ((type.typeId === Type.Timestamp || type.typeId === Type.Date) && typeof value === 'number') {
    return new Date(value).toISOString();
  }
  return value;
}

export function rowsFromArrow<T = Record<string, unknown>>(bytes: ArrayBuffer | Uint8Array): T[] {
  const table = tableFromIPC(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const columns = table.schema.fields.map((f) => ({
    name: f.name,
    type: f.type,
    vector: table.getChild(f.name),
  }));
  const rows: T[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const c of columns) row[c.name] = convert(c.vector?.get(i), c.type);
    rows.push(row as T);
  }
  return rows;
}
