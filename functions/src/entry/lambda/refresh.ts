import { createRefreshHandler, refreshDepsFromEnv } from './cloud-refresh.ts';
export const handler = createRefreshHandler(refreshDepsFromEnv());
