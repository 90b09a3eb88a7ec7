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

/** The analysts' documented views: every view file that is neither restricted nor internal (`base_*`). */
export function analystViews(views: readonly { name: string }[], restricted: readonly string[]): string[] {
  return views.map((v) => v.name).filter((v) => !restricted.includes(v) && !v.startsWith('base_'));
}
