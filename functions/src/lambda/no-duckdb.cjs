// Stand-in for @duckdb/node-api in Lambda bundles (esbuild --alias, infra/constructs/scorecard-function.ts).
// DuckDB is the local engine; its native binary cannot be bundled, and in the cloud Athena does the SQL. Some
// shared modules still import it (the warehouse, the local export path), so the bundle gets this instead:
// importing it is harmless, and any use fails loudly with a clear message rather than a missing-module crash.
const fail = () => {
  throw new Error(
    'DuckDB is not available in Lambda: the cloud runtime uses Athena (functions/src/adapters/athena-engine.ts)',
  );
};
const stub = new Proxy(() => undefined, {
  get: (_target, prop) => (prop === '__esModule' || prop === 'then' ? undefined : stub),
  apply: fail,
  construct: fail,
});
module.exports = stub;
