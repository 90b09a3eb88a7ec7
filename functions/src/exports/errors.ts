// A meeting-pack request the plan cannot satisfy (400). Apart from the pack builder, so the API bundle can
// import it without DuckDB.
export class ExportRequestError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'ExportRequestError';
  }
}
