// Entry of the analysts' SQL process (analyst-process.ts). From source (npm start, tests) TypeScript loads
// through tsx's loader, registered here because a child process does not inherit a loader registered in code.
try {
  const { register } = await import('tsx/esm/api');
  register();
} catch {
  // No tsx: a bundled deployment ships the compiled child under this name.
}
await import('./analyst-child.ts');
