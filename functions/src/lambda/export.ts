// Placeholder until the export service is wired: fails loudly, so a message lands in the DLQ instead of vanishing.
export const handler = async (event: unknown) => {
  console.log(
    JSON.stringify({
      level: 'error',
      fn: 'export',
      message: 'not wired yet',
      records: (event as { Records?: unknown[] })?.Records?.length ?? 1,
    }),
  );
  throw new Error('export: not wired yet');
};
