import { compactionDepsFromEnv, createCompactionHandler } from './cloud-compaction.ts';
export const handler = createCompactionHandler(compactionDepsFromEnv());
