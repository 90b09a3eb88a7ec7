// Entry of the workbook worker. From source (npm start, the CLIs, tests) TypeScript loads through tsx's loader,
// registered here because a worker does not inherit a loader registered in code; a bundled deployment ships
// this file's name as the compiled worker instead (infra bundles workbook-worker.ts to it).
try {
  const { register } = await import('tsx/esm/api');
  register();
} catch {
  // No tsx: a bundled deployment, where this file is replaced by the compiled worker.
}
await import('./workbook-worker.ts');
