// Entry of the SQL-guard worker. From source (npm start, the CLIs, tests) TypeScript loads through tsx's loader,
// registered here because a worker does not inherit a loader registered in code.
try {
  const { register } = await import('tsx/esm/api');
  register();
} catch {
  // No tsx: a bundled deployment ships the compiled worker under this name.
}
await import('./sql-guard-worker.ts');
