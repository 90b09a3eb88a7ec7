// Placeholder until the refresh service is wired: fails loudly, so a message lands in the DLQ instead of vanishing.
export const handler = async (event: unknown) => {
  console.log(
    JSON.stringify({
      level: 'error',
      fn: 'refresh',
      message: 'not wired yet',
      records: (event as { Records?: unknown[] })?.Records?.length ?? 1,
    }),
  );
  throw new Error('refresh: not wired yet');
};
