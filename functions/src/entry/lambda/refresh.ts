import { createRefreshHandler, refreshDepsFromEnv } from './cloud-refresh.ts';
/** @public — the Lambda runtime calls it. */
export const handler = createRefreshHandler(refreshDepsFromEnv());
