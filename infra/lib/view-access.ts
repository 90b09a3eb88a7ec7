// Which views identify people: the base views over the restricted tables, and every view that reads one of
// them, directly or through another view — as the SQL catalogue parsed the view files (sql-catalogue.ts), not by
// matching names in their text. Analysts get the rest.
import type { SqlCatalogue } from '@scorecard/functions/warehouse/sql-catalogue.ts';

export function restrictedViews(catalogue: SqlCatalogue, restrictedRelations: readonly string[]): string[] {
  const readers = new Set(restrictedRelations.flatMap((r) => catalogue.readersOf(r)));
  return [...restrictedRelations, ...catalogue.names.filter((n) => readers.has(n))];
}

/** The analysts' documented views: every view file that is neither restricted nor internal (`base_*`). */
export function analystViews(views: readonly { name: string }[], restricted: readonly string[]): string[] {
  return views.map((v) => v.name).filter((v) => !restricted.includes(v) && !v.startsWith('base_'));
}
