// Which views identify people. A view is restricted when its query names a restricted table, or a view that
// is itself restricted (views are created in order, so one pass suffices). Analysts get the rest.

function mentions(sql: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])"?${name}"?($|[^A-Za-z0-9_])`, 'i').test(sql);
}

export function restrictedViews(
  views: readonly { name: string; ddl: string }[],
  restrictedTables: readonly string[],
): string[] {
  const restricted: string[] = [];
  for (const v of views) {
    const body = v.ddl.slice(v.ddl.indexOf(' AS') + 3);
    if ([...restrictedTables, ...restricted].some((n) => mentions(body, n))) restricted.push(v.name);
  }
  return restricted;
}
